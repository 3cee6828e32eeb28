package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.cli.Main;
import dev.servelens.io.SourceFile;
import dev.servelens.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line-level rules without Spark: log timestamps, event lines, labels, linear quantiles, the
 * comparison's winner rule and the command line's usage checks.
 */
class RunsParsingTest {
  private static final LogLineToEvent UTC = new LogLineToEvent(new LogTimestamps(ZoneId.of("UTC")));

  private static long epoch(String utc) {
    return Instant.parse(utc).getEpochSecond();
  }

  @Test
  void timestampsAreCutToTheSecondAndReadInTheDriverZone() {
    LogTimestamps utc = new LogTimestamps(ZoneId.of("UTC"));
    assertThat(utc.first("x 2026-01-05 10:30:53.735 y", 0))
        .isEqualTo(epoch("2026-01-05T10:30:53Z"));
    // 23:59:59.999 stays on its day.
    assertThat(utc.first("2026-01-05 23:59:59.999", 0)).isEqualTo(epoch("2026-01-05T23:59:59Z"));
    // An impossible date is skipped and the next timestamp found.
    assertThat(utc.first("2026-13-45 10:00:00 then 2026-01-05 10:00:01", 0))
        .isEqualTo(epoch("2026-01-05T10:00:01Z"));
    assertThat(utc.first("no time here 2026-01-05 10:0", 0)).isNull();
    LogTimestamps shanghai = new LogTimestamps(ZoneId.of("Asia/Shanghai"));
    assertThat(shanghai.first("[2026-01-05 18:14:23]", 0)).isEqualTo(epoch("2026-01-05T10:14:23Z"));
  }

  @Test
  void eventLinesAndNonEventLines() {
    Object[] finished = UTC.parse("driver", "abc [2026-01-05 10:00:30] FINISHED SIMULATION:"
        + " Domain: telecom, Task: [mobile_data]_7, Agent: a, User: u. Reward: 0.5");
    assertThat(finished[1]).isEqualTo(RunsColumns.TASK_FINISHED);
    assertThat(finished[2]).isEqualTo(epoch("2026-01-05T10:00:30Z"));
    assertThat(finished[4]).isEqualTo("telecom_[mobile_data]_7");
    Object[] step = UTC.parse("tau2_global", "[PROFILE] 2026-01-05 10:00:01.500 task=retail_1"
        + " type=step_complete step=3 total_duration_ms=1834.20");
    assertThat(step[6]).isEqualTo("unknown->unknown");
    assertThat(step[7]).isEqualTo(1.8342);
    assertThat(step[5]).isEqualTo(3);
    Object[] other = UTC.parse("driver", "[2026-01-05 10:00:00] Starting worker 3");
    assertThat(other[1]).isNull();
    Object[] context = UTC.parse("driver", "openai.BadRequestError: This model's maximum"
        + " context length is 32768 tokens");
    assertThat(context[10]).isEqualTo("context_length_exceeded");
    assertThatThrownBy(() -> UTC.parse("driver", "[PROFILE] task=x type=llm_call duration_ms=1"))
        .hasMessage("profile line without a timestamp");
    assertThatThrownBy(() -> UTC.parse("driver", "[2026-01-05 10:00:00] Global evaluation"
        + " complete: ok=3 error=x total=4 elapsed_s=1 tasks_per_min=1"))
        .hasMessage("error: not a number 'x'");
  }

  @Test
  void labelsFromDirectoryNamesOrTheLabelMap() {
    assertThat(RunLabels.fromName("thunderreact_c128"))
        .isEqualTo(new RunLabels.Label("thunderreact", 128, RunLabels.FROM_NAME));
    assertThat(RunLabels.fromName("continuum_c64_20260104_223636"))
        .isEqualTo(new RunLabels.Label("continuum", 64, RunLabels.FROM_NAME));
    assertThat(RunLabels.fromName("my_cool_run_c32_x").system()).isEqualTo("my_cool_run");
    assertThat(RunLabels.fromName("notes").system()).isEqualTo(RunLabels.UNKNOWN);
    Map<String, String> map = new LinkedHashMap<>();
    map.put("tr_run7", "thunderreact,64");
    map.put("bl_*", "baseline, 32");
    RunLabels labels = new RunLabels(map);
    assertThat(labels.of("tr_run7")).isEqualTo(new RunLabels.Label("thunderreact", 64,
        RunLabels.FROM_MAP));
    assertThat(labels.of("bl_0105").concurrency()).isEqualTo(32);
    assertThat(labels.of("continuum_c16").source()).isEqualTo(RunLabels.FROM_NAME);
    assertThatThrownBy(() -> new RunLabels(Map.of("x", "thunderreact")))
        .hasMessageContaining("expected 'system,concurrency'");
  }

