package dev.servelens.workload;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.figures.DrawnFigure;
import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.ReferenceStats;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload tables on a seven-request fixture whose numbers were worked out by hand (the
 * comments show the working). Times are seconds after 2025-01-01T00:00:00Z:
 *
 * <pre>
 *   user model in  out  t
 *   a    m1    10   5    0
 *   a    m1    20   10   1
 *   b    m1    30   0    3
 *   a    m2    0    7    3
 *   c    m1    40   20   7
 *   a    m1    50   25   7
 *   b    m2    100  50   3600
 * </pre>
 *
 * plus one malformed row that must not count.
 */
class WorkloadAnalyzeJobTest {
  private static final double EPS = 1e-9;
  @TempDir static Path temp;
  private static Path out;

  @BeforeAll
  static void ingestAndAnalyse() {
    WorkloadAnalyzeOptions analyze =
        ingest(temp, "src/test/resources/WorkloadAnalyzeJobTest/requests.csv");
    analyze.diversityWindow = 2;
    analyze.perUserGaps = true;
    WorkloadAnalyzeJob.run(SharedSpark.session(), analyze);
    out = temp.resolve("out").resolve("workload");
  }

  /**
   * Ingests {@code requestsCsv} into {@code temp/catalog}; returns the options that analyse it
   * into {@code temp/out}.
   */
  static WorkloadAnalyzeOptions ingest(Path temp, String requestsCsv) {
    WorkloadIngestOptions ingest = new WorkloadIngestOptions();
    ingest.inputs = List.of(requestsCsv);
    ingest.catalog = temp.resolve("catalog").toString();
    WorkloadIngestJob.run(SharedSpark.session(), ingest);
    WorkloadAnalyzeOptions analyze = new WorkloadAnalyzeOptions();
    analyze.catalog = ingest.catalog;
    analyze.out = temp.resolve("out").toString();
    return analyze;
  }

  private static List<Map<String, String>> table(String name) throws IOException {
    return OutputCsv.read(out.resolve(name + ".csv"));
  }

  private static List<Map<String, String>> figure(String name) throws IOException {
    return OutputCsv.read(out.resolve("figures").resolve(name + ".csv"));
  }

  @Test
  void interArrivalStatisticsPerModelAndOverall() throws IOException {
    List<Map<String, String>> stats = table("interarrival_stats");
    // m1 starts at 0, 1, 3, 7, 7: gaps 1, 2, 4 and a tie raised to 1 ms.
    double[] m1 = {1, 2, 4, 0.001};
    Map<String, String> m1Row = row(stats, "model", "m1");
    assertThat(number(m1Row, "n_gaps")).isEqualTo(4);
    assertThat(number(m1Row, "mean_s")).isCloseTo(7.001 / 4, within(EPS));
    assertThat(number(m1Row, "p50_s")).isEqualTo(1.0); // sorted 0.001 1 2 4: CDF(1) = 0.5
    assertThat(number(m1Row, "p90_s")).isEqualTo(4.0);
    assertThat(number(m1Row, "p99_s")).isEqualTo(4.0);
    assertThat(number(m1Row, "cv")).isCloseTo(
        ReferenceStats.populationStd(m1) / ReferenceStats.mean(m1), within(EPS));
    double[] x = {1, 2, 4};
    double[] y = {2, 4, 0.001};
    assertThat(number(m1Row, "pearson_lag1"))
        .isCloseTo(ReferenceStats.pearson(x, y), within(EPS));
    // Ranks of x: 1 2 3; of y: 2 3 1 -> correlation -0.5.
    assertThat(number(m1Row, "spearman_lag1")).isCloseTo(-0.5, within(EPS));

    // m2: one gap, 3597 s; no pairs, so no correlations.
    Map<String, String> m2Row = row(stats, "model", "m2");
    assertThat(number(m2Row, "n_gaps")).isEqualTo(1);
    assertThat(number(m2Row, "mean_s")).isEqualTo(3597.0);
    assertThat(m2Row.get("pearson_lag1")).isEmpty();

    // All requests: 0 1 3 3 7 7 3600 -> gaps 1 2 0.001 4 0.001 3593, ties among the values.
    double[] all = {1, 2, 0.001, 4, 0.001, 3593};
    Map<String, String> allRow = row(stats, "model", "*");
    assertThat(number(allRow, "n_gaps")).isEqualTo(6);
    assertThat(number(allRow, "p50_s")).isEqualTo(1.0);
    assertThat(number(allRow, "p90_s")).isEqualTo(3593.0);
    double[] allX = {1, 2, 0.001, 4, 0.001};
    double[] allY = {2, 0.001, 4, 0.001, 3593};
    assertThat(number(allRow, "spearman_lag1"))
        .isCloseTo(ReferenceStats.spearman(allX, allY), within(EPS));
    assertThat(number(allRow, "pearson_lag1"))
        .isCloseTo(ReferenceStats.pearson(allX, allY), within(EPS));
    assertThat(number(allRow, "mean_s")).isCloseTo(ReferenceStats.mean(all), within(EPS));
  }

