package dev.servelens.io;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The shape shared by every family's rejects table: {@code source_path, line_number, raw,
 * reason}. Parsers emit rejects with their position in the split; {@link #numbered} turns that
 * into the line number.
 */
public final class RejectsTable {
  private RejectsTable() {}

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
