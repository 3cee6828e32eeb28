package dev.servelens.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;

import dev.servelens.catalog.Catalog;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The catalog's side of the report, computed with Spark and bounded before it reaches the
 * driver: per {@code *_rejects} table the rejected rows by kind of reason with a few examples
 * each, and the ingest manifest per family with its most recent files.
 */
final class CatalogSummary {
  private CatalogSummary() {}

  static final String REJECTS_SUFFIX = "_rejects";
  /** Kinds of reason listed per rejects table. */
  static final int MAX_REASONS = 30;
  /** The kind of a reason: its text up to the first colon, parenthesis or quote. */
  private static final String REASON_KIND = "^([^:(']*)";
  private static final String KIND = "reason_kind";

  /** One rejects table: its row count, rows by kind of reason, and examples of each kind. */
  record Rejects(String table, long rows, TablePreview byReason, TablePreview examples) {}

  static List<Rejects> rejects(Catalog catalog, int examplesPerReason) {
    List<Rejects> summaries = new ArrayList<>();
    for (String table : catalog.tableNames()) {
      if (!table.endsWith(REJECTS_SUFFIX)) {
        continue;
      }
      Dataset<Row> rejects = catalog.table(table).orElseThrow()
          .withColumn(KIND, trim(regexp_extract(col("reason"), REASON_KIND, 1)));
      long rows = rejects.count();
      Dataset<Row> byReason = rejects.groupBy(KIND)
          .agg(count(lit(1)).as("rows"), countDistinct(col("source_path")).as("files"))
          .orderBy(col("rows").desc(), col(KIND))
          .limit(MAX_REASONS);
      Dataset<Row> examples = rejects
          .withColumn("example", row_number().over(
              Window.partitionBy(KIND).orderBy(col("source_path"), col("line_number"))))
          .where(col("example").leq(examplesPerReason))
          .select(col(KIND), col("source_path"), col("line_number"),
              substring(col("raw"), 1, CsvPreview.MAX_CELL).as("raw"), col("reason"))
          .orderBy(KIND, "source_path", "line_number")
          .limit(MAX_REASONS * examplesPerReason);
      summaries.add(new Rejects(table, rows, preview(byReason, MAX_REASONS),
          preview(examples, MAX_REASONS * examplesPerReason)));
    }
    return summaries;
  }

  /** Per family: files, rows read, kept and rejected, and the last ingest time. */
  static TablePreview manifestByFamily(Catalog catalog, int maxRows) {
    return catalog.table(Catalog.MANIFEST_TABLE)
        .map(manifest -> preview(manifest.groupBy("family")
            .agg(count(lit(1)).as("files"), sum("rows_read").as("rows_read"),
                sum("rows_kept").as("rows_kept"), sum("rows_rejected").as("rows_rejected"),
                max("ingested_at").as("last_ingested_at"))
            .orderBy("family"), maxRows))
        .orElse(null);
  }

  /** The most recently ingested files. */
  static TablePreview manifestLatest(Catalog catalog, int maxRows) {
    return catalog.table(Catalog.MANIFEST_TABLE)
        .map(manifest -> preview(manifest
            .select("family", "source_path", "rows_read", "rows_kept", "rows_rejected",
                "size_bytes", "ingested_at")
            .orderBy(col("ingested_at").desc(), col("source_path")), maxRows))
        .orElse(null);
  }

  /** The first {@code maxRows} rows as text (one more is fetched to tell whether there are more). */
  private static TablePreview preview(Dataset<Row> rows, int maxRows) {
    List<Row> collected = rows.limit(maxRows + 1).collectAsList();
    List<List<String>> cells = new ArrayList<>();
    for (Row row : collected.subList(0, Math.min(maxRows, collected.size()))) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        Object value = row.get(i);
        values.add(value == null ? ""
            : value instanceof Timestamp time ? time.toInstant().toString()
            : CsvPreview.cut(value.toString()));
      }
      cells.add(values);
    }
    return new TablePreview(Arrays.asList(rows.columns()), cells, collected.size() > maxRows);
  }
}
