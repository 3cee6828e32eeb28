package dev.servelens.workload;

import static dev.servelens.testing.OutputCsv.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.figures.DrawnFigure;
import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The top-models and top-users bars, the tokens and distinct users per model and the lag-1
 * scatter of inter-arrival gaps on a sixteen-request fixture
 * (src/test/resources/WorkloadBarFiguresTest/requests.csv), analysed with the two busiest
 * models shown, worked out by hand:
 *
 * <pre>
 *   model  requests  input  output  starts (s after 2025-01-01 00:00:00)
 *   a      6         100    10      0, 10, 30, 70, 150, 400
 *   b      4         200    20      20, 50, 100, 300
 *   c      3         300    30      120, 200, 310
 *   d      2         400    40      250, 500
 *   e      1         500    50      600 (the request without a user)
 *   users: u01 3 requests, u02 2, u03..u12 1 each, no user 1
 * </pre>
 *
 * The same catalog is analysed a second time with at most 3 scatter points per series.
 */
class WorkloadBarFiguresTest {
  @TempDir static Path temp;
  private static Path out;
  private static Path thinned;

  @BeforeAll
  static void ingestAndAnalyse() {
    WorkloadAnalyzeOptions analyze = WorkloadAnalyzeJobTest.ingest(temp,
        "src/test/resources/WorkloadBarFiguresTest/requests.csv");
    analyze.topModels = 2;
    WorkloadAnalyzeJob.run(SharedSpark.session(), analyze);
    out = temp.resolve("out").resolve("workload");
    analyze.out = temp.resolve("thinned").toString();
    analyze.lagScatterPoints = 3;
    WorkloadAnalyzeJob.run(SharedSpark.session(), analyze);
    thinned = temp.resolve("thinned").resolve("workload");
  }

  private static List<Map<String, String>> figure(Path family, String name) throws IOException {
    return OutputCsv.read(family.resolve("figures").resolve(name + ".csv"));
  }

  /** {@code column} to {@code value} of every row, in the rows' order. */
  private static Map<String, Double> values(List<Map<String, String>> rows, String key,
      String value) {
    Map<String, Double> values = new java.util.LinkedHashMap<>();
    rows.forEach(row -> values.put(row.get(key), number(row, value)));
    return values;
  }

  @Test
  void topModelsThenTheRest() throws Exception {
    List<Map<String, String>> bars = figure(out, "requests_top_models");
    // a 6, b 4; the rest: c 3 + d 2 + e 1 = 6 of 16.
    assertThat(bars).extracting(row -> row.get("value")).containsExactly("a", "b", "(other)");
    assertThat(values(bars, "value", "requests"))
        .isEqualTo(Map.of("a", 6.0, "b", 4.0, "(other)", 6.0));
    assertThat(values(bars, "value", "share").get("(other)")).isEqualTo(6.0 / 16);
    DrawnFigure.of(out, "requests_top_models").assertBars("value", "model (by requests)",
        "requests", "requests", null);
  }

