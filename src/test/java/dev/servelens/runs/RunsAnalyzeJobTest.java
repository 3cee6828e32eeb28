package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.figures.DrawnFigure;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agentic analyses on the three hand-made runs of {@link RunsIngestJobTest}'s fixtures.
 * Every expected number is worked out by hand from the fixture lines in the comments.
 */
class RunsAnalyzeJobTest {
  private static final String TR = "thunderreact_c32";
  private static final String CT = "continuum_c32_20260104_191004";
  private static final String BL = "baseline_c32_20260105_062226";

  @TempDir static Path temp;
  private static Path out;
  private static final SparkSession SPARK = SharedSpark.session();

  @BeforeAll
  static void ingestAndAnalyze() throws IOException {
    out = ingestAndAnalyze(RunsIngestJobTest.FIXTURES, temp, options -> {
      options.thresholds = List.of(50.0, 90.0);
      options.tailSeconds = List.of(3.0, 9.0);
      options.topN = 2;
      options.bootstrap = 200;
      options.cutoffEpochSeconds = epoch("2026-01-05T10:02:00Z");
    }, 3);
  }

  /**
   * Ingests a copy of the run directories under {@code fixtures} into a catalog in {@code temp}
   * and analyses them with the options {@code configure} sets; returns the output folder.
   */
  static Path ingestAndAnalyze(Path fixtures, Path temp, Consumer<RunsAnalyzeOptions> configure,
      long runs) throws IOException {
    Path inputs = temp.resolve("exp");
    RunsIngestJobTest.copyTree(fixtures, inputs);
    String catalog = temp.resolve("catalog").toString();
    RunsIngestOptions ingest = new RunsIngestOptions();
    ingest.inputs = List.of(inputs.toString());
    ingest.catalog = catalog;
    RunsIngestJob.run(SPARK, ingest);
    Path analysed = temp.resolve("out");
    RunsAnalyzeOptions options = new RunsAnalyzeOptions();
    options.catalog = catalog;
    options.out = analysed.toString();
    configure.accept(options);
    assertThat(RunsAnalyzeJob.run(SPARK, options)).isEqualTo(runs);
    return analysed;
  }

  static long epoch(String utc) {
    return Instant.parse(utc).getEpochSecond();
  }

