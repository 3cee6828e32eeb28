package dev.servelens.kstar;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --lengths-for PROFILE=SPEC}: a fitted profile analysed with no workload at all, its
 * lengths from a file or a geometric distribution. The profile is the Splitwise fixture's
 * {@code m7b/gpu1/tp2}, whose fit {@link KstarSplitwiseTest} works out by hand: prefill 0.010 +
 * 0.0002 t, decode 0.008 + (0.012 / 7) j.
 */
class KstarLengthsForTest {
  private static final Path FIXTURES = Path.of("src/test/resources/KstarSplitwiseTest");
  private static final String PROFILE = "m7b/gpu1/tp2";
  private static final ServiceProfile FITTED = new ServiceProfile(0.010, 0.0002, 0.008, 0.012 / 7);

  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  private String catalog() {
    String catalog = temp.resolve("catalog").toString();
    KstarIngestOptions ingest = new KstarIngestOptions();
    ingest.inputs = List.of(FIXTURES.toAbsolutePath().toString());
    ingest.catalog = catalog;
    KstarIngestJob.run(spark, ingest);
    return catalog;
  }

  private KstarAnalyzeOptions options(String catalog, Path out, String... lengthsFor) {
    KstarAnalyzeOptions options = KstarSplitwiseTest.analyzeOptions(catalog, out);
    options.memoryBudgetTokens = 1000L;
    options.epsilon = 0.1;
    for (String value : lengthsFor) {
      options.lengthsFor.add(LengthsFor.parse(value));
    }
    return options;
  }

