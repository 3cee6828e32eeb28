package dev.servelens.workload;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.figures.DrawnFigure;
import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TTFT and duration CDFs and the requests by hour and by minute of day on a six-request
 * fixture (src/test/resources/WorkloadLatencyFiguresTest/requests.csv; a seventh row, with a
 * negative TTFT, is rejected by the ingest and must not count), worked out by hand:
 *
 * <pre>
 *   model started_at            ttft  duration
 *   m1    2025-01-01 00:10:00   0.5   2
 *   m1    2025-01-01 05:00:00   0.25  4
 *   m1    2025-01-01 05:30:00   0.5   1
 *   m2    2025-01-01 23:59:59   2     8
 *   m2    2025-01-02 05:15:00   -     3
 *   m2    2025-01-02 23:00:00   1     8
 * </pre>
 *
 * Also counts the Spark jobs of the analysis, which adds these figures to its existing passes.
 */
class WorkloadLatencyFiguresTest {
  /**
   * {@code analyze workload} is a few-pass analysis: this fixture took 22 Spark jobs before the
   * TTFT, duration and hour-of-day figures, which must add none (the TTFT box by prompt length,
   * one aggregation, fits in what the exact-CDF rework saved: 22 with it).
   */
  private static final int MAX_JOBS = 22;

  @TempDir static Path temp;
  private static Path out;
  private static int jobs;

