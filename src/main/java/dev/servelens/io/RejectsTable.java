package dev.servelens.io;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The shape shared by every family's rejects table: {@code source_path, line_number, raw,
 * reason}. Parsers emit rejects with their position in the split; {@link #numbered} turns that
 * into the line number.
 */
public final class RejectsTable {
  private RejectsTable() {}

  /** The columns of every {@code *_rejects} table. */
  public static final StructType SCHEMA =
      new StructType()
          .add("source_path", DataTypes.StringType)
          .add("line_number", DataTypes.LongType)
          .add("raw", DataTypes.StringType)
          .add("reason", DataTypes.StringType);

  /**
   * No rejects, for an ingest without any to write when its family's rejects table does not
   * exist yet: every family's rejects table exists after its first ingest, so a query of it
   * never fails for want of a table.
   */
  public static Dataset<Row> empty(SparkSession spark) {
    return spark.createDataFrame(List.of(), SCHEMA).coalesce(1);
  }

  /**
   * @param rejects rows with {@code source_path, split_start, line_in_split, raw, reason}
   * @return the rejects table's rows
   */
  public static Dataset<Row> numbered(Dataset<Row> rejects, LineNumbers lineNumbers) {
    return rejects.select(col("source_path"), lineNumbers.column().as("line_number"),
        col("raw"), col("reason"));
  }

  /** One line naming file, line and reason, as errors print it. */
  public static String describe(Row reject) {
    return reject.getString(0) + ": line " + reject.getLong(1) + ": " + reject.getString(3);
  }
}