  @Test
  void perUserGapsPoolEveryUsersOwnGaps() throws IOException {
    // a starts at 0 1 3 7 (gaps 1 2 4), b at 3 and 3600 (gap 3597), c once (no gap).
    List<Map<String, String>> cdf = figure("cdf_interarrival_per_user");
    assertThat(cdf).extracting(r -> r.get("value"))
        .containsExactly("1.0", "2.0", "4.0", "3597.0");
    assertThat(number(row(cdf, "value", "2.0"), "cdf")).isEqualTo(0.5);
  }

  @Test
  void heatmapOfConsecutiveGaps() throws IOException {
    List<Map<String, String>> cells = figure("interarrival_heatmap");
    // m1 pairs (1, 2), (2, 4), (4, 0.001). Bins are 0.14 wide on log10(ms) from 0:
    // 1 s -> 3.0 / 0.14 -> bin 21; 2 s -> 3.301 -> 23; 4 s -> 3.602 -> 25; 1 ms -> 0.
    Map<String, String> first = row(cells, "series", "m1", "x_bin", "21", "y_bin", "23");
    assertThat(number(first, "probability")).isCloseTo(1.0 / 3, within(EPS));
    assertThat(number(first, "conditional_probability")).isEqualTo(1.0);
    assertThat(number(row(cells, "series", "m1", "x_bin", "25", "y_bin", "0"), "x_lo"))
        .isCloseTo(Math.pow(10, 25 * 0.14) / 1000, within(1e-12));
    double total = cells.stream().filter(c -> c.get("series").equals("*"))
        .mapToDouble(c -> number(c, "probability")).sum();
    assertThat(total).isCloseTo(1.0, within(EPS));
  }

  @Test
  void exactTokenQuantiles() throws IOException {
    List<Map<String, String>> q = table("token_quantiles");
    // m1 input 10 20 30 40 50: CDF(30) = 0.6 is the first >= 0.5; CDF(40) = 0.8 < 0.9.
    assertThat(number(row(q, "model", "m1", "metric", "input_tokens", "q", "0.5"), "value"))
        .isEqualTo(30.0);
    assertThat(number(row(q, "model", "m1", "metric", "input_tokens", "q", "0.9"), "value"))
        .isEqualTo(50.0);
    // m1 output 0 5 10 20 25.
    assertThat(number(row(q, "model", "m1", "metric", "output_tokens", "q", "0.5"), "value"))
        .isEqualTo(10.0);
    // All input 0 10 20 30 40 50 100: CDF(30) = 4/7; CDF(50) = 6/7 < 0.9.
    assertThat(number(row(q, "model", "*", "metric", "input_tokens", "q", "0.5"), "value"))
        .isEqualTo(30.0);
    assertThat(number(row(q, "model", "*", "metric", "input_tokens", "q", "0.9"), "value"))
        .isEqualTo(100.0);
    // m2's ratio leaves out the request with 0 input tokens: only 50/100 remains.
    assertThat(number(row(q, "model", "m2", "metric", "output_input_ratio", "q", "0.5"),
        "value")).isEqualTo(0.5);
    assertThat(number(row(q, "model", "m1", "metric", "output_input_ratio", "q", "0.5"),
        "value")).isEqualTo(0.5);
    assertThat(number(row(table("token_ratio_exclusions"), "model", "m2"),
        "zero_input_excluded")).isEqualTo(1);
    // The CDF figure ends at 1 for every series.
    List<Map<String, String>> cdf = figure("cdf_input_tokens");
    assertThat(number(row(cdf, "series", "m1", "value", "50.0"), "cdf")).isEqualTo(1.0);
    assertThat(number(row(cdf, "series", "*", "value", "30.0"), "cdf"))
        .isCloseTo(4.0 / 7, within(EPS));
  }

