package dev.servelens.runs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.io.IngestSummary;
import dev.servelens.io.StrictModeException;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of three hand-made run directories (src/test/resources/RunsIngestJobTest/exp): a
 * complete ThunderReact run with a tau2 log, a Continuum run with two KV ports and scheduler
 * timestamps, a baseline run with only a KV file. Expected values are read off the fixtures.
 */
class RunsIngestJobTest {
  static final Path FIXTURES = Path.of("src/test/resources/RunsIngestJobTest/exp");

  @TempDir Path temp;
  private Path inputs;
  private String catalog;
  private final SparkSession spark = SharedSpark.session();

  @BeforeEach
  void copyFixtures() throws IOException {
    inputs = temp.resolve("exp");
    copyTree(FIXTURES, inputs);
    catalog = temp.resolve("catalog").toString();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  private IngestSummary ingest(boolean strict) {
    RunsIngestOptions options = new RunsIngestOptions();
    options.inputs = List.of(inputs.toString());
    options.catalog = catalog;
    options.strict = strict;
    return RunsIngestJob.run(spark, options);
  }

  private List<Row> table(String name, String... order) {
    return spark.read().parquet(catalog + "/" + name).orderBy(order[0],
        java.util.Arrays.copyOfRange(order, 1, order.length)).collectAsList();
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static long epoch(String utc) {
    return Instant.parse(utc).getEpochSecond();
  }

  @Test
  void everyEventLineIsKeptOrRejectedWithFileAndLine() {
    IngestSummary summary = ingest(false);
    // thunderreact: driver.log, tau2_global.log, kv, metrics, 4 trials; continuum: driver.log,
    // kv, scheduler_timestamps; baseline: kv. notes/readme.txt is in no run.
    assertThat(summary.filesFound()).isEqualTo(12);
    // Rows: tr driver 16 events + 2 bad, tau2 14 events, tr kv 10 + 2 bad, metrics 1, trials
    // 3 + 1 bad, ct driver 11 events, ct kv 4, scheduler 3 events + 1 bad, bl kv 3.
    assertThat(summary.rowsRead()).isEqualTo(71);
    assertThat(summary.rowsRejected()).isEqualTo(6);
    List<String> rejects = new ArrayList<>();
    for (Row row : table(RunsColumns.REJECTS_TABLE, "source_path", "line_number")) {
      rejects.add(name(row.getString(0)) + ":" + row.getLong(1) + ":" + row.getString(3));
    }
    assertThat(rejects).containsExactlyInAnyOrder(
        "driver.log:10:FINISHED SIMULATION line without a timestamp",
        "driver.log:15:duration_ms: not a number 'abc'",
        "kv_cache_timeseries.csv:8:expected 5 fields, found 4",
        "kv_cache_timeseries.csv:10:value: not a number 'abc'",
        // The document is cut off after its third line (no closing brace).
        "retail__3__trial0.json:3:invalid JSON: Unexpected end-of-input: expected close marker"
            + " for Object",
        "scheduler_timestamps:8:request job2: event without a numeric time");
  }

  @Test
  void runsCarryLabelsAndFilesPresent() {
    ingest(false);
    List<Row> runs = table(RunsColumns.RUNS_TABLE, RunsColumns.RUN_ID);
    assertThat(runs).hasSize(3);
    Row baseline = runs.get(0);
    assertThat(baseline.<String>getAs("run_id")).isEqualTo("baseline_c32_20260105_062226");
    assertThat(baseline.<String>getAs("system")).isEqualTo("baseline");
    assertThat(baseline.<Integer>getAs("concurrency")).isEqualTo(32);
    assertThat(baseline.<Boolean>getAs("has_driver_log")).isFalse();
    assertThat(baseline.<Boolean>getAs("has_kv")).isTrue();
    Row continuum = runs.get(1);
    assertThat(continuum.<String>getAs("system")).isEqualTo("continuum");
    assertThat(continuum.<Boolean>getAs("has_scheduler_timestamps")).isTrue();
    assertThat(continuum.<Boolean>getAs("has_tau2_log")).isFalse();
    Row thunder = runs.get(2);
    assertThat(thunder.<String>getAs("system")).isEqualTo("thunderreact");
    assertThat(thunder.<Integer>getAs("trial_files")).isEqualTo(4);
    assertThat(thunder.<Boolean>getAs("has_metrics_global")).isTrue();
    assertThat(thunder.<Boolean>getAs("has_tau2_log")).isTrue();
  }

  @Test
  void eventsHaveSecondTimestampsTagTimesAndLineNumbers() {
    ingest(false);
    List<Row> driver = spark.read().parquet(catalog + "/" + RunsColumns.EVENTS_TABLE)
        .where(col("run_id").equalTo("thunderreact_c32").and(col("source").equalTo("driver")))
        .orderBy("line_number").collectAsList();
    List<String> lines = new ArrayList<>();
    for (Row row : driver) {
      lines.add(row.<Long>getAs("line_number") + ":" + row.getAs("kind") + ":"
          + row.getAs("ts_s") + ":" + row.getAs("tag_ts_s"));
    }
    long t = epoch("2026-01-05T10:00:00Z");
    assertThat(lines).containsExactly(
        "2:step_complete:" + (t - 1) + ":" + (t - 1),            // 09:59:59.900 cut, not 10:00:00
        "3:task_finished:" + (t + 5) + ":null",                  // 10:00:05,123
        "4:step_complete:" + (t + 10) + ":" + (t + 10),          // 10:00:10.735 -> 10:00:10
        "5:task_finished:" + (t + 30) + ":null",                 // timestamp after other text
        "6:step_complete:" + (t + 60) + ":" + (t + 60),
        "7:step_complete:" + (t + 70) + ":null",                 // chopped tag "ROFILE] "
        "8:llm_call:" + (t + 80) + ":" + (t + 80),
        "9:step_complete:" + (t + 90) + ":" + (t + 90),          // NUL bytes before the tag
        "11:task_finished:" + (t + 120) + ":null",
        "12:step_complete:" + (t + 120) + ":" + (t + 120),       // 10:02:00.999 -> 10:02:00
        "13:step_complete:" + (t + 121) + ":" + (t + 121),
        "14:task_finished:" + (t + 150) + ":null",
        "16:user_sim:" + (t + 170) + ":" + (t + 170),            // [USER_JUDGE] tag
        "17:error:" + (t + 180) + ":null",
        "18:error:null:null",                                    // a traceback has no time
        "20:eval_complete:" + (t + 300) + ":null");
    Row llm = driver.get(6);
    assertThat(llm.<Double>getAs("duration_s")).isEqualTo(2.5);
    assertThat(llm.<String>getAs("task")).isEqualTo("retail_2");
    assertThat(llm.<String>getAs("model")).isEqualTo("orch");
    assertThat(driver.get(1).<String>getAs("task")).isEqualTo("retail_0");
    assertThat(driver.get(0).<String>getAs("edge")).isEqualTo("agent->env");
    assertThat(driver.get(13).<String>getAs("error_kind")).isEqualTo("expert_call_failed");
    assertThat(driver.get(14).<String>getAs("error_kind")).isEqualTo("traceback");

    List<Row> files = spark.read().parquet(catalog + "/" + RunsColumns.FILES_TABLE)
        .where(col("source_path").endsWith("thunderreact_c32/driver.log")).collectAsList();
    // 20 lines: 16 events, 2 rejected, 2 launcher lines (1 and 19) that are no event.
    assertThat(files).hasSize(1);
    assertThat(files.get(0).<Long>getAs("lines")).isEqualTo(20);
    assertThat(files.get(0).<Long>getAs("rows_kept")).isEqualTo(16);
    assertThat(files.get(0).<Long>getAs("lines_other")).isEqualTo(2);
  }

  @Test
  void kvTrialsMetricsAndSchedulerRows() {
    ingest(false);
    List<Row> kv = spark.read().parquet(catalog + "/" + RunsColumns.KV_TABLE)
        .where(col("run_id").equalTo("thunderreact_c32")).orderBy("line_number")
        .collectAsList();
    assertThat(kv).hasSize(10);
    assertThat(kv.get(2).<Double>getAs("value")).isNaN();                    // line 4
    assertThat(kv.get(5).<Boolean>getAs("is_usage")).isFalse();              // line 7
    assertThat(kv.get(5).<Long>getAs("line_number")).isEqualTo(7);
    assertThat(spark.read().parquet(catalog + "/" + RunsColumns.KV_TABLE)
        .where(col("run_id").equalTo("baseline_c32_20260105_062226").and(col("is_usage")))
        .count()).isEqualTo(3);                                              // gpu_cache_usage_perc
    List<Row> trials = table(RunsColumns.TRIALS_TABLE, "task_id");
    assertThat(trials).hasSize(3);
    assertThat(trials.get(1).<Double>getAs("reward")).isEqualTo(0.0);
    assertThat(trials.get(1).<String>getAs("status")).isEqualTo("ok");
    Row metrics = table(RunsColumns.METRICS_TABLE, "run_id").get(0);
    assertThat(metrics.<Long>getAs("ok")).isEqualTo(3);
    assertThat(metrics.<Double>getAs("elapsed_s")).isEqualTo(300.0);
    List<Row> scheduler = table(RunsColumns.SCHEDULER_TABLE, "line_number");
    assertThat(scheduler).hasSize(3);
    assertThat(scheduler.get(1).<String>getAs("event")).isEqualTo("waiting_to_running");
    assertThat(scheduler.get(1).<Long>getAs("hit_length")).isEqualTo(512);
    assertThat(scheduler.get(1).<Long>getAs("line_number")).isEqualTo(4);
  }

  @Test
  void manifestConservesRowsAndReingestAddsOnlyNewRuns() throws IOException {
    ingest(false);
    List<Row> manifest = spark.read().parquet(catalog + "/ingest_manifest")
        .where(col("family").equalTo(RunsColumns.FAMILY)).collectAsList();
    assertThat(manifest).hasSize(12);
    for (Row row : manifest) {
      assertThat(row.<Long>getAs("rows_read"))
          .isEqualTo(row.<Long>getAs("rows_kept") + row.<Long>getAs("rows_rejected"));
    }
    IngestSummary again = ingest(false);
    assertThat(again.filesIngested()).isZero();
    assertThat(again.filesSkipped()).isEqualTo(12);

    Path extra = inputs.resolve("later/thunderreact_c64");
    Files.createDirectories(extra);
    Files.writeString(extra.resolve("driver.log"),
        "[2026-01-06 09:00:00] FINISHED SIMULATION: Domain: retail, Task: 9, Reward: 1.0\n");
    IngestSummary more = ingest(false);
    assertThat(more.filesIngested()).isEqualTo(1);
    assertThat(more.rowsKept()).isEqualTo(1);
    assertThat(spark.read().parquet(catalog + "/" + RunsColumns.RUNS_TABLE).count()).isEqualTo(4);
    assertThat(spark.read().parquet(catalog + "/" + RunsColumns.EVENTS_TABLE)
        .where(col("run_id").equalTo("thunderreact_c64")).count()).isEqualTo(1);
  }

  @Test
  void strictFailsNamingTheFirstRejectAndWritesNothing() {
    assertThatThrownBy(() -> ingest(true))
        .isInstanceOf(StrictModeException.class)
        // Rejects ordered by path: the continuum run's file comes before thunderreact's.
        .hasMessageContaining("continuum_c32_20260104_191004/scheduler_timestamps: line 8:"
            + " request job2: event without a numeric time (--strict: 6 row(s) rejected");
    assertThat(Files.exists(Path.of(catalog, RunsColumns.EVENTS_TABLE))).isFalse();
    // The parse's scratch rows went with the aborted batch.
    assertThat(Path.of(catalog, "_staging").toFile().list()).isNullOrEmpty();
  }

  @Test
  void pathsWithCommasAreReadAndScratchRowsStayOutOfTheCatalog() throws IOException {
    Path odd = temp.resolve("a,b");
    copyTree(FIXTURES, odd);
    inputs = odd;
    IngestSummary summary = ingest(false);
    // The same 12 files and 71 rows as from the plain path (a comma-joined path list would
    // have split "a,b" in two).
    assertThat(summary.filesFound()).isEqualTo(12);
    assertThat(summary.rowsRead()).isEqualTo(71);
    assertThat(table(RunsColumns.TRIALS_TABLE, "task_id")).hasSize(3);
    assertThat(table(RunsColumns.TRIALS_TABLE, "task_id").get(0).<String>getAs("source_path"))
        .contains("/a,b/");
    try (Stream<Path> entries = Files.list(Path.of(catalog))) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .doesNotContain("_scratch", "logs", "kv", "trials")
          .contains(RunsColumns.EVENTS_TABLE, RunsColumns.TRIALS_TABLE);
    }
    assertThat(Path.of(catalog, "_staging").toFile().list()).isNullOrEmpty();
  }
}