  @Test
  void aProfileWithoutWorkloadIsAnalysedWithLengthsFromAFileOrAGeometric() throws IOException {
    String catalog = catalog();
    // Pairs: a header, a comment, a blank line, 50 requests of 100 prompt and 8 output tokens,
    // and one with no output (left out, as in a trace). Outputs only: 40 lines of 8.
    List<String> pairs = new ArrayList<>(List.of("input_tokens,output_tokens", "# prompt,output",
        ""));
    for (int i = 0; i < 50; i++) {
      pairs.add("100, 8");
    }
    pairs.add("100,0");
    Path pairsFile = Files.write(temp.resolve("pairs.csv"), pairs);
    Path outputsDir = Files.createDirectories(temp.resolve("outputs"));
    Files.write(outputsDir.resolve("a.txt"), List.of("8", "8", "8"));
    Files.write(outputsDir.resolve("b.txt"), List.of("8", "8", "8", "8", "8"));
    String pairsSeries = PROFILE + "@file:" + pairsFile;
    String outputsSeries = PROFILE + "@file:" + outputsDir;
    String geometricSeries = PROFILE + "@geometric:20,in:100";
    Path out = temp.resolve("out");
    List<KstarResult> rows = KstarAnalyzeJob.run(spark, options(catalog, out,
        PROFILE + "=file:" + pairsFile, PROFILE + "=file:" + outputsDir,
        PROFILE + "=geometric:20,in:100"));
    assertThat(rows).extracting(KstarResult::model)
        .containsExactlyInAnyOrder(pairsSeries, outputsSeries, geometricSeries);

    List<Map<String, String>> fits = OutputCsv.read(out.resolve("kstar/fit.csv"));
    for (String series : List.of(pairsSeries, outputsSeries, geometricSeries)) {
      Map<String, String> fit = row(fits, "model", series);
      assertThat(fit.get("fitted_profile")).isEqualTo(PROFILE);
      assertThat(fit.get("profile_source")).isEqualTo("fit");
      assertThat(number(fit, "alpha_p")).isCloseTo(0.010, within(1e-12));
      assertThat(number(fit, "beta_d")).isCloseTo(0.012 / 7, within(1e-12));
    }

    List<Map<String, String>> kstar = OutputCsv.read(out.resolve("kstar/kstar.csv"));
    List<Map<String, String>> curve =
        OutputCsv.read(out.resolve("kstar/figures/throughput_vs_k.csv"));
    // Constant lengths: every batch of N = 4 starts and ends together, whatever k: a prefill of
    // 4 prompts, 0.010 + 0.0002 * 4 I, then 8 decode steps of 0.008 + 4 * 0.012 / 7 =
    // 0.0148571 s, for 32 tokens. I = 100: 32 / (0.09 + 0.1188571) = 153.215 tokens/s;
    // I = 0 (outputs only): 32 / (0.010 + 0.1188571) = 248.337.
    double[][] cases = {{100, 153.215}, {0, 248.337}};
    String[] names = {pairsSeries, outputsSeries};
    for (int c = 0; c < 2; c++) {
      double input = cases[c][0];
      double expected = 32 / (0.010 + 0.0002 * 4 * input + 8 * (0.008 + 4 * 0.012 / 7));
      assertThat(expected).isCloseTo(cases[c][1], within(0.001));
      for (int k = 1; k <= 4; k++) {
        assertThat(number(row(curve, "model", names[c], "n", "4", "k", String.valueOf(k),
            "source", "simulated"), "throughput")).isCloseTo(expected, within(1e-9));
      }
      Map<String, String> result = row(kstar, "model", names[c]);
      assertThat(number(result, "p")).isCloseTo(0.125, within(1e-12));
      assertThat(result.get("p_source")).isEqualTo("lengths_for:file");
      assertThat(number(result, "throughput_khat")).isCloseTo(expected, within(1e-9));
      assertThat(number(result, "gap_pct")).isCloseTo(0.0, within(1e-9));
      // By hand at p = 1/8: tau(1..4) = .07771, .04876, .03982, .03590. k = 1 fails: tau(3) =
      // .03982 < tau(4) + .010 = .04590; k = 2 holds: 2 tau(2) = .09752 >= .08572.
      assertThat(Integer.parseInt(result.get("kstar")))
          .isEqualTo(KstarAnalyzeJobTest.bruteForceKstar(4, 0.125, FITTED)).isEqualTo(2);
      // No completion order in a length distribution: no online estimate.
      assertThat(result.get("p_online")).isEmpty();
      assertThat(result.get("kstar_online")).isEmpty();
    }
    // 50 requests with output (the zero one left out); 8 in the folder's two files.
    assertThat(row(kstar, "model", pairsSeries).get("requests")).isEqualTo("50");
    assertThat(row(kstar, "model", outputsSeries).get("requests")).isEqualTo("8");
    // Footprints all 108 (sigma 0): N* = floor(1000 / 108) = 9; all 8: floor(1000 / 8) = 125.
    assertThat(row(kstar, "model", pairsSeries).get("n_star")).isEqualTo("9");
    assertThat(row(kstar, "model", outputsSeries).get("n_star")).isEqualTo("125");

    // Geometric with mean 20: p = 1/20 = 0.05, k* from its definition at that p.
    Map<String, String> geometric = row(kstar, "model", geometricSeries);
    assertThat(number(geometric, "p")).isEqualTo(0.05);
    assertThat(geometric.get("p_source")).isEqualTo("lengths_for:geometric");
    assertThat(geometric.get("requests")).isEqualTo("0");
    // By hand at p = 0.05: tau(3) = .09215 >= tau(4) + .010 = .08010 + .010: k* = 1.
    assertThat(Integer.parseInt(geometric.get("kstar")))
        .isEqualTo(KstarAnalyzeJobTest.bruteForceKstar(4, 0.05, FITTED)).isEqualTo(1);
    assertThat(geometric.get("p_online")).isEmpty();
    // Footprint 100 + L: mu = 120, sigma = sqrt(1 - p) / p = sqrt(0.95) / 0.05 = 19.494. eps 0.1:
    // N = 7: 840 + 19.494 sqrt(63) = 994.7 <= 1000; N = 8: 960 + 19.494 sqrt(72) = 1125.4 > 1000.
    assertThat(geometric.get("n_star")).isEqualTo("7");
    assertThat(geometric.get("memory_bound")).contains("mu=120.0, sigma=19.5");
    double best = 0;
    for (int k = 1; k <= 4; k++) {
      best = Math.max(best, number(row(curve, "model", geometricSeries, "n", "4", "k",
          String.valueOf(k), "source", "simulated"), "throughput"));
    }
    assertThat(number(geometric, "throughput_khat")).isEqualTo(best);
    // The simulated output lengths are that geometric: P(L <= v) = 1 - 0.95^v (counts out of
    // a million, so to about 1e-6 per value).
    List<Map<String, String>> cdf =
        OutputCsv.read(out.resolve("kstar/figures/output_length_cdf.csv"));
    for (String v : List.of("1", "10", "20", "60")) {
      assertThat(number(row(cdf, "model", geometricSeries, "output_tokens", v), "cdf"))
          .isCloseTo(1 - Math.pow(0.95, Integer.parseInt(v)), within(1e-4));
    }
    assertThat(cdf).filteredOn(r -> r.get("model").equals(pairsSeries)).hasSize(1);

    assertThat(OutputCsv.read(out.resolve("kstar/figures/online_kstar.csv"))).isEmpty();
    // The profile is used; only the unfittable one is left out.
    List<Map<String, String>> leftOut = OutputCsv.read(out.resolve("kstar/profiles_left_out.csv"));
    assertThat(leftOut).extracting(r -> r.get("profile")).containsExactly("m7b/gpu2/tp2");
  }

