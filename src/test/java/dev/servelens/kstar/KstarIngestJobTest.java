package dev.servelens.kstar;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.io.IngestSummary;
import dev.servelens.io.StrictModeException;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of every kstar input kind with malformed rows: rejects with file, line and reason,
 * kept values, conservation per file, incremental re-ingest and --strict. Expected values are
 * read off the fixtures by hand.
 */
class KstarIngestJobTest {
  private static final Path FIXTURES = Path.of("src/test/resources/KstarIngestJobTest");

  @TempDir Path temp;
  private Path inputs;
  private String catalog;
  private final SparkSession spark = SharedSpark.session();

  @BeforeEach
  void copyFixtures() throws IOException {
    inputs = temp.resolve("inputs");
    Files.createDirectories(inputs);
    try (Stream<Path> files = Files.list(FIXTURES)) {
      for (Path file : files.toList()) {
        Files.copy(file, inputs.resolve(file.getFileName()));
      }
    }
    catalog = temp.resolve("catalog").toString();
  }

  private IngestSummary ingest(boolean strict) {
    KstarIngestOptions options = new KstarIngestOptions();
    options.inputs = List.of(inputs.toString());
    options.catalog = catalog;
    options.strict = strict;
    return KstarIngestJob.run(spark, options);
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  void everyRowIsKeptOrRejectedWithFileLineAndReason() {
    IngestSummary summary = ingest(false);
    assertThat(summary.filesIngested()).isEqualTo(5);
    // prefill 6 rows (2 bad), decode 7 (1 bad), jsonl 4 (1 bad), results 5 entries (1 bad),
    // cut-off results document 1 row (bad).
    assertThat(summary.rowsRead()).isEqualTo(23);
    assertThat(summary.rowsRejected()).isEqualTo(6);
    assertThat(summary.rowsKept()).isEqualTo(17);

    List<String> rejects = new ArrayList<>();
    for (Row row : spark.read().parquet(catalog + "/" + KstarColumns.REJECTS_TABLE)
        .orderBy("source_path", "line_number").collectAsList()) {
      rejects.add(name(row.getString(0)) + ":" + row.getLong(1) + ":" + row.getString(3));
    }
    assertThat(rejects).containsExactly(
        "alpaca_results.json:13:k: not a whole number in 1..4",
        // The document ends after line 5 and its final newline: the parser stops on line 6.
        "cut_results.json:6:invalid results JSON: Unexpected end-of-input: expected close marker"
            + " for Object",
        "decode.csv:6:expected 3 fields, found 4",
        "m1_prefill.csv:4:seconds: not a number 'abc'",
        "m1_prefill.csv:6:input_tokens: not a whole number in 1..10000000 (-5)",
        "m2_samples.jsonl:4:invalid JSON: Unexpected end-of-input: expected close marker for"
            + " Object");
  }

  @Test
  void keptSamplesCarryModelKindAndValues() {
    ingest(false);
    List<String> profiles = new ArrayList<>();
    for (Row row : spark.read().parquet(catalog + "/" + KstarColumns.PROFILES_TABLE)
        .orderBy("model", "kind", "x", "seconds").collectAsList()) {
      profiles.add(row.getString(0) + " " + row.getString(1) + " " + row.getDouble(2) + " "
          + row.getDouble(3));
    }
    assertThat(profiles).containsExactly(
        "m1 decode 1.0 0.011", "m1 decode 1.0 0.012", "m1 decode 1.0 0.013",
        "m1 decode 8.0 0.017", "m1 decode 8.0 0.018", "m1 decode 8.0 0.02",
        "m1 prefill 100.0 0.025", "m1 prefill 200.0 0.03", "m1 prefill 400.0 0.04",
        "m1 prefill 800.0 0.06",
        "m2 decode 4.0 0.02", "m2 prefill 100.0 0.03", "m2 prefill 500.0 0.07");
    List<Row> results = spark.read().parquet(catalog + "/" + KstarColumns.RESULTS_TABLE)
        .orderBy("k").collectAsList();
    assertThat(results).hasSize(4);
    assertThat(results.get(1).<String>getAs("dataset")).isEqualTo("alpaca");
    assertThat(results.get(1).<Integer>getAs("k")).isEqualTo(2);
    assertThat(results.get(1).<Double>getAs("throughput")).isEqualTo(120.0);
    assertThat(results.get(1).<Integer>getAs("n")).isEqualTo(4);
    assertThat(results.get(1).<Long>getAs("line_number")).isEqualTo(12);
    assertThat(results.get(1).<Double>getAs("p_offline_reported")).isEqualTo(0.01);
  }

  @Test
  void manifestConservesRowsPerFileAndReingestAddsNothing() throws IOException {
    ingest(false);
    List<Row> manifest = spark.read().parquet(catalog + "/ingest_manifest")
        .where(col("family").equalTo(KstarColumns.FAMILY)).collectAsList();
    assertThat(manifest).hasSize(5);
    for (Row row : manifest) {
      assertThat(row.<Long>getAs("rows_read"))
          .isEqualTo(row.<Long>getAs("rows_kept") + row.<Long>getAs("rows_rejected"));
    }
    Row prefill = manifest.stream()
        .filter(row -> name(row.getAs("source_path")).equals("m1_prefill.csv")).findFirst()
        .orElseThrow();
    assertThat(prefill.<Long>getAs("rows_kept")).isEqualTo(4);
    assertThat(prefill.<Long>getAs("rows_rejected")).isEqualTo(2);

    IngestSummary again = ingest(false);
    assertThat(again.filesIngested()).isZero();
    assertThat(again.filesSkipped()).isEqualTo(5);
    Files.writeString(inputs.resolve("m3_decode.csv"), "batch_size,seconds_per_step\n2,0.01\n");
    IngestSummary more = ingest(false);
    assertThat(more.filesIngested()).isEqualTo(1);
    assertThat(spark.read().parquet(catalog + "/" + KstarColumns.PROFILES_TABLE)
        .where(col("model").equalTo("m3")).count()).isEqualTo(1);
  }

  @Test
  void strictFailsNamingTheFirstRejectAndWritesNothing() {
    assertThatThrownBy(() -> ingest(true))
        .isInstanceOf(StrictModeException.class)
        .hasMessageContaining("alpaca_results.json: line 13: k: not a whole number");
    assertThat(Files.exists(Path.of(catalog, KstarColumns.PROFILES_TABLE))).isFalse();
  }
}