  @Test
  void overviewOfNumericColumns() throws IOException {
    List<Map<String, String>> numeric = table("overview_numeric");
    Map<String, String> all = row(numeric, "column", "input_tokens", "model", "*");
    assertThat(number(all, "count")).isEqualTo(7);
    assertThat(number(all, "nulls")).isEqualTo(0);
    assertThat(number(all, "mean")).isCloseTo(250.0 / 7, within(EPS));
    assertThat(number(all, "min")).isEqualTo(0);
    assertThat(number(all, "max")).isEqualTo(100);
    assertThat(number(all, "p50")).isEqualTo(30);
    Map<String, String> m1 = row(numeric, "column", "input_tokens", "model", "m1");
    assertThat(number(m1, "stddev")).isCloseTo(Math.sqrt(250), within(EPS));
    // completion_tps = (in + out) / duration: m2 rows (0+7)/4 and (100+50)/7.
    Map<String, String> tps = row(numeric, "column", "completion_tps", "model", "m2");
    assertThat(number(tps, "mean")).isCloseTo((7 / 4.0 + 150 / 7.0) / 2, within(EPS));
    // Exact percentiles, the smallest value with CDF >= q: of two values, p50 the lower and
    // p90 .. p999 the higher.
    assertThat(number(tps, "p50")).isEqualTo(7 / 4.0);
    assertThat(number(tps, "p90")).isEqualTo(150 / 7.0);
    assertThat(number(tps, "p999")).isEqualTo(150 / 7.0);
    // input_tokens of all 7 requests sorted: 0 .. 100; p90 is the 7th (6.3 of 7 rows).
    assertThat(number(all, "p90")).isEqualTo(100);
    Map<String, String> summary = table("overview_summary").get(0);
    assertThat(number(summary, "requests")).isEqualTo(7);
    assertThat(number(summary, "span_days")).isCloseTo(3600 / 86400.0, within(EPS));
    List<Map<String, String>> rejects = table("rejects_summary");
    assertThat(number(row(rejects, "reason_kind", "input_tokens"), "rows")).isEqualTo(1);
    // Requests per distinct model: m1 5, m2 2; per distinct user: a 4, b 2, c 1.
    List<Map<String, String>> unique = figure("cdf_requests_per_unique_value");
    assertThat(number(row(unique, "series", "model_id", "value", "2"), "cdf")).isEqualTo(0.5);
    assertThat(number(row(unique, "series", "user_id", "value", "2"), "cdf"))
        .isCloseTo(2.0 / 3, within(EPS));
    List<Map<String, String>> perHour = figure("requests_per_hour");
    assertThat(perHour).hasSize(2);
    assertThat(number(perHour.get(0), "requests")).isEqualTo(6);
    assertThat(number(perHour.get(1), "requests")).isEqualTo(1);
  }

