package dev.servelens.io;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.csv.CSVOptions;
import org.apache.spark.sql.catalyst.csv.UnivocityGenerator;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.StructType;

/**
 * Formats rows held by the driver as CSV text with Spark's own CSV generator and the options
 * of {@link TableOutput#CSV_OPTIONS}, so a table written from the driver has the same bytes as
 * one written by Spark's CSV data source (quoting, escaping, numbers, timestamps, dates).
 */
final class LocalCsv {
  private LocalCsv() {}

  /** The header line and one line per row, each ending in a newline. */
  static String format(StructType schema, List<Row> rows) {
    StringWriter text = new StringWriter();
    UnivocityGenerator generator = new UnivocityGenerator(schema, text, options());
    ExpressionEncoder.Serializer<Row> serializer = ExpressionEncoder.apply(schema).createSerializer();
    generator.writeHeaders();
    for (Row row : rows) {
      generator.write(serializer.apply(row));
    }
    generator.close();
    return text.toString();
  }

  private static CSVOptions options() {
    scala.collection.immutable.Map<String, String> parameters =
        scala.collection.immutable.Map$.MODULE$.<String, String>empty();
    for (Map.Entry<String, String> entry : TableOutput.CSV_OPTIONS.entrySet()) {
      parameters = parameters.updated(entry.getKey(), entry.getValue());
    }
    return new CSVOptions(parameters, true, "UTC");
  }

}
