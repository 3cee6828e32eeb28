package dev.servelens.bench;

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
 * Ingest of a hand-made logs tree (src/test/resources/BenchIngestJobTest/logs): six runs, the
 * FORMATS.md log lines, a cut-off result, a cut-off metadata file and a cut-off log line.
 * Expected counts are read off the fixtures by hand.
 */
class BenchIngestJobTest {
  static final Path FIXTURES = Path.of("src/test/resources/BenchIngestJobTest/logs");

  @TempDir Path temp;
  private Path logs;
  private String catalog;
  private final SparkSession spark = SharedSpark.session();

  /** Copies the fixture tree into {@code target}. */
  static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
  }

  @BeforeEach
  void copyFixtures() throws IOException {
    logs = temp.resolve("logs");
    copyTree(FIXTURES, logs);
    catalog = temp.resolve("catalog").toString();
  }

  private IngestSummary ingest(boolean strict) {
    BenchIngestOptions options = new BenchIngestOptions();
    options.inputs = List.of(logs.toString());
    options.catalog = catalog;
    options.strict = strict;
    return BenchIngestJob.run(spark, options);
  }

  private List<Row> table(String name, String... order) {
    return spark.read().parquet(catalog + "/" + name).orderBy(order[0],
        java.util.Arrays.copyOfRange(order, 1, order.length)).collectAsList();
  }

  private static String tail(String path) {
    String[] parts = path.split("/");
    return parts[parts.length - 2] + "/" + parts[parts.length - 1];
  }

  @Test
  void everyRecordIsKeptOrRejectedWithFileLineAndReason() {
    IngestSummary summary = ingest(false);
    // 16 JSON files (README.txt is not a run file) + 4 worker logs.
    assertThat(summary.filesIngested()).isEqualTo(20);
    // JSON: 16 files = 14 kept + 2 rejected. Logs: prefill .err 2 memory + 1 command + 5 batch
    // lines kept, .out empty, decode .err 2 kept + 1 cut off, agg .err 4 kept.
    assertThat(summary.rowsKept()).isEqualTo(14 + 8 + 2 + 4);
    assertThat(summary.rowsRejected()).isEqualTo(3);
    assertThat(summary.rowsRead()).isEqualTo(31);

    List<String> rejects = new ArrayList<>();
    for (Row row : table(BenchColumns.REJECTS_TABLE, "source_path")) {
      rejects.add(tail(row.getString(0)) + ":" + row.getLong(1) + ":" + row.getString(3));
    }
    assertThat(rejects).containsExactly(
        "logs/node02_decode_w0.err:5:field '#tok' has no value (line cut off?)",
        // ends after line 4 and its newline: Jackson stops on line 5
        "sa-bench_isl_1024_osl_1024/concurrency_64.json:5:invalid JSON: Unexpected"
            + " end-of-input within/between Array entries",
        "3672_1P_1D_20251115_000000/3672.json:4:invalid JSON: Unexpected end-of-input"
            + " within/between Object entries");

    // Conservation per file, and the decode log's own count.
    for (Row row : spark.read().parquet(catalog + "/ingest_manifest").collectAsList()) {
      assertThat(row.getLong(row.fieldIndex("rows_read"))).isEqualTo(
          row.getLong(row.fieldIndex("rows_kept")) + row.getLong(row.fieldIndex("rows_rejected")));
      if (row.getString(1).endsWith("node02_decode_w0.err")) {
        assertThat(row.getLong(row.fieldIndex("rows_read"))).isEqualTo(3);
        assertThat(row.getLong(row.fieldIndex("rows_rejected"))).isEqualTo(1);
      }
    }
  }

  @Test
  void runsResultsNodeLinesAndConfigsLandInTheirTables() {
    ingest(false);
    List<String> runs = new ArrayList<>();
    for (Row r : table(BenchColumns.RUNS_TABLE, "job_id")) {
      runs.add(r.getAs("job_id") + " " + r.getAs("topology") + " " + r.getAs("mode") + " "
          + r.getAs("total_gpus") + " " + r.getAs("metadata_shape") + " "
          + r.getAs("benchmark_type") + " " + r.getAs("isl") + "/" + r.getAs("osl") + " "
          + r.getList(r.fieldIndex("expected_concurrencies")) + " " + r.getAs("is_profiling")
          + " " + r.getList(r.fieldIndex("tags")));
    }
    // 3667: (1 + 4) x 8 = 40; 3668: (1 + 1) x 8 = 16; 3669: agg 2 nodes x 8 = 16 (not 8
    // workers x 8); 3670 has only profiler_metadata of type torch-profiler; 3671 has no
    // metadata and 3672 a cut-off one: neither is a run.
    assertThat(runs).containsExactly(
        "3667 1P_4D disagg 40 old sa-bench 1024/1024 [16, 32, 64] false [baseline, h100]",
        "3668 1P_1D disagg 16 new sa-bench 1024/1024 [16, 32] false [current]",
        "3669 8A agg 16 old sa-bench 1024/1024 [16] false []",
        "3670 1P_1D disagg 16 old torch-profiler 1024/1024 [16] true []");

    Row result = spark.read().parquet(catalog + "/" + BenchColumns.RESULTS_TABLE)
        .where(col("job_id").equalTo("3667").and(col("osl").equalTo(1024))
            .and(col("concurrency").equalTo(32))).first();
    assertThat((Double) result.getAs("output_throughput")).isEqualTo(9000.0);
    assertThat((Double) result.getAs("mean_tpot_ms")).isEqualTo(25.0);
    assertThat((String) result.getAs("backend")).isEqualTo("sglang");
    assertThat(result.<String, Double>getJavaMap(result.fieldIndex("metrics")))
        .containsEntry("std_ttft_ms", 5.0).doesNotContainKeys("ttfts", "generated_texts");
    // 3667 c16, c32 and the osl_10240 decoy; 3668 c16, c32; 3669 c16; 3671 c16
    assertThat(spark.read().parquet(catalog + "/" + BenchColumns.RESULTS_TABLE).count())
        .isEqualTo(7);

    // 5 prefill batch lines, 2 decode, 4 in the aggregated worker's log
    assertThat(spark.read().parquet(catalog + "/" + BenchColumns.BATCHES_TABLE)
        .groupBy("role").count().orderBy("role").collectAsList().toString())
        .isEqualTo("[[agg,4], [decode,2], [prefill,5]]");
    Row memory = spark.read().parquet(catalog + "/" + BenchColumns.MEMORY_TABLE)
        .where(col("avail_mem_gb").isNotNull()).first();
    assertThat((Double) memory.getAs("mem_usage_gb")).isEqualTo(12.34);
    Row sizes = spark.read().parquet(catalog + "/" + BenchColumns.SERVER_ARGS_TABLE).first();
    assertThat(List.of(sizes.getAs("tp_size"), sizes.getAs("dp_size"), sizes.getAs("ep_size")))
        .containsExactly(8, 2, 8);
    assertThat(spark.read().parquet(catalog + "/" + BenchColumns.CONFIGS_TABLE)
        .where(col("job_id").equalTo("3667").and(col("role").equalTo("prefill"))
            .and(col("key").equalTo("attention_backend"))).first().<String>getAs("value"))
        .isEqualTo("fa3");
  }

  @Test
  void reIngestAddsNothingAndANewRunAddsOnlyItself() throws IOException {
    ingest(false);
    IngestSummary again = ingest(false);
    assertThat(again.filesIngested()).isZero();
    assertThat(again.filesSkipped()).isEqualTo(20);

    Path source = logs.resolve("3669_8A_20251112_080000");
    copyTree(source, logs.resolve("3700_8A_20251120_080000"));
    Files.move(logs.resolve("3700_8A_20251120_080000/3669.json"),
        logs.resolve("3700_8A_20251120_080000/3700.json"));
    IngestSummary newRun = ingest(false);
    // its metadata, one result and one worker log
    assertThat(newRun.filesIngested()).isEqualTo(3);
    assertThat(spark.read().parquet(catalog + "/" + BenchColumns.RUNS_TABLE).count())
        .isEqualTo(5);
  }

  @Test
  void strictModeFailsNamingFileAndLine() {
    assertThatThrownBy(() -> ingest(true))
        .isInstanceOf(StrictModeException.class)
        .hasMessageContaining("node02_decode_w0.err: line 5: field '#tok' has no value");
  }
}
