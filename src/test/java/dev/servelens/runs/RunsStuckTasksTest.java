package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.figures.DrawnFigure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stuck report as the worklog counts it ({@code stuck_tasks}) and the whole-run rate's
 * comparison table, on three hand-made runs at concurrency 128 (fixtures under
 * {@code RunsStuckTasksTest/exp}). Every expected number is worked out by hand from the fixture
 * lines in the comments; the analysis runs with the default {@code --expected-trials} (278).
 */
class RunsStuckTasksTest {
  private static final Path FIXTURES = Paths.get("src/test/resources/RunsStuckTasksTest/exp");
  private static final String TR = "thunderreact_c128";
  private static final String CT = "continuum_c128_20260106_075900";
  private static final String BL = "baseline_c128";

  @TempDir static Path temp;
  private static Path out;

  @BeforeAll
  static void ingestAndAnalyze() throws IOException {
    out = RunsAnalyzeJobTest.ingestAndAnalyze(FIXTURES, temp, options -> options.bootstrap = 50,
        3);
  }

  private static Map<String, Map<String, String>> table(String name) throws IOException {
    return RunsAnalyzeJobTest.csv(out.resolve("agentic/" + name + ".csv"), 1);
  }

  private static double number(Map<String, String> row, String column) {
    return Double.parseDouble(row.get(column));
  }

  @Test
  void expectedMinusCompletedAndKvUsageAfterTheLastTask() throws IOException {
    Map<String, Map<String, String>> stuck = table("stuck_tasks");
    // thunderreact: no metrics_global.json, so 278 tasks expected; driver.log has three
    // FINISHED SIMULATION lines (08:00:30, 08:01:00, 08:02:00): 278 - 3 = 275 missing.
    Map<String, String> tr = stuck.get(TR);
    assertThat(List.of(tr.get("system"), tr.get("concurrency"), tr.get("expected_tasks"),
        tr.get("expected_from"), tr.get("completed_tasks"), tr.get("missing_tasks"),
        tr.get("last_task")))
        .containsExactly("thunderreact", "128", "278", "--expected-trials", "3", "275",
            "2026-01-06T08:02:00.000000Z");
    // Usage samples strictly after 08:02:00 (0.85 at 08:02:00 itself is not; NaN at 08:03:00
    // and the num_requests_running row at 99 do not count): 0.95, 0.70, 0.50, 0.20, 0.01, 0.0,
    // 0.005, 0.0 = 8 samples. Buckets as "above L, up to U": 0-1 holds 0.01 (1 % is not above
    // 1), 0.0, 0.005, 0.0 = 4/8 = 0.5; 1-30 holds 0.20 = 1/8; 30-70 holds 0.70 (70 % is not
    // above 70) and 0.50 = 2/8; 70-100 holds 0.95 = 1/8.
    assertThat(tr.get("kv_samples_after_last_task")).isEqualTo("8");
    assertThat(number(tr, "kv_after_last_task_0_1_share")).isEqualTo(0.5);
    assertThat(number(tr, "kv_after_last_task_1_30_share")).isEqualTo(0.125);
    assertThat(number(tr, "kv_after_last_task_30_70_share")).isEqualTo(0.25);
    assertThat(number(tr, "kv_after_last_task_70_100_share")).isEqualTo(0.125);
    // Mean: (95 + 70 + 50 + 20 + 1 + 0 + 0.5 + 0) / 8 = 236.5 / 8 = 29.5625 %.
    assertThat(number(tr, "kv_after_last_task_mean_pct")).isCloseTo(29.5625, within(1e-9));

    // continuum: its metrics_global.json says total 2; two completions (08:00:20, 08:00:40):
    // nothing missing. Its last sample is at 08:00:40, the last task's second: none after, so
    // no shares and no mean.
    Map<String, String> ct = stuck.get(CT);
    assertThat(List.of(ct.get("expected_tasks"), ct.get("expected_from"),
        ct.get("completed_tasks"), ct.get("missing_tasks"), ct.get("kv_samples_after_last_task"),
        ct.get("kv_after_last_task_0_1_share"), ct.get("kv_after_last_task_mean_pct")))
        .containsExactly("2", "metrics_global.json", "2", "0", "0", "", "");

    // baseline: metrics total 278, one completion at 08:00:50: 277 missing. After it 0.72
    // (above 70) and 0.10 (1-30): shares 0, 0.5, 0, 0.5; mean (72 + 10) / 2 = 41 %.
    Map<String, String> bl = stuck.get(BL);
    assertThat(List.of(bl.get("expected_tasks"), bl.get("completed_tasks"),
        bl.get("missing_tasks"), bl.get("kv_samples_after_last_task")))
        .containsExactly("278", "1", "277", "2");
    assertThat(List.of(number(bl, "kv_after_last_task_0_1_share"),
        number(bl, "kv_after_last_task_1_30_share"), number(bl, "kv_after_last_task_30_70_share"),
        number(bl, "kv_after_last_task_70_100_share")))
        .containsExactly(0.0, 0.5, 0.0, 0.5);
    assertThat(number(bl, "kv_after_last_task_mean_pct")).isCloseTo(41.0, within(1e-9));

    // The existing stuck report is untouched: only thunderreact has a started task (retail_3's
    // llm_call at 08:02:40) without a FINISHED line, and its columns stay as they were.
    Map<String, Map<String, String>> report = table("stuck_report");
    assertThat(report.keySet()).containsExactly(TR);
    assertThat(report.get(TR).get("unfinished_tasks")).isEqualTo("retail_3");
    assertThat(Files.readAllLines(out.resolve("agentic/stuck_report.csv")).get(0))
        .isEqualTo("run_id,tasks_started,tasks_unfinished,unfinished_tasks,last_good_task,"
            + "last_step,kv_at_last_task_pct,kv_mean_around_last_task_pct,last_sample,"
            + "stuck_period_s,stuck_samples,stuck_kv_min_pct,stuck_kv_max_pct,stuck_kv_p50_pct,"
            + "stuck_kv_p90_pct");
  }

