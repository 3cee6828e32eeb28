package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worklog's BL128 arithmetic (§6.5) on a run written here with the same counts: window
 * 10:14:23 .. 11:28:56 (4473 s), tasks before/in/after 1/262/12, steps 432/12658/330, last
 * task 16.6 min after the window. The worklog reports 262 / (4473 / 60) = 3.51 tasks/min and
 * 12658 / 4473 = 2.83 steps/s.
 */
class RunsWorklogSanityTest {
  private static final Logger LOG = LoggerFactory.getLogger(RunsWorklogSanityTest.class);
  private static final DateTimeFormatter DRIVER =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @TempDir Path temp;

  @Test
  void reproducesTheBaseline128Numbers() throws IOException {
    long start = Instant.parse("2026-01-05T10:14:23Z").getEpochSecond();
    long end = Instant.parse("2026-01-05T11:28:56Z").getEpochSecond();
    Path run = temp.resolve("outputs/baseline_c128_20260105_101158");
    Files.createDirectories(run);
    writeKv(run, start, end);
    List<String> driver = new ArrayList<>();
    driver.add("[" + DRIVER.format(Instant.ofEpochSecond(start - 60)) + "] FINISHED SIMULATION:"
        + " Domain: retail, Task: 0, Agent: a, User: u. Reward: 1.0");
    for (int i = 0; i < 262; i++) {   // the first at the window start, the last at its end
      driver.add(finished(start + (long) i * 4473 / 261, "retail", i + 1));
    }
    for (int i = 0; i < 12; i++) {    // the last 996 s (16.6 min) after the window
      driver.add(finished(end + 1 + (long) i * 995 / 11, "airline", i));
    }
    for (int i = 0; i < 432; i++) {
      driver.add(step(start - 1 - i % 50, i));
    }
    for (int i = 0; i < 12658; i++) {
      driver.add(step(start + i % 4474, i));
    }
    for (int i = 0; i < 330; i++) {
      driver.add(step(end + 1 + i % 100, i));
    }
    Files.write(run.resolve("driver.log"), driver);

    long began = System.nanoTime();
    RunsIngestOptions ingest = new RunsIngestOptions();
    ingest.inputs = List.of(temp.resolve("outputs").toString());
    ingest.catalog = temp.resolve("catalog").toString();
    RunsIngestJob.run(SharedSpark.session(), ingest);
    long ingested = System.nanoTime();
    RunsAnalyzeOptions options = new RunsAnalyzeOptions();
    options.catalog = ingest.catalog;
    options.out = temp.resolve("out").toString();
    RunsAnalyzeJob.run(SharedSpark.session(), options);
    LOG.info("BL128-sized run: ingest {} ms, analyze {} ms", (ingested - began) / 1_000_000,
        (System.nanoTime() - ingested) / 1_000_000);

    Path out = temp.resolve("out");
    Map<String, String> window = RunsAnalyzeJobTest.csv(out.resolve("agentic/active_window.csv"),
        1).get("baseline_c128_20260105_101158");
    assertThat(window.get("window_s")).isEqualTo("4473");
    assertThat(window.get("tasks_in_window")).isEqualTo("262");
    assertThat(Double.parseDouble(window.get("tasks_per_min")))
        .isCloseTo(262 / (4473 / 60.0), within(1e-12));
    assertThat(Double.parseDouble(window.get("steps_per_s"))).isCloseTo(12658 / 4473.0,
        within(1e-12));
    Map<String, String> breakdown = RunsAnalyzeJobTest.csv(
        out.resolve("agentic/window_breakdown.csv"), 1).get("baseline_c128_20260105_101158");
    assertThat(List.of(breakdown.get("tasks_before"), breakdown.get("tasks_in"),
        breakdown.get("tasks_after"), breakdown.get("steps_before"), breakdown.get("steps_in"),
        breakdown.get("steps_after"), breakdown.get("gap_end_to_last_task_s")))
        .containsExactly("1", "262", "12", "432", "12658", "330", "996");
    String tasksTable = Files.readString(out.resolve("agentic/compare_tasks_per_min.md"));
    assertThat(tasksTable).contains("| 128 | 3.51 tasks/min | baseline (only system");
    assertThat(Files.readString(out.resolve("agentic/compare_steps_per_s.md")))
        .contains("| 128 | 2.83 steps/s |");
  }

  /** Samples every 7 s from 10:12:42 to 11:45:34; above 70 % exactly in [start, end]. */
  private static void writeKv(Path run, long start, long end) throws IOException {
    List<String> kv = new ArrayList<>();
    kv.add("ts_iso,ts_unix,port,metric,value");
    long first = Instant.parse("2026-01-05T10:12:42Z").getEpochSecond();
    long last = Instant.parse("2026-01-05T11:45:34Z").getEpochSecond();
    List<Long> times = new ArrayList<>();
    for (long t = first; t < start; t += 7) {
      times.add(t);
    }
    for (long t = start; t <= last; t += 7) {   // 4473 = 7 x 639: a sample falls on the end
      times.add(t);
    }
    times.add(last);
    for (long t : times) {
      String value = t >= start && t <= end ? "0.82" : "0.31";
      kv.add(Instant.ofEpochSecond(t) + "," + t + ",1900,vllm:kv_cache_usage_perc{engine=\"0\"},"
          + value);
    }
    Files.write(run.resolve("kv_cache_timeseries.csv"), kv);
  }

  private static String finished(long t, String domain, int task) {
    return "[" + DRIVER.format(Instant.ofEpochSecond(t)) + "] FINISHED SIMULATION: Domain: "
        + domain + ", Task: " + task + ", Agent: a, User: u. Reward: 1.0";
  }

  private static String step(long t, int i) {
    return "[PROFILE] " + DRIVER.format(Instant.ofEpochSecond(t)) + ".999 task=retail_" + i % 300
        + " thread=1 type=step_complete step=" + i % 40 + " total_duration_ms=100.00"
        + " from_role=agent to_role=env";
  }
}