  /** The rows of an output CSV keyed by the values of its first columns joined by '|'. */
  static Map<String, Map<String, String>> csv(Path file, int keyColumns) throws IOException {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",", -1);
    Map<String, Map<String, String>> rows = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], cells[i]);
      }
      List<String> key = new ArrayList<>();
      for (int i = 0; i < keyColumns; i++) {
        key.add(cells[i]);
      }
      rows.put(String.join("|", key), row);
    }
    return rows;
  }

  private static Map<String, Map<String, String>> table(String name, int keys) throws IOException {
    return csv(out.resolve("agentic/" + name + ".csv"), keys);
  }

  private static double number(Map<String, String> row, String column) {
    return Double.parseDouble(row.get(column));
  }

  @Test
  void activeWindowCountsInclusiveBoundsAtSecondResolution() throws IOException {
    Map<String, Map<String, String>> windows = table("active_window", 1);
    // thunderreact KV (T = 70): 10:00:10 0.71 is the first above; NaN, 0.70 and
    // 0.7000000000000001 (x100 = 70.0) are not above; the non-usage metric at 99 does not
    // count; 10:02:00 0.75 is the last above. Window 110 s.
    Map<String, String> tr = windows.get(TR);
    assertThat(tr.get("window_start")).isEqualTo("2026-01-05T10:00:10.000000Z");
    assertThat(tr.get("window_end")).isEqualTo("2026-01-05T10:02:00.000000Z");
    assertThat(number(tr, "window_s")).isEqualTo(110);
    // Tasks: 10:00:05 before; 10:00:30 (after other text) and 10:02:00 (= end) in; 10:02:30
    // after. Steps ([PROFILE] tag times): 09:59:59 before; 10:00:10.735 (= start), 10:01:00,
    // 10:01:30 (NUL bytes), 10:02:00.999 (cut to the end second) in; 10:02:01 after; the
    // chopped tag at 10:01:10 does not count.
    assertThat(number(tr, "tasks_in_window")).isEqualTo(2);
    assertThat(number(tr, "steps_in_window")).isEqualTo(4);
    assertThat(number(tr, "tasks_per_min")).isCloseTo(2 / (110 / 60.0), within(1e-12));
    assertThat(number(tr, "steps_per_s")).isCloseTo(4 / 110.0, within(1e-12));
    // continuum: two ports merged, window 10:00:00 .. 10:01:00 (60 s); tasks at 10:00:20,
    // 10:00:40, 10:01:00 -> 3 / 1 min; six steps 10:00:05 .. 10:00:45 -> 6 / 60 s.
    Map<String, String> ct = windows.get(CT);
    assertThat(number(ct, "tasks_per_min")).isEqualTo(3.0);
    assertThat(number(ct, "steps_per_s")).isCloseTo(0.1, within(1e-12));
    // baseline: one gpu_cache_usage_perc sample above 70 -> fewer than two: no window.
    Map<String, String> bl = windows.get(BL);
    assertThat(bl.get("window_start")).isEmpty();
    assertThat(bl.get("tasks_per_min")).isEmpty();
    assertThat(bl.get("samples_above")).isEqualTo("1");
    assertThat(bl.get("note")).startsWith("no active window");
  }

  @Test
  void breakdownAndThresholdSensitivity() throws IOException {
    Map<String, String> tr = table("window_breakdown", 1).get(TR);
    assertThat(tr.get("first_task")).isEqualTo("2026-01-05T10:00:05.000000Z");
    assertThat(tr.get("last_task")).isEqualTo("2026-01-05T10:02:30.000000Z");
    assertThat(tr.get("gap_end_to_last_task_s")).isEqualTo("30");
    assertThat(List.of(tr.get("tasks_before"), tr.get("tasks_in"), tr.get("tasks_after"),
        tr.get("steps_before"), tr.get("steps_in"), tr.get("steps_after")))
        .containsExactly("1", "2", "1", "1", "4", "1");
    Map<String, Map<String, String>> sensitivity = table("threshold_sensitivity", 4);
    // T = 50: 0.50 x 100 = 50 is not above 50; the same samples as at 70 bound the window.
    assertThat(sensitivity.get(TR + "|thunderreact|32|50.0").get("window_s")).isEqualTo("110");
    // T = 90: 0.90 x 100 = 90.0 is not above 90: no sample above, no window.
    assertThat(sensitivity.get(TR + "|thunderreact|32|90.0").get("samples_above"))
        .isEqualTo("0");
    assertThat(Files.readString(out.resolve("agentic/figures/tasks_per_min_vs_threshold.csv")))
        .contains("series,system,concurrency,threshold_pct,tasks_per_min,steps_per_s");
  }

  @Test
  void thresholdFigureDrawsTasksPerMinuteAgainstTheThreshold() throws Exception {
    DrawnFigure figure = DrawnFigure.of(out.resolve("agentic"), "tasks_per_min_vs_threshold");
    figure.assertDraws("threshold_pct", "KV usage threshold T (%)", "tasks_per_min",
        "tasks per minute in the window");
    // thunderreact: 2 tasks in 110 s at T = 50 and 70; continuum 3 / min at 70; no run has a
    // window at 90. The concurrency (32 for all) is on no axis.
    assertThat(figure.xs()).contains(50.0, 70.0).doesNotContain(32.0);
    assertThat(figure.ys()).contains(3.0)
        .anySatisfy(y -> assertThat(y).isCloseTo(2 / (110 / 60.0), within(1e-12)));
    assertThat(DrawnFigure.generic(out.resolve("agentic"))).isEmpty();
  }

  @Test
  void bottleneckFromTau2LogWithDriverFallback() throws IOException {
    Map<String, Map<String, String>> edges = table("bottleneck_edges", 2);
    // tau2_global.log in [10:00:10, 10:02:00]: agent->env at 10:00:12 and 10:01:30,
    // user->agent at 10:01:00, no roles at 10:01:10 -> unknown->unknown.
    assertThat(edges.get(TR + "|agent->env").get("steps_in_window")).isEqualTo("2");
    assertThat(edges.get(TR + "|unknown->unknown").get("steps_in_window")).isEqualTo("1");
    assertThat(number(edges.get(TR + "|all"), "steps_per_s")).isCloseTo(4 / 110.0,
        within(1e-12));
    assertThat(edges.get(TR + "|all").get("source")).isEqualTo("tau2_global");
    assertThat(edges.get(CT + "|all").get("source")).isEqualTo(Bottleneck.FALLBACK);
    assertThat(edges.get(CT + "|all").get("steps_in_window")).isEqualTo("6");

    Map<String, Map<String, String>> latency = table("bottleneck_latency", 2);
    // llm_call in the window: 1, 4, 2, 10 s (10:02:00.999 counts; 10:02:05 is out; the call
    // without duration_ms is skipped). Sorted 1, 2, 4, 10: p50 at position 1.5 = 3.0; p90 at
    // 2.7 = 4 + 0.7 * 6 = 8.2; p99 at 2.97 = 4 + 0.97 * 6 = 9.82; > 3 s: 2; > 9 s: 1.
    Map<String, String> llm = latency.get(TR + "|llm_call");
    assertThat(llm.get("n")).isEqualTo("4");
    assertThat(number(llm, "mean_s")).isCloseTo(4.25, within(1e-12));
    assertThat(number(llm, "p50_s")).isCloseTo(3.0, within(1e-12));
    assertThat(number(llm, "p90_s")).isCloseTo(8.2, within(1e-12));
    assertThat(number(llm, "p99_s")).isCloseTo(9.82, within(1e-12));
    assertThat(number(llm, "max_s")).isEqualTo(10.0);
    assertThat(llm.get("over_3s")).isEqualTo("2");
    assertThat(llm.get("over_9s")).isEqualTo("1");
    // expert_call 2 and 3 s: p50 2.5, p90 2 + 0.9 = 2.9.
    assertThat(number(latency.get(TR + "|expert_call"), "p90_s")).isCloseTo(2.9, within(1e-12));
    assertThat(number(latency.get(TR + "|user_sim"), "p50_s")).isEqualTo(5.0);
    // continuum falls back to driver.log: one llm_call (7 s) in its window.
    assertThat(number(latency.get(CT + "|llm_call"), "max_s")).isEqualTo(7.0);

    Map<String, Map<String, String>> slow = table("top_slow_calls", 3);
    assertThat(slow.get(TR + "|llm_call|1").get("task")).isEqualTo("retail_3");
    assertThat(number(slow.get(TR + "|llm_call|2"), "duration_s")).isEqualTo(4.0);
    assertThat(slow.get(TR + "|llm_call|3")).isNull();
  }

  @Test
  void healthStuckReportAndCutoff() throws IOException {
    Map<String, Map<String, String>> health = table("run_health", 1);
    Map<String, String> tr = health.get(TR);
    assertThat(List.of(tr.get("eval_ok"), tr.get("eval_error"), tr.get("eval_total"),
        tr.get("trial_files"), tr.get("expected_trials"), tr.get("kv_ports"),
        tr.get("kv_covers_window"), tr.get("error_lines"), tr.get("status")))
        .containsExactly("3", "1", "4", "4", "4", "1", "true", "2", "ok");
    assertThat(number(tr, "eval_elapsed_s")).isEqualTo(300.0);
    assertThat(health.get(CT).get("kv_ports")).isEqualTo("2");
    assertThat(health.get(CT).get("status")).isEqualTo("contaminated");
    assertThat(health.get(BL).get("has_driver_log")).isEqualTo("false");
    assertThat(health.get(BL).get("status")).isEqualTo("incomplete");
    // Rejected rows per run (RunsIngestJobTest lists them): thunderreact 2 driver.log lines, 2
    // KV rows and 1 trial file; continuum 1 scheduler event; baseline none.
    assertThat(tr.get("rows_rejected")).isEqualTo("5");
    assertThat(health.get(CT).get("rows_rejected")).isEqualTo("1");
    assertThat(health.get(BL).get("rows_rejected")).isEqualTo("0");

    Map<String, Map<String, String>> stuck = table("stuck_report", 1);
    // retail_4 has a user_sim event but no FINISHED line. Last good task 10:02:30; the last
    // sample at or before it is 10:02:10 (20 %); samples within +-60 s: 75, 20, 10 -> 35 %;
    // after it only 10:03:00 (10 %), 30 s later.
    Map<String, String> trStuck = stuck.get(TR);
    assertThat(trStuck.get("tasks_unfinished")).isEqualTo("1");
    assertThat(trStuck.get("unfinished_tasks")).isEqualTo("retail_4");
    assertThat(number(trStuck, "kv_at_last_task_pct")).isCloseTo(20.0, within(1e-9));
    assertThat(number(trStuck, "kv_mean_around_last_task_pct")).isCloseTo(35.0, within(1e-9));
    assertThat(trStuck.get("stuck_period_s")).isEqualTo("30");
    assertThat(number(trStuck, "stuck_kv_max_pct")).isCloseTo(10.0, within(1e-9));
    assertThat(number(trStuck, "stuck_kv_p90_pct")).isCloseTo(10.0, within(1e-9));

    Map<String, Map<String, String>> cutoff = table("kv_after_cutoff", 1);
    // At or after 10:02:00: 0.75 (above), 0.20, 0.10.
    assertThat(cutoff.get(TR).get("samples_after")).isEqualTo("3");
    assertThat(cutoff.get(TR).get("exceeded")).isEqualTo("true");
    assertThat(cutoff.get(CT).get("exceeded")).isEqualTo("false");

    // Usage figure: the 8 usage samples that are numbers, seconds since 10:00:00.
    List<String> figure = Files.readAllLines(out.resolve("agentic/figures/kv_usage.csv"));
    List<String> times = new ArrayList<>();
    for (String line : figure) {
      if (line.startsWith(TR + ",")) {
        times.add(line.split(",")[1]);
      }
    }
    assertThat(times).containsExactly("0", "10", "30", "40", "60", "120", "130", "180");
  }

  @Test
  void comparisonTablesHaveConcurrencyRowsSystemColumnsAndWinner() throws IOException {
    List<String> md = Files.readAllLines(out.resolve("agentic/compare_tasks_per_min.md"));
    assertThat(md.get(0))
        .isEqualTo("| Concurrency | baseline | continuum | thunderreact | Winner |");
    assertThat(md.get(1)).isEqualTo("|---:|---:|---:|---:|:--|");
    // continuum 3.00 vs thunderreact 1.09: thunderreact's two bins (1 task in 60 s, 1 in 50 s)
    // give replicates of 1.0, 1.09 or 1.2 tasks/min, continuum's single bin always 3.0, so
    // every lead lies in [1.8, 2.0]: the interval excludes 0.
    assertThat(md.get(2)).startsWith("| 32 | no active window | 3.00 tasks/min | 1.09 tasks/min"
        + " | continuum (lead 1.91, 95% CI [");
    Map<String, String> row = table("compare_steps_per_s", 1).get("32");
    assertThat(row.get("winner")).isEqualTo("continuum");
    assertThat(number(row, "lead")).isCloseTo(0.1 - 4 / 110.0, within(1e-12));
    assertThat(number(row, "lead_ci_low")).isGreaterThan(0);
  }

  @Test
  void wholeRunRateBesideTheWindowRate() throws IOException {
    // thunderreact's outputs/metrics_global.json says "tasks_per_min": 0.6 (4 tasks over its
    // elapsed 300 s would be 0.8: the file's number is taken as written); continuum and
    // baseline have no metrics_global.json, so their whole-run rate is unknown (empty).
    Map<String, Map<String, String>> windows = table("active_window", 1);
    assertThat(number(windows.get(TR), "tasks_per_min_whole_run")).isEqualTo(0.6);
    assertThat(number(windows.get(TR), "tasks_per_min")).isCloseTo(2 / (110 / 60.0),
        within(1e-12));
    assertThat(windows.get(CT).get("tasks_per_min_whole_run")).isEmpty();
    assertThat(windows.get(BL).get("tasks_per_min_whole_run")).isEmpty();
    // The column is the run's, at every threshold (T = 90: no window, the rate still 0.6).
    assertThat(number(table("threshold_sensitivity", 4).get(TR + "|thunderreact|32|90.0"),
        "tasks_per_min_whole_run")).isEqualTo(0.6);
    // The existing columns stay as they were, the new one last.
    assertThat(Files.readAllLines(out.resolve("agentic/active_window.csv")).get(0))
        .isEqualTo("run_id,system,concurrency,threshold_pct,window_start,window_end,window_s,"
            + "tasks_in_window,steps_in_window,tasks_per_min,steps_per_s,samples_above,note,"
            + "tasks_per_min_whole_run");

    // The comparison table keeps its columns; the whole-run rate is a table of its own.
    assertThat(Files.readAllLines(out.resolve("agentic/compare_tasks_per_min.csv")).get(0))
        .isEqualTo("concurrency,baseline,continuum,thunderreact,winner,leader,runner_up,lead,"
            + "lead_ci_low,lead_ci_high");
    List<String> wholeRun = Files.readAllLines(
        out.resolve("agentic/compare_tasks_per_min_whole_run.csv"));
    // Concurrency 32: only thunderreact has a whole-run rate, so it leads with no runner-up.
    assertThat(wholeRun).containsExactly(
        "concurrency,baseline,continuum,thunderreact,leader,runner_up,lead",
        "32,,,0.6,thunderreact,,");
    List<String> md = Files.readAllLines(
        out.resolve("agentic/compare_tasks_per_min_whole_run.md"));
    assertThat(md.get(0))
        .isEqualTo("| Concurrency | baseline | continuum | thunderreact | Leader |");
    assertThat(md.get(2)).isEqualTo("| 32 | no metrics_global.json | no metrics_global.json"
        + " | 0.60 tasks/min | thunderreact |");
  }
}