  @Test
  void topTenUsersThenTheRestWithTheRequestsWithoutAUser() throws Exception {
    List<Map<String, String>> bars = figure(out, "requests_top_users");
    // u01 3, u02 2, then the 1-request users by id: u03..u10; the rest: u11, u12 and the
    // request without a user (ranked last among equal counts): 3 of 16.
    List<String> order = new ArrayList<>(List.of("u01", "u02"));
    for (int i = 3; i <= 10; i++) {
      order.add(String.format("u%02d", i));
    }
    order.add("(other)");
    assertThat(bars).extracting(row -> row.get("value")).containsExactlyElementsOf(order);
    Map<String, Double> requests = values(bars, "value", "requests");
    assertThat(requests.get("u01")).isEqualTo(3);
    assertThat(requests.get("u02")).isEqualTo(2);
    assertThat(requests.get("u10")).isEqualTo(1);
    assertThat(requests.get("(other)")).isEqualTo(3);
    assertThat(requests.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(16);
    DrawnFigure.of(out, "requests_top_users").assertBars("value", "user (by requests)",
        "requests", "requests", null);
  }

  @Test
  void tokensPerModelStackedInputAndOutput() throws Exception {
    Map<String, Double> tokens = new TreeMap<>();
    for (Map<String, String> row : figure(out, "tokens_per_model")) {
      tokens.put(row.get("rank") + " " + row.get("model") + " " + row.get("series"),
          number(row, "tokens"));
    }
    // a: 6 x (100, 10); b: 4 x (200, 20); the rest: c 3 x (300, 30) + d 2 x (400, 40) +
    // e (500, 50) = (2200, 220).
    assertThat(tokens).isEqualTo(Map.of(
        "1 a input_tokens", 600.0, "1 a output_tokens", 60.0,
        "2 b input_tokens", 800.0, "2 b output_tokens", 80.0,
        "3 (other) input_tokens", 2200.0, "3 (other) output_tokens", 220.0));
    DrawnFigure.of(out, "tokens_per_model").assertBars("model", "model (by requests)", "tokens",
        "tokens (sum over requests)", "series");
  }

  @Test
  void distinctUsersPerModel() throws Exception {
    // a: u01 (twice), u02, u03, u06, u11; b: u01, u02, u04, u09; c: u05, u07, u10; d: u08,
    // u12; e: its one request has no user.
    List<Map<String, String>> table =
        OutputCsv.read(out.resolve("users_per_model.csv"));
    assertThat(table).extracting(row -> row.get("rank") + " " + row.get("model_id") + " "
        + row.get("requests") + " " + row.get("distinct_users"))
        .containsExactly("1 a 6 5", "2 b 4 4", "3 c 3 3", "4 d 2 2", "5 e 1 0");
    // The figure: the two busiest models only (distinct users do not add up into an "other").
    List<Map<String, String>> bars = figure(out, "users_per_model");
    assertThat(values(bars, "model_id", "distinct_users")).isEqualTo(Map.of("a", 5.0, "b", 4.0));
    assertThat(bars).extracting(row -> row.get("model_id")).containsExactly("a", "b");
    DrawnFigure.of(out, "users_per_model").assertBars("model_id", "model (by requests)",
        "distinct_users", "distinct users", null);
  }

  /** The scatter's pairs as "series previous gap" strings. */
  private static List<String> pairs(Path family) throws IOException {
    List<String> pairs = new ArrayList<>();
    for (Map<String, String> row : figure(family, "interarrival_lag1_scatter")) {
      pairs.add(row.get("series") + " " + number(row, "previous_gap_s") + " "
          + number(row, "gap_s"));
    }
    return pairs;
  }

  @Test
  void lagOneScatterHasEveryPairOfConsecutiveGaps() throws Exception {
    // a: gaps 10 20 40 80 250; b: 30 50 200; all 16 starts: gaps 10 10 10 20 20 30 20 30 50
    // 50 50 10 90 100 100. Pairs are (gap, next gap), in series then value order.
    assertThat(pairs(out)).containsExactly(
        "* 10.0 10.0", "* 10.0 10.0", "* 10.0 20.0", "* 10.0 90.0", "* 20.0 20.0",
        "* 20.0 30.0", "* 20.0 30.0", "* 30.0 20.0", "* 30.0 50.0", "* 50.0 10.0",
        "* 50.0 50.0", "* 50.0 50.0", "* 90.0 100.0", "* 100.0 100.0",
        "a 10.0 20.0", "a 20.0 40.0", "a 40.0 80.0", "a 80.0 250.0",
        "b 30.0 50.0", "b 50.0 200.0");
    DrawnFigure.of(out, "interarrival_lag1_scatter").assertDraws("previous_gap_s",
        "current inter-arrival time (s)", "gap_s", "next inter-arrival time (s)");
    String svg = Files.readString(out.resolve("figures").resolve("interarrival_lag1_scatter.svg"));
    assertThat(svg.split("class=\"identity\"", -1)).as("a y = x line per panel").hasSize(4);
    assertThat(DrawnFigure.generic(out)).isEmpty();
  }

  @Test
  void lagOneScatterKeepsAtMostTheAskedPointsPerSeries() throws Exception {
    List<String> all = pairs(out);
    List<String> kept = pairs(thinned);
    assertThat(all).containsAll(kept);
    // a has 4 pairs: 3 kept; b has 2: both; all requests: at most 3 of 14.
    assertThat(kept.stream().filter(pair -> pair.startsWith("a "))).hasSize(3);
    assertThat(kept.stream().filter(pair -> pair.startsWith("b "))).hasSize(2);
    assertThat(kept.stream().filter(pair -> pair.startsWith("* "))).hasSizeBetween(1, 3);
  }
}
