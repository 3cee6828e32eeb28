package dev.servelens.io;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The shape shared by every family's rejects table: {@code source_path, line_number, raw,
 * reason}. Parsers emit rejects with their position in the split; {@link #numbered} turns that
 * into the line number.
 */
public final class RejectsTable {
  private RejectsTable() {}

  public static final StructType SCHEMA =
      new StructType()
          .add("source_path", DataTypes.StringType, false)
          .add("line_number", DataTypes.LongType, false)
          .add("raw", DataTypes.StringType)
          .add("reason", DataTypes.StringType, false);

  /**
   * @param rejects rows with {@code source_path, split_start, line_in_split, raw, reason}
   * @return the rejects table's rows
   */
  public static Dataset<Row> numbered(Dataset<Row> rejects, LineNumbers lineNumbers) {
    return rejects
        .select("source_path", "split_start", "line_in_split", "raw", "reason")
        .map(new AddLineNumber(lineNumbers), Encoders.row(SCHEMA));
  }

  /** One line naming file, line and reason, as errors print it. */
  public static String describe(Row reject) {
    return reject.getString(0) + ": line " + reject.getLong(1) + ": " + reject.getString(3);
  }

  /** Replaces a record's position in its split with its line number in the file. */
  private static final class AddLineNumber implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final LineNumbers lineNumbers;

    AddLineNumber(LineNumbers lineNumbers) {
      this.lineNumbers = lineNumbers;
    }

    @Override
    public Row call(Row row) {
      String path = row.getString(0);
      long line = lineNumbers.lineNumber(path, row.getLong(1), row.getLong(2));
      return RowFactory.create(path, line, row.getString(3), row.getString(4));
    }
  }
}