  @Test
  void aLongGeometricIsBinnedNotCutOff() {
    // Mean 5000: 1 - (1 - 1/5000)^v < 1e-6 only past v = 69,070, beyond the 10,000 values a
    // histogram holds; cut at 10,000 the mean would be E[L | L <= 10000] = 5000 - 10000 *
    // e^-2 / (1 - e^-2) = 3435. Binned, it stays 5000: the tail past 69,070 holds 1e-6 of the
    // mass (about 0.07 tokens of the mean), bin means round by at most 0.5.
    TokenHistogram lengths = TokenHistogram.geometric(1.0 / 5000);
    assertThat(lengths.size()).isLessThanOrEqualTo(KstarColumns.HISTOGRAM_MAX_VALUES + 1);
    assertThat(lengths.mean()).isCloseTo(5000, within(1.0));
    assertThat(5000 - 10000 * Math.exp(-2) / (1 - Math.exp(-2))).isCloseTo(3435, within(1.0));
    // Short means keep one value per length: mean 20 to 1e-6 (counts rounded out of a million).
    assertThat(TokenHistogram.geometric(0.05).mean()).isCloseTo(20, within(0.01));
    assertThat(TokenHistogram.geometric(0.05).value(0)).isEqualTo(1);
    assertThat(TokenHistogram.geometric(0.05).value(1)).isEqualTo(2);
  }

  @Test
  void badValuesNameTheOptionAndTheValue() throws IOException {
    for (String[] bad : new String[][] {
        {"geometric:20", "PROFILE=geometric:MEAN"},
        {PROFILE + "=geometric:0.5", "a number in 1..1000000"},
        {PROFILE + "=geometric:abc", "not a number: 'abc'"},
        {PROFILE + "=geometric:20,in:-3", "in: must be a whole number"},
        {PROFILE + "=geometric:20,out:3", "only ',in:TOKENS'"},
        {PROFILE + "=uniform:1..9", "geometric: or file:"},
        {PROFILE + "=file:", "needs a path"}}) {
      assertThatThrownBy(() -> LengthsFor.parse(bad[0]))
          .isInstanceOf(KstarOptionException.class)
          .hasMessageStartingWith("--lengths-for " + bad[0] + ": ")
          .hasMessageContaining(bad[1]);
    }
    String catalog = catalog();
    Path out = temp.resolve("out");
    assertThatThrownBy(() -> KstarAnalyzeJob.run(spark,
        options(catalog, out, "no/such/tp1=geometric:20")))
        .isInstanceOf(KstarOptionException.class)
        .hasMessageContaining("--lengths-for no/such/tp1=geometric:20: no profile of that name")
        .hasMessageContaining(PROFILE);
    assertThatThrownBy(() -> KstarAnalyzeJob.run(spark,
        options(catalog, out, "m7b/gpu2/tp2=geometric:20")))
        .isInstanceOf(KstarOptionException.class)
        // One point per phase: no line (KstarSplitwiseTest), and the message says so.
        .hasMessageContaining("--lengths-for m7b/gpu2/tp2=geometric:20: profile m7b/gpu2/tp2: ")
        .hasMessageContaining("cannot be fitted");
    Path missing = temp.resolve("missing.csv");
    assertThatThrownBy(() -> KstarAnalyzeJob.run(spark,
        options(catalog, out, PROFILE + "=file:" + missing)))
        .isInstanceOf(KstarOptionException.class)
        .hasMessageContaining("--lengths-for " + PROFILE + "=file:" + missing
            + ": no such file or folder");
    Path malformed = Files.write(temp.resolve("bad.csv"), List.of("100,8", "100,8.5", "1,2,3"));
    assertThatThrownBy(() -> KstarAnalyzeJob.run(spark,
        options(catalog, out, PROFILE + "=file:" + malformed)))
        .isInstanceOf(KstarOptionException.class)
        .hasMessageContaining("--lengths-for " + PROFILE + "=file:" + malformed)
        .hasMessageContaining("is not 'output' or 'input,output'");
    Path empty = Files.write(temp.resolve("zero.csv"), List.of("output_tokens", "0"));
    assertThatThrownBy(() -> KstarAnalyzeJob.run(spark,
        options(catalog, out, PROFILE + "=file:" + empty)))
        .isInstanceOf(KstarOptionException.class)
        .hasMessageContaining("holds no request with an output length above 0");
  }
}
