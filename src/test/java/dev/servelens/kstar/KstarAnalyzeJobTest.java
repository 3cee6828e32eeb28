package dev.servelens.kstar;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest kstar} then {@code analyze kstar} (their job entry points) on the ingest fixtures and a
 * tiny request table: the fitted lines (worked by hand from the fixtures), k* at the trace's p,
 * k-hat and the gap from the simulated curve, N*, the online trajectory and the measured k-hat.
 */
class KstarAnalyzeJobTest {
  private static final Path FIXTURES = Path.of("src/test/resources/KstarIngestJobTest");

  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  /** The columns of workload_requests that the kstar analysis reads. */
  static final StructType REQUESTS_SCHEMA = new StructType()
      .add("model_id", DataTypes.StringType)
      .add("input_tokens", DataTypes.LongType)
      .add("output_tokens", DataTypes.LongType)
      .add("started_at", DataTypes.TimestampType)
      .add("completed_at", DataTypes.TimestampType);

  /**
   * m1: output lengths 10, 20, 30, 40 (mean 25, p = 0.04); m2: always 5 (p = 0.2); m3: always
   * 100 input and 8 output tokens (p = 1/8), whose simulated throughput has a closed form.
   */
  private void writeRequests(String catalog) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(RowFactory.create("m1", 100L, 10L * (i % 4 + 1), new Timestamp(1000L * i),
          new Timestamp(1000L * i + 500)));
      rows.add(RowFactory.create("m2", 50L, 5L, new Timestamp(1000L * i),
          new Timestamp(1000L * i + 500)));
      rows.add(RowFactory.create("m3", 100L, 8L, new Timestamp(1000L * i),
          new Timestamp(1000L * i + 500)));
    }
    rows.add(RowFactory.create("m2", 50L, 0L, new Timestamp(0), null)); // no decode: left out
    spark.createDataFrame(rows, REQUESTS_SCHEMA).write().parquet(catalog + "/workload_requests");
  }

  @Test
  void ingestThenAnalyze() throws IOException {
    Path inputs = temp.resolve("inputs");
    Files.createDirectories(inputs);
    for (String name : List.of("m1_prefill.csv", "decode.csv", "m2_samples.jsonl",
        "alpaca_results.json")) {
      Files.copy(FIXTURES.resolve(name), inputs.resolve(name));
    }
    String catalog = temp.resolve("catalog").toString();
    Path out = temp.resolve("out");
    KstarIngestOptions ingest = new KstarIngestOptions();
    ingest.inputs = List.of(inputs.toString());
    ingest.catalog = catalog;
    KstarIngestJob.run(spark, ingest);
    writeRequests(catalog);
    KstarAnalyzeOptions options = new KstarAnalyzeOptions();
    options.catalog = catalog;
    options.out = out.toString();
    options.batchSizes = List.of(4, 6);
    options.replicates = 2;
    options.requests = 60;
    options.updateInterval = 8;
    options.memoryBudgetTokens = 1000L;
    options.epsilon = 0.1;
    options.profile = ServiceProfile.parse("0.01,0.0001,0.01,0.001");
    assertThat(KstarAnalyzeJob.run(spark, options)).hasSize(6);

    List<Map<String, String>> fits = OutputCsv.read(out.resolve("kstar/fit.csv"));
    Map<String, String> m1 = row(fits, "model", "m1");
    // Prefill (100, .025), (200, .03), (400, .04), (800, .06) lie on 0.02 + 5e-5 x.
    assertThat(number(m1, "alpha_p")).isCloseTo(0.02, within(1e-12));
    assertThat(number(m1, "beta_p")).isCloseTo(5e-5, within(1e-14));
    assertThat(number(m1, "r2_prefill")).isCloseTo(1.0, within(1e-9));
    // Decode medians: batch 1 of (.011, .013, .012) = .012; batch 8 of (.017, .018, .020) = .018
    // (the .019 row has a fourth field and is rejected): slope .006 / 7, intercept .012 - that.
    assertThat(number(m1, "beta_d")).isCloseTo(0.006 / 7, within(1e-12));
    assertThat(number(m1, "alpha_d")).isCloseTo(0.012 - 0.006 / 7, within(1e-12));
    assertThat(row(fits, "model", "m2").get("profile_source")).isEqualTo("option");

    List<Map<String, String>> kstar = OutputCsv.read(out.resolve("kstar/kstar.csv"));
    assertThat(kstar).hasSize(6);
    ServiceProfile fitted = new ServiceProfile(0.02, 5e-5, 0.012 - 0.006 / 7, 0.006 / 7);
    List<Map<String, String>> curve =
        OutputCsv.read(out.resolve("kstar/figures/throughput_vs_k.csv"));
    for (int n : new int[] {4, 6}) {
      Map<String, String> result = row(kstar, "model", "m1", "n", String.valueOf(n));
      assertThat(number(result, "p")).isCloseTo(0.04, within(1e-12));
      assertThat(Integer.parseInt(result.get("kstar")))
          .isEqualTo(bruteForceKstar(n, 0.04, fitted))
          // By hand (alpha_d = .011143, beta_d = .000857, alpha_p = .02): tau(1..6) = .3000,
          // .16399, .11898, .096722, .083568, .074966. N = 4: k = 1 holds, tau(3) = .11898 >=
          // tau(4) + .02 = .11672. N = 6: k = 1 fails (.08357 < .09497); k = 2 holds,
          // 2 tau(4) = .19344 >= tau(5) + tau(6) + .02 = .17853.
          .isEqualTo(n == 4 ? 1 : 2);
      int khat = Integer.parseInt(result.get("khat_sim"));
      double best = 0;
      for (int k = 1; k <= n; k++) {
        double throughput = number(row(curve, "model", "m1", "n", String.valueOf(n), "k",
            String.valueOf(k), "source", "simulated"), "throughput");
        assertThat(throughput).isLessThanOrEqualTo(number(result, "throughput_khat"));
        best = Math.max(best, throughput);
      }
      assertThat(number(result, "throughput_khat")).isEqualTo(best);
      assertThat(number(row(curve, "model", "m1", "n", String.valueOf(n), "k",
          String.valueOf(khat), "source", "simulated"), "throughput")).isEqualTo(best);
      double gap = (best - number(result, "throughput_kstar")) / best * 100;
      assertThat(number(result, "gap_pct")).isCloseTo(gap, within(1e-9)).isGreaterThanOrEqualTo(0);
      // Footprints 110..140 tokens: mu = 125, sigma = sqrt(125) = 11.18; eps = 0.1:
      // N*125 + 11.18*sqrt(9N) <= 1000 holds for N = 7 (875 + 88.7) and fails for 8 (1000 + 94.9).
      assertThat(result.get("n_star")).isEqualTo("7");
      assertThat(result.get("memory_bound")).startsWith("Cantelli");
    }
    // m3, with the option's profile (alpha_p .01, beta_p .0001, alpha_d .01, beta_d .001):
    // 60 requests of 100 input and 8 output tokens run in full batches of N whatever k is (all
    // finish together, freeing N slots): each batch costs a prefill .01 + .0001 * 100 N and 8
    // decode steps of .01 + .001 N, for 8 N tokens. N = 4: 32 / (.05 + .112) = 197.53 tokens/s;
    // N = 6: 48 / (.07 + .128) = 242.42. So the curve is flat, k-hat's throughput is the same
    // and the gap is 0.
    for (int n : new int[] {4, 6}) {
      double batch = 0.01 + 0.0001 * 100 * n + 8 * (0.01 + 0.001 * n);
      double expected = 8.0 * n / batch;
      for (int k = 1; k <= n; k++) {
        assertThat(number(row(curve, "model", "m3", "n", String.valueOf(n), "k",
            String.valueOf(k), "source", "simulated"), "throughput"))
            .isCloseTo(expected, within(1e-9));
      }
      Map<String, String> result = row(kstar, "model", "m3", "n", String.valueOf(n));
      assertThat(number(result, "throughput_khat")).isCloseTo(expected, within(1e-9));
      assertThat(number(result, "gap_pct")).isCloseTo(0.0, within(1e-9));
      assertThat(Integer.parseInt(result.get("kstar"))).isEqualTo(
          bruteForceKstar(n, 0.125, ServiceProfile.parse("0.01,0.0001,0.01,0.001")));
    }
    // The online k* policy (a task of the same job): m3's lengths are all 8, so the EMA stays
    // at 8 and every batch still starts and finishes together: the same closed form, in
    // kstar.csv's throughput_online and as a horizontal line (source online_policy) at every
    // k = 1..N of throughput_vs_k.csv. m2 likewise: 5 output and 50 input tokens, N = 4:
    // 20 / (.01 + .0001 * 200 + 5 * (.01 + .004)) = 20 / .1 = 200 tokens/s.
    for (int n : new int[] {4, 6}) {
      double expected = 8.0 * n / (0.01 + 0.0001 * 100 * n + 8 * (0.01 + 0.001 * n));
      assertThat(number(row(kstar, "model", "m3", "n", String.valueOf(n)), "throughput_online"))
          .isCloseTo(expected, within(1e-9));
      for (int k = 1; k <= n; k++) {
        assertThat(number(row(curve, "model", "m3", "n", String.valueOf(n), "k",
            String.valueOf(k), "source", "online_policy"), "throughput"))
            .isCloseTo(expected, within(1e-9));
      }
      // m1 (lengths 10..40): one value per (model, N), the same at every k.
      double m1Online = number(row(kstar, "model", "m1", "n", String.valueOf(n)),
          "throughput_online");
      List<Map<String, String>> m1Line = curve.stream().filter(r -> r.get("model").equals("m1")
          && r.get("n").equals(String.valueOf(n)) && r.get("source").equals("online_policy"))
          .toList();
      assertThat(m1Line).hasSize(n);
      m1Line.forEach(r -> assertThat(number(r, "throughput")).isEqualTo(m1Online));
    }
    assertThat(number(row(kstar, "model", "m2", "n", "4"), "throughput_online"))
        .isCloseTo(200.0, within(1e-9));
    // The simulated curve keeps one row per (model, N, k), k = 1..N, and none at k = 0.
    assertThat(curve.stream().filter(r -> r.get("source").equals("simulated")).count())
        .isEqualTo(3 * (4 + 6));
    assertThat(curve).noneMatch(r -> r.get("k").equals("0"));
    // The figure draws it as a series of its own, named in the legend.
    assertThat(Files.readString(out.resolve("kstar/figures/throughput_vs_k.svg")))
        .contains("online_policy");
    assertThat(expectedOf(4)).isCloseTo(197.53, within(0.01));
    assertThat(expectedOf(6)).isCloseTo(242.42, within(0.01));

    // m2: every request 5 tokens, the zero-length request left out: p = 1/5, 40 requests.
    Map<String, String> m2 = row(kstar, "model", "m2", "n", "4");
    assertThat(number(m2, "p")).isCloseTo(0.2, within(1e-12));
    assertThat(m2.get("requests")).isEqualTo("40");
    assertThat(number(m2, "p_online")).isCloseTo(0.2, within(1e-12));

    // Measured: alpaca's throughput peaks at k = 2; k* there uses its reported p = 0.01.
    Map<String, String> measured = row(OutputCsv.read(out.resolve("kstar/measured.csv")),
        "dataset", "alpaca");
    assertThat(measured.get("khat_measured")).isEqualTo("2");
    assertThat(measured.get("kstar_computed"))
        .isEqualTo(String.valueOf(bruteForceKstar(4, 0.01, fitted)));
    assertThat(row(curve, "model", "m1", "n", "4", "k", "3", "source", "measured:alpaca")
        .get("throughput")).isEqualTo("110.0");

    // Online: m1's stream 10, 20, 30, 40, ... in completion order, a point every 8 completions.
    List<Map<String, String>> online =
        OutputCsv.read(out.resolve("kstar/figures/online_kstar.csv"));
    assertThat(online.stream().filter(r -> r.get("model").equals("m1") && r.get("n").equals("4"))
        .count()).isEqualTo(5);
    double m = 10;
    for (int i = 1; i < 8; i++) {
      m = 0.3 * 10 * (i % 4 + 1) + 0.7 * m;
    }
    assertThat(number(row(online, "model", "m1", "n", "4", "completions", "8"),
        "mean_output_tokens")).isCloseTo(m, within(1e-9));
    assertThat(Files.exists(out.resolve("kstar/figures/fit_decode.csv"))).isTrue();
    assertThat(OutputCsv.read(out.resolve("kstar/figures/output_length_cdf.csv")))
        .filteredOn(r -> r.get("model").equals("m1")).hasSize(4);
    // Length histograms of the simulation's inputs: m1's outputs 10, 20, 30, 40 (a quarter
    // each) span 31 values, so 31 unit bins, four of them a quarter; its inputs, all 100, one bin.
    List<Map<String, String>> outputHistogram =
        OutputCsv.read(out.resolve("kstar/figures/output_length_histogram.csv"));
    assertThat(outputHistogram).filteredOn(r -> r.get("model").equals("m1")).hasSize(31);
    for (String lo : List.of("10", "20", "30", "40")) {
      assertThat(number(row(outputHistogram, "model", "m1", "bin_lo", lo), "fraction"))
          .isCloseTo(0.25, within(1e-12));
    }
    assertThat(number(row(outputHistogram, "model", "m1", "bin_lo", "15"), "fraction"))
        .isEqualTo(0.0);
    List<Map<String, String>> inputHistogram =
        OutputCsv.read(out.resolve("kstar/figures/input_length_histogram.csv"));
    assertThat(inputHistogram).filteredOn(r -> r.get("model").equals("m1")).hasSize(1);
    Map<String, String> m1Inputs = row(inputHistogram, "model", "m1", "bin_lo", "100");
    assertThat(m1Inputs.get("bin_hi")).isEqualTo("101");
    assertThat(number(m1Inputs, "fraction")).isEqualTo(1.0);
    // Drawn with its own spec: bin start on x, the fraction on y (not bin_lo against bin_hi).
    assertThat(Files.readString(out.resolve("kstar/figures/output_length_histogram.svg")))
        .contains("output tokens (bin start)", "fraction of requests in the bin");
  }

  private static double expectedOf(int n) {
    return 8.0 * n / (0.01 + 0.0001 * 100 * n + 8 * (0.01 + 0.001 * n));
  }

  /**
   * k* straight from its definition: the smallest k in 1..N with k tau(N - k) >= the sum of
   * tau(j) for j = N - k + 1..N plus alpha_p, where tau(j) = (alpha_d + beta_d j) /
   * (1 - (1 - p)^j) and tau(0) is infinite.
   */
  static int bruteForceKstar(int n, double p, ServiceProfile profile) {
    for (int k = 1; k <= n; k++) {
      double left = k * tauByDefinition(n - k, p, profile);
      double right = profile.alphaP();
      for (int j = n - k + 1; j <= n; j++) {
        right += tauByDefinition(j, p, profile);
      }
      if (left >= right) {
        return k;
      }
    }
    throw new AssertionError("k = N always qualifies");
  }

  private static double tauByDefinition(int j, double p, ServiceProfile profile) {
    return j == 0 ? Double.POSITIVE_INFINITY
        : (profile.alphaD() + profile.betaD() * j) / (1 - Math.pow(1 - p, j));
  }
}