  @Test
  void labelMapFileAndRunDirectoriesAtAnyDepth(@TempDir Path temp) throws IOException {
    Path file = temp.resolve("labels.properties");
    Files.writeString(file,
        "# runs of 2026-01-04\ntr_run7 = thunderreact,64\n\nct_* = continuum,128\n");
    RunLabels labels = RunLabels.read(new Configuration(), file.toString());
    assertThat(labels.of("ct_0104").system()).isEqualTo("continuum");
    List<SourceFile> files = List.of(
        new SourceFile("file:/x/a/tr_run7/driver.log", 1, 1),
        new SourceFile("file:/x/a/tr_run7/logs/tau2_global.log", 1, 1),
        new SourceFile("file:/x/a/tr_run7/outputs/all_domains/retail__1__trial0.json", 1, 1),
        new SourceFile("file:/x/a/tr_run7/outputs/other.json", 1, 1),
        new SourceFile("file:/x/a/tr_run70/kv_cache_timeseries.csv", 1, 1),
        new SourceFile("file:/x/b/c/tr_run7/kv_cache_timeseries.csv", 1, 1),
        new SourceFile("file:/x/readme.txt", 1, 1));
    List<RunDirectory> runs = RunDirectories.find(files, labels, Map.of());
    // Three runs; two share the name tr_run7, so both take their parent's name; tr_run70 is
    // unique (and tr_run7's files are not taken for its own, though its path sorts between).
    assertThat(runs).extracting(RunDirectory::runId)
        .containsExactly("a/tr_run7", "tr_run70", "c/tr_run7");
    RunDirectory first = runs.get(0);
    assertThat(first.label().concurrency()).isEqualTo(64);
    assertThat(first.has(RunFileKind.TAU2_LOG)).isTrue();
    assertThat(first.files().get(RunFileKind.TRIAL)).hasSize(1);
    assertThat(first.has(RunFileKind.KV)).isFalse();
    assertThat(runs.get(1).files().get(RunFileKind.DRIVER_LOG)).isEmpty();
  }

  @Test
  void quantilesInterpolateLinearlyLikeNumpy() {
    // numpy.percentile([1, 2, 4, 10], [50, 90, 99]) = [3.0, 8.2, 9.82]
    double[] sorted = {1, 2, 4, 10};
    assertThat(Quantiles.linear(sorted, 0.5)).isEqualTo(3.0);
    assertThat(Quantiles.linear(sorted, 0.9)).isCloseTo(8.2, org.assertj.core.api.Assertions
        .within(1e-12));
    assertThat(Quantiles.linear(new double[] {7}, 0.99)).isEqualTo(7.0);
  }

  @Test
  void winnerOnlyWhenTheLeadIsOutsideTheNoise() {
    // Leads per replicate: 0.3, -0.1, 0.2, 0.5, 0.1 -> the interval spans 0: a tie.
    ComparisonTable.Group a = new ComparisonTable.Group("a", 32, 3.2, 1,
        new double[] {3.5, 3.0, 3.3, 3.6, 3.2});
    ComparisonTable.Group b = new ComparisonTable.Group("b", 32, 3.0, 1,
        new double[] {3.2, 3.1, 3.1, 3.1, 3.1});
    assertThat(ComparisonTable.winner(List.of(a, b)).label()).isEqualTo("tie (within noise)");
    ComparisonTable.Group c = new ComparisonTable.Group("c", 32, 2.0, 1,
        new double[] {2.0, 2.1, 1.9, 2.0, 2.0});
    ComparisonTable.Winner winner = ComparisonTable.winner(List.of(c, a));
    assertThat(winner.label()).isEqualTo("a");
    assertThat(winner.lead()).isCloseTo(1.2, org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void commandLineHelpAndBadUsage() {
    assertThat(Main.execute("analyze", "runs", "--help")).isZero();
    assertThat(Main.execute("ingest", "runs", "--help")).isZero();
    CommandRun threshold = CommandRun.of("analyze", "runs", "--catalog", "c", "--out", "o",
        "--threshold", "150");
    assertThat(threshold.code()).isEqualTo(2);
    assertThat(threshold.err()).contains("--threshold", "150");
    CommandRun cutoff = CommandRun.of("analyze", "runs", "--catalog", "c", "--out", "o",
        "--cutoff", "yesterday");
    assertThat(cutoff.code()).isEqualTo(2);
    assertThat(cutoff.err()).contains("--cutoff", "yesterday");
  }
}
