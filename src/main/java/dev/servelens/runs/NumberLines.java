package dev.servelens.runs;

import dev.servelens.io.LineNumbers;
import java.util.Arrays;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Replaces the split position of kept log and KV rows ({@code source_path, split_start,
 * line_in_split, values...}) by the line number in the file: {@code source_path, line_number,
 * values...}.
 */
final class NumberLines implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final LineNumbers lineNumbers;

  private NumberLines(LineNumbers lineNumbers) {
    this.lineNumbers = lineNumbers;
  }

  /** @param rows rows whose first three columns are the path and split position */
  static Dataset<Row> apply(Dataset<Row> rows, LineNumbers lineNumbers) {
    StructField[] fields = rows.schema().fields();
    StructType schema = new StructType()
        .add(fields[0])
        .add(RunsColumns.LINE_NUMBER, DataTypes.LongType, false);
    for (StructField field : Arrays.copyOfRange(fields, 3, fields.length)) {
      schema = schema.add(field);
    }
    return rows.map(new NumberLines(lineNumbers), Encoders.row(schema));
  }

  @Override
  public Row call(Row row) {
    Object[] values = new Object[row.size() - 1];
    values[0] = row.getString(0);
    values[1] = lineNumbers.lineNumber(row.getString(0), row.getLong(1), row.getLong(2));
    for (int i = 3; i < row.size(); i++) {
      values[i - 1] = row.get(i);
    }
    return RowFactory.create(values);
  }
}