  @Test
  void usersAndModelDiversity() throws IOException {
    List<Map<String, String>> users = table("requests_per_user");
    // a: 4 requests on m1 and m2; b: 2 on m1 and m2; c: 1 on m1.
    assertThat(row(users, "user_id", "a")).containsEntry("requests", "4")
        .containsEntry("distinct_models", "2").containsEntry("rank", "1");
    assertThat(row(users, "user_id", "b")).containsEntry("rank", "2");
    assertThat(row(users, "user_id", "c")).containsEntry("rank", "3");
    // W = 2: a's windows (m1 m1) (m2 m1), b's (m1 m2), c's (m1): two windows of 1 model and
    // two of 2.
    List<Map<String, String>> histogram = table("diversity_histogram");
    assertThat(number(row(histogram, "models_in_window", "1"), "windows")).isEqualTo(2);
    assertThat(number(row(histogram, "models_in_window", "2"), "windows")).isEqualTo(2);
    assertThat(number(row(histogram, "models_in_window", "1"), "cdf")).isEqualTo(0.5);
    Map<String, String> topA = row(table("diversity_top_users"), "user_id", "a");
    assertThat(number(topA, "mean")).isEqualTo(1.5);
    assertThat(number(topA, "n")).isEqualTo(2);
    List<Map<String, String>> rank = figure("rank_requests_per_user");
    assertThat(rank).extracting(r -> r.get("requests")).containsExactly("4", "2", "1");
  }

  @Test
  void modelDiversityFigures() throws Exception {
    // W = 2: windows of 1 model (a's first, c's) and of 2 (a's second, b's): CDF 0.5 at 1.
    assertThat(figure("cdf_models_per_window"))
        .extracting(r -> r.get("models_in_window") + ":" + r.get("cdf"))
        .containsExactly("1:0.5", "2:1.0");
    DrawnFigure.of(out, "cdf_models_per_window").assertDraws("models_in_window",
        "distinct models in a window", "cdf", "fraction of windows \u2264 x (CDF)");
    // The same windows as bars: 2 of 4 windows with 1 model, 2 with 2.
    assertThat(figure("models_per_window_histogram"))
        .extracting(r -> r.get("models_in_window") + ":" + r.get("windows") + ":"
            + r.get("share"))
        .containsExactly("1:2:0.5", "2:2:0.5");
    DrawnFigure.of(out, "models_per_window_histogram").assertBars("models_in_window",
        "distinct models in a window", "share", "share of windows", null);
    // A box per top user by rank: a (rank 1) windows of 1 and 2 models, mean 1.5; b (rank 2)
    // one window of 2; c (rank 3) one of 1.
    List<Map<String, String>> boxes = figure("diversity_top_users_box");
    assertThat(boxes).extracting(r -> r.get("rank") + ":" + r.get("mean"))
        .containsExactly("1:1.5", "2:2.0", "3:1.0");
    DrawnFigure.of(out, "diversity_top_users_box").assertBoxes("rank",
        "user rank (1 = most requests)", "distinct models per window");
  }

  @Test
  void rankFiguresSayWhatRankOneHasMostOf() throws Exception {
    // Distinct models per user: a 2 (m1, m2), b 2 (m1, m2), c 1, ranked by those counts.
    DrawnFigure models = DrawnFigure.of(out, "rank_models_per_user");
    models.assertDraws("rank", "user rank (1 = most distinct models)", "distinct_models",
        "distinct models");
    assertThat(figure("rank_models_per_user")).extracting(r -> r.get("distinct_models"))
        .containsExactly("2", "2", "1");
    // Requests per user: a 4, b 2, c 1.
    DrawnFigure requests = DrawnFigure.of(out, "rank_requests_per_user");
    requests.assertDraws("rank", "user rank (1 = most requests)", "requests", "requests");
    assertThat(requests.ys()).containsExactly(1.0, 2.0, 4.0);
    assertThat(DrawnFigure.generic(out)).isEmpty();
  }

  @Test
  void markdownTablesMirrorTheCsv() throws IOException {
    String md = Files.readString(out.resolve("interarrival_stats.md"));
    assertThat(md).startsWith("| model | n_gaps | mean_s |");
    assertThat(md.lines().count()).isEqualTo(2 + table("interarrival_stats").size());
  }
}