  @BeforeAll
  static void ingestAndAnalyse() throws Exception {
    SparkSession spark = SharedSpark.session();
    WorkloadAnalyzeOptions analyze = WorkloadAnalyzeJobTest.ingest(temp,
        "src/test/resources/WorkloadLatencyFiguresTest/requests.csv");
    SparkContext context = spark.sparkContext();
    AtomicInteger started = new AtomicInteger();
    SparkListener counter = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        started.incrementAndGet();
      }
    };
    context.listenerBus().waitUntilEmpty();
    context.addSparkListener(counter);
    try {
      WorkloadAnalyzeJob.run(spark, analyze);
      context.listenerBus().waitUntilEmpty();
    } finally {
      context.removeSparkListener(counter);
    }
    jobs = started.get();
    out = temp.resolve("out").resolve("workload");
  }

  private static List<Map<String, String>> figure(String name) throws IOException {
    return OutputCsv.read(out.resolve("figures").resolve(name + ".csv"));
  }

  /** The CDF figure's points as "series value" to cdf. */
  private static Map<String, Double> points(String name) throws IOException {
    Map<String, Double> points = new TreeMap<>();
    for (Map<String, String> row : figure(name)) {
      points.put(row.get("series") + " " + row.get("value"), number(row, "cdf"));
    }
    return points;
  }

  @Test
  void ttftCdfPerModelLeavesOutMissingValues() throws Exception {
    // m1: 0.25 0.5 0.5; m2: 1 2 (one row has no TTFT); all: 0.25 0.5 0.5 1 2.
    assertThat(points("cdf_ttft")).isEqualTo(Map.of(
        "m1 0.25", 1.0 / 3, "m1 0.5", 1.0,
        "m2 1.0", 0.5, "m2 2.0", 1.0,
        "* 0.25", 0.2, "* 0.5", 0.6, "* 1.0", 0.8, "* 2.0", 1.0));
    DrawnFigure.of(out, "cdf_ttft").assertDraws("value", "time to first token (s)", "cdf",
        "fraction of requests \u2264 x (CDF)");
  }

  @Test
  void durationCdfPerModel() throws Exception {
    // m1: 1 2 4; m2: 3 8 8; all: 1 2 3 4 8 8.
    assertThat(points("cdf_duration")).isEqualTo(Map.of(
        "m1 1.0", 1.0 / 3, "m1 2.0", 2.0 / 3, "m1 4.0", 1.0,
        "m2 3.0", 1.0 / 3, "m2 8.0", 1.0,
        "* 1.0", 1.0 / 6, "* 2.0", 2.0 / 6, "* 3.0", 0.5, "* 4.0", 4.0 / 6, "* 8.0", 1.0));
    DrawnFigure.of(out, "cdf_duration").assertDraws("value", "request duration (s)", "cdf",
        "fraction of requests \u2264 x (CDF)");
  }

  @Test
  void requestsByHourOfDayOverEveryDay() throws Exception {
    List<Map<String, String>> hours = figure("requests_by_hour_of_day");
    // Hour 0: 01-01 00:10; hour 5: 01-01 05:00, 05:30 and 01-02 05:15; hour 23: 01-01
    // 23:59:59 and 01-02 23:00. Every other hour: 0.
    assertThat(hours).extracting(r -> r.get("hour"))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 24)
            .mapToObj(Integer::toString).toList());
    assertThat(number(row(hours, "hour", "0"), "requests")).isEqualTo(1);
    assertThat(number(row(hours, "hour", "5"), "requests")).isEqualTo(3);
    assertThat(number(row(hours, "hour", "23"), "requests")).isEqualTo(2);
    assertThat(hours.stream().mapToDouble(r -> number(r, "requests")).sum()).isEqualTo(6);
    DrawnFigure.of(out, "requests_by_hour_of_day").assertDraws("hour", "hour of day (UTC)",
        "requests", "requests (all days)");
    assertThat(DrawnFigure.generic(out)).isEmpty();
  }

  @Test
  void requestsByMinuteOfDayOverEveryDay() throws Exception {
    List<Map<String, String>> minutes = figure("requests_by_minute_of_day");
    // 01-01 00:10, 05:00, 05:30, 23:59:59 and 01-02 05:15, 23:00: minutes 10, 300, 330, 1439,
    // 315 and 1380 of the day, one request each; the other 1434 minutes 0.
    assertThat(minutes).hasSize(1440);
    assertThat(minutes).extracting(r -> r.get("minute"))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1440)
            .mapToObj(Integer::toString).toList());
    Map<String, Double> busy = new TreeMap<>();
    for (Map<String, String> row : minutes) {
      if (number(row, "requests") != 0) {
        busy.put(row.get("time"), number(row, "requests"));
      }
    }
    assertThat(busy).isEqualTo(Map.of("00:10", 1.0, "05:00", 1.0, "05:15", 1.0, "05:30", 1.0,
        "23:00", 1.0, "23:59", 1.0));
    assertThat(row(minutes, "minute", "1439").get("time")).isEqualTo("23:59");
    assertThat(row(minutes, "minute", "315").get("time")).isEqualTo("05:15");
    DrawnFigure.of(out, "requests_by_minute_of_day").assertDraws("minute",
        "minute of day (UTC, 0 = 00:00, 1439 = 23:59)", "requests", "requests (all days)");
  }

  @Test
  void throughputPerModelAndHour() throws Exception {
    // Every request has 10 input and 5 output tokens. Per request: prefill 10 / ttft, decode
    // 5 / (duration - ttft), TPOT (duration - ttft) / 4.
    //   m1 01-01 00h: ttft 0.5, duration 2: 20, 5 / 1.5, 0.375
    //   m1 01-01 05h: ttft 0.25, duration 4: 40, 5 / 3.75, 0.9375; ttft 0.5, duration 1: 20,
    //                 10, 0.125; means 30, (4 / 3 + 10) / 2, 0.53125
    //   m2 01-01 23h: ttft 2, duration 8: 5, 5 / 6, 1.5
    //   m2 01-02 05h: no ttft: one request, no measure
    //   m2 01-02 23h: ttft 1, duration 8: 10, 5 / 7, 1.75 (the rejected row does not count)
    List<Map<String, String>> table = OutputCsv.read(out.resolve("throughput_per_model_hour.csv"));
    assertThat(table).extracting(r -> r.get("model_id") + " " + r.get("hour") + " "
        + r.get("requests") + " " + r.get("prefill_tps_n"))
        .containsExactly("m1 2025-01-01T00:00:00.000000Z 1 1", "m1 2025-01-01T05:00:00.000000Z 2 2",
            "m2 2025-01-01T23:00:00.000000Z 1 1", "m2 2025-01-02T05:00:00.000000Z 1 0",
            "m2 2025-01-02T23:00:00.000000Z 1 1");
    double[][] expected = {
      {20, 5 / 1.5, 0.375}, {30, (4.0 / 3 + 10) / 2, 0.53125}, {5, 5 / 6.0, 1.5}, null,
      {10, 5 / 7.0, 1.75}};
    for (int i = 0; i < expected.length; i++) {
      Map<String, String> row = table.get(i);
      if (expected[i] == null) {
        assertThat(List.of(row.get("prefill_tps_mean"), row.get("decode_tps_mean"),
            row.get("tpot_s_mean"), row.get("decode_tps_n"), row.get("tpot_s_n")))
            .containsExactly("", "", "", "0", "0");
        continue;
      }
      assertThat(number(row, "prefill_tps_mean")).isCloseTo(expected[i][0], within(1e-12));
      assertThat(number(row, "decode_tps_mean")).isCloseTo(expected[i][1], within(1e-12));
      assertThat(number(row, "tpot_s_mean")).isCloseTo(expected[i][2], within(1e-12));
    }
    // The figures: the same rows where the measure has a value (m2's 05h has none).
    assertThat(figure("prefill_tps_per_hour")).hasSize(4);
    DrawnFigure.of(out, "prefill_tps_per_hour").assertDraws("hour", "time (UTC, month-day)",
        "prefill_tps_mean", "prefill throughput (tokens/s)");
    DrawnFigure.of(out, "decode_tps_per_hour").assertDraws("hour", "time (UTC, month-day)",
        "decode_tps_mean", "decode throughput (tokens/s)");
    DrawnFigure.of(out, "tpot_s_per_hour").assertDraws("hour", "time (UTC, month-day)",
        "tpot_s_mean", "time per output token (s)");
  }

  @Test
  void ttftBoxPerThousandInputTokens() throws Exception {
    // Every prompt has 10 tokens: one bucket, 0. TTFTs: m1 0.5, 0.25, 0.5; m2 2, 1 (its request
    // without TTFT left out); all: 0.25, 0.5, 0.5, 1, 2 (mean 4.25 / 5 = 0.85, median 0.5,
    // smallest 0.25, largest 2).
    List<Map<String, String>> boxes = figure("ttft_by_input_tokens_box");
    assertThat(boxes).extracting(r -> r.get("series") + " " + r.get("input_k") + " " + r.get("n"))
        .containsExactly("* 0 5", "m1 0 3", "m2 0 2");
    Map<String, String> all = row(boxes, "series", "*");
    assertThat(number(all, "mean")).isCloseTo(0.85, within(1e-12));
    assertThat(List.of(number(all, "p5"), number(all, "p50"), number(all, "p95")))
        .containsExactly(0.25, 0.5, 2.0);
    assertThat(number(row(boxes, "series", "m1"), "p50")).isEqualTo(0.5);
    assertThat(number(row(boxes, "series", "m1"), "mean")).isCloseTo(1.25 / 3, within(1e-12));
    assertThat(number(row(boxes, "series", "m2"), "mean")).isCloseTo(1.5, within(1e-12));
    DrawnFigure.of(out, "ttft_by_input_tokens_box").assertBoxes("input_k",
        "input tokens (thousands, bucket start)", "time to first token (s)");
  }

  @Test
  void theFiguresAddNoSparkJobs() {
    System.out.println("analyze workload: " + jobs + " Spark jobs");
    assertThat(jobs).isBetween(1, MAX_JOBS);
  }
}