  @Test
  void stuckFiguresDrawTheTable() throws Exception {
    // Missing tasks (worked out above): thunderreact 275, continuum 0, baseline 277.
    Map<String, Map<String, String>> missing = RunsAnalyzeJobTest.csv(
        out.resolve("agentic/figures/missing_tasks.csv"), 1);
    assertThat(missing.keySet()).containsExactlyInAnyOrder(TR, CT, BL);
    assertThat(List.of(missing.get(TR).get("missing_tasks"), missing.get(CT).get("missing_tasks"),
        missing.get(BL).get("missing_tasks"))).containsExactly("275", "0", "277");
    DrawnFigure.of(out.resolve("agentic"), "missing_tasks").assertBars("run_id", "run",
        "missing_tasks", "missing tasks", null);
    // KV usage after the last task, stacked by bucket: thunderreact 0.5 / 0.125 / 0.25 /
    // 0.125, baseline 0 / 0.5 / 0 / 0.5; continuum has no sample after its last task.
    Map<String, Double> shares = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(
        out.resolve("agentic/figures/kv_after_last_task.csv")).subList(1, 9)) {
      String[] cells = line.split(",");
      shares.put(cells[0].substring(0, 2) + " " + cells[1], Double.parseDouble(cells[2]));
    }
    assertThat(Files.readAllLines(out.resolve("agentic/figures/kv_after_last_task.csv")))
        .hasSize(9);
    assertThat(shares).isEqualTo(Map.of(
        "th 0-1 %", 0.5, "th 1-30 %", 0.125, "th 30-70 %", 0.25, "th 70-100 %", 0.125,
        "ba 0-1 %", 0.0, "ba 1-30 %", 0.5, "ba 30-70 %", 0.0, "ba 70-100 %", 0.5));
    DrawnFigure.of(out.resolve("agentic"), "kv_after_last_task").assertBars("run_id", "run",
        "share", "share of KV samples after the last task", "bucket");
  }

  @Test
  void wholeRunComparisonLeaderAndLead() throws IOException {
    // Whole-run tasks_per_min of metrics_global.json: baseline 1.5, continuum 2.5,
    // thunderreact none. Continuum leads baseline by 2.5 - 1.5 = 1.0.
    List<String> csv = Files.readAllLines(
        out.resolve("agentic/compare_tasks_per_min_whole_run.csv"));
    assertThat(csv).containsExactly(
        "concurrency,baseline,continuum,thunderreact,leader,runner_up,lead",
        "128,1.5,2.5,,continuum,baseline,1.0");
    List<String> md = Files.readAllLines(
        out.resolve("agentic/compare_tasks_per_min_whole_run.md"));
    assertThat(md.get(2)).isEqualTo("| 128 | 1.50 tasks/min | 2.50 tasks/min"
        + " | no metrics_global.json | continuum (lead 1.00 over baseline) |");
    assertThat(number(table("active_window").get(BL), "tasks_per_min_whole_run"))
        .isEqualTo(1.5);
  }

  @Test
  void wholeRunRateAgainstTheWindowRate() throws Exception {
    // A point per run with both rates: baseline (1.5 whole run) and continuum (2.5);
    // thunderreact has no metrics_global.json. Each point's y is the run's active-window rate.
    Map<String, Map<String, String>> window = table("active_window");
    Map<String, Map<String, String>> points = RunsAnalyzeJobTest.csv(
        out.resolve("agentic/figures/tasks_per_min_window_vs_whole_run.csv"), 1);
    assertThat(points.keySet()).containsExactlyInAnyOrder(BL, CT);
    assertThat(number(points.get(BL), "tasks_per_min_whole_run")).isEqualTo(1.5);
    assertThat(number(points.get(CT), "tasks_per_min_whole_run")).isEqualTo(2.5);
    for (String run : List.of(BL, CT)) {
      assertThat(points.get(run).get("tasks_per_min"))
          .isEqualTo(window.get(run).get("tasks_per_min")).isNotEmpty();
    }
    DrawnFigure.of(out.resolve("agentic"), "tasks_per_min_window_vs_whole_run").assertDraws(
        "tasks_per_min_whole_run", "tasks per minute, whole run", "tasks_per_min",
        "tasks per minute, active window");
  }
}
