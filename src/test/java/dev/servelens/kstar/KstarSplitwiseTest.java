package dev.servelens.kstar;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.io.IngestSummary;
import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.RealData;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Splitwise profile layout ({@code perf_model.csv}): a hand-made file whose fits are worked
 * out in the comments, and the real file, whose fits are checked against a plain least-squares
 * computed here from the CSV text and against the figures of issue 12.
 */
class KstarSplitwiseTest {
  private static final Path FIXTURES = Path.of("src/test/resources/KstarSplitwiseTest");
  private static final String H100_TP8 = "llama2-70b/h100-80gb/tp8";

  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  private IngestSummary ingest(String input, String catalog) {
    KstarIngestOptions options = new KstarIngestOptions();
    options.inputs = List.of(input);
    options.catalog = catalog;
    return KstarIngestJob.run(spark, options);
  }

  /** Model {@code conv}: 20 requests of 10 output tokens each (p = 0.1). */
  private void writeRequests(String catalog) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create("conv", 100L, 10L, new Timestamp(1000L * i),
          new Timestamp(1000L * i + 500)));
    }
    spark.createDataFrame(rows, KstarAnalyzeJobTest.REQUESTS_SCHEMA).write()
        .parquet(catalog + "/workload_requests");
  }

  /** N = 4, one replicate of 40 requests. */
  static KstarAnalyzeOptions analyzeOptions(String catalog, Path out) {
    KstarAnalyzeOptions options = new KstarAnalyzeOptions();
    options.catalog = catalog;
    options.out = out.toString();
    options.batchSizes = List.of(4);
    options.replicates = 1;
    options.requests = 40;
    return options;
  }

  @Test
  void eachModelHardwareAndTensorParallelIsAProfileInSeconds() throws IOException {
    String catalog = temp.resolve("catalog").toString();
    IngestSummary summary = ingest(FIXTURES.toAbsolutePath().toString(), catalog);
    // perf_model.csv: 11 rows after the header (3 malformed: prompt_time 'abc', batch size 0,
    // 9 fields) and one trailing blank line; PROVENANCE.md is a note, not an input.
    assertThat(summary.filesFound()).isEqualTo(1);
    assertThat(summary.rowsRead()).isEqualTo(11);
    assertThat(summary.rowsKept()).isEqualTo(8);
    assertThat(summary.rowsRejected()).isEqualTo(3);
    assertThat(summary.blankLines()).isEqualTo(1);
    List<String> rejects = new ArrayList<>();
    for (Row row : spark.read().parquet(catalog + "/" + KstarColumns.REJECTS_TABLE)
        .orderBy("line_number").collectAsList()) {
      rejects.add(row.getLong(1) + ":" + row.getString(3));
    }
    assertThat(rejects).containsExactly(
        "9:prompt_time: not a number 'abc'",
        "10:batch_size: not a whole number in 1..10000000 (0)",
        "11:expected 11 fields, found 9");

    List<String> samples = new ArrayList<>();
    for (Row row : spark.read().parquet(catalog + "/" + KstarColumns.PROFILES_TABLE)
        .orderBy("model", "kind", "generated_tokens", "x", "seconds").collectAsList()) {
      samples.add(row.getAs("model") + " " + row.getAs("kind") + " " + row.getAs("x") + " "
          + row.getAs("seconds") + " " + row.getAs("generated_tokens"));
    }
    // Batch-1 rows give a prefill sample too; milliseconds become seconds.
    assertThat(samples).containsExactly(
        "m7b/gpu1/tp2 decode 1.0 0.01 128.0", "m7b/gpu1/tp2 decode 1.0 0.01 128.0",
        "m7b/gpu1/tp2 decode 1.0 0.012 128.0", "m7b/gpu1/tp2 decode 2.0 0.011 128.0",
        "m7b/gpu1/tp2 decode 4.0 0.014 128.0", "m7b/gpu1/tp2 decode 4.0 0.016 128.0",
        "m7b/gpu1/tp2 decode 1.0 0.04 1024.0",
        "m7b/gpu1/tp2 prefill 100.0 0.03 128.0", "m7b/gpu1/tp2 prefill 200.0 0.05 128.0",
        "m7b/gpu1/tp2 prefill 400.0 0.09 128.0", "m7b/gpu1/tp2 prefill 100.0 0.031 1024.0",
        "m7b/gpu2/tp2 decode 1.0 0.005 128.0", "m7b/gpu2/tp2 prefill 100.0 0.02 128.0");
  }

  @Test
  void aProfileMappedToAWorkloadModelIsFittedAtItsShortestGeneration() throws IOException {
    String catalog = temp.resolve("catalog").toString();
    ingest(FIXTURES.toAbsolutePath().toString(), catalog);
    writeRequests(catalog);
    Path out = temp.resolve("out");
    KstarAnalyzeOptions options = analyzeOptions(catalog, out);
    assertThatThrownBy(() -> KstarAnalyzeJob.run(spark, options))
        .hasMessageContaining("conv (no prefill and decode fit of profile conv")
        .hasMessageContaining("fitted profiles, for --profile-for MODEL=PROFILE: [m7b/gpu1/tp2]");

    options.profileFor = Map.of("conv", "m7b/gpu1/tp2");
    KstarAnalyzeJob.run(spark, options);
    Map<String, String> fit = row(OutputCsv.read(out.resolve("kstar/fit.csv")), "model", "conv");
    assertThat(fit.get("fitted_profile")).isEqualTo("m7b/gpu1/tp2");
    // Prefill at 128 generated tokens: (100, 0.030), (200, 0.050), (400, 0.090) lie on
    // 0.010 + 0.0002 x exactly (the 1024-token row's 0.031 at 100 would not).
    assertThat(number(fit, "alpha_p")).isCloseTo(0.010, within(1e-12));
    assertThat(number(fit, "beta_p")).isCloseTo(0.0002, within(1e-12));
    assertThat(number(fit, "r2_prefill")).isCloseTo(1.0, within(1e-9));
    // Decode medians at 128 tokens: batch 1 {0.010, 0.010, 0.012} -> 0.010, batch 2 0.011,
    // batch 4 {0.014, 0.016} -> 0.015. Mean x 7/3, mean y 0.012; Sxx = 42/9, Sxy = 0.008:
    // beta = 0.012/7, alpha = 0.012 - 0.004 = 0.008; SS_tot = 14e-6, SS_reg = beta Sxy, R^2 = 48/49.
    assertThat(number(fit, "alpha_d")).isCloseTo(0.008, within(1e-12));
    assertThat(number(fit, "beta_d")).isCloseTo(0.012 / 7, within(1e-12));
    assertThat(number(fit, "r2_decode")).isCloseTo(48.0 / 49, within(1e-9));
    assertThat(number(fit, "decode_points")).isEqualTo(3);
    // gpu2 has one point per phase: no line, and it says so.
    List<Map<String, String>> leftOut = OutputCsv.read(out.resolve("kstar/profiles_left_out.csv"));
    assertThat(leftOut).hasSize(1);
    assertThat(leftOut.get(0).get("profile")).isEqualTo("m7b/gpu2/tp2");
    assertThat(leftOut.get(0).get("reason")).contains("cannot be fitted");
  }

  @Test
  void realSplitwiseFileFitsAsAPlainLeastSquaresDoes() throws IOException {
    Path file = RealData.folder().resolve("splitwise-perf-model/perf_model.csv");
    String catalog = temp.resolve("catalog").toString();
    IngestSummary summary = ingest(file.toString(), catalog);
    // 1,261 lines: the header and 1,260 rows, every one readable.
    assertThat(summary.rowsRead()).isEqualTo(1260);
    assertThat(summary.rowsRejected()).isZero();
    assertThat(spark.read().parquet(catalog + "/" + KstarColumns.REJECTS_TABLE).count()).isZero();
    writeRequests(catalog);
    Path out = temp.resolve("out");
    KstarAnalyzeOptions options = analyzeOptions(catalog, out);
    options.profileFor = Map.of("conv", H100_TP8);
    KstarAnalyzeJob.run(spark, options);
    Map<String, String> fit = row(OutputCsv.read(out.resolve("kstar/fit.csv")), "model", "conv");

    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file).subList(1, 1261)) {
      String[] f = line.split(",");
      // model,hardware,prompt_size,batch_size,token_size,...,prompt_time,token_time,...,tp
      if (f[0].equals("llama2-70b") && f[1].equals("h100-80gb") && f[10].equals("8")) {
        rows.add(f);
      }
    }
    assertThat(rows).hasSize(105);
    // The profile's shortest generation is 128 tokens; the rows at 256..8192 sweep the
    // generation length and are not fitted.
    List<double[]> prefill = new ArrayList<>();
    Map<Double, List<Double>> decodeRepeats = new TreeMap<>();
    for (String[] f : rows) {
      if (!f[4].equals("128")) {
        continue;
      }
      if (f[3].equals("1")) {
        prefill.add(new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[7]) / 1000});
      }
      decodeRepeats.computeIfAbsent(Double.parseDouble(f[3]), b -> new ArrayList<>())
          .add(Double.parseDouble(f[8]) / 1000);
    }
    List<double[]> decode = new ArrayList<>();
    decodeRepeats.forEach((batch, seconds) -> decode.add(new double[] {batch, median(seconds)}));
    double[] p = leastSquares(prefill);
    double[] d = leastSquares(decode);
    assertThat(number(fit, "alpha_p")).isCloseTo(p[0], within(1e-12));
    assertThat(number(fit, "beta_p")).isCloseTo(p[1], within(1e-12));
    assertThat(number(fit, "r2_prefill")).isCloseTo(p[2], within(1e-9));
    assertThat(number(fit, "alpha_d")).isCloseTo(d[0], within(1e-12));
    assertThat(number(fit, "beta_d")).isCloseTo(d[1], within(1e-12));
    assertThat(number(fit, "r2_decode")).isCloseTo(d[2], within(1e-9));
    // Issue 12's figures: prefill 99.65 us/token after clamping (45 points), R^2 0.981; decode
    // 29.67 ms + 0.312 ms per request over the medians of 7 batch sizes, R^2 0.992.
    assertThat(fit.get("clamped")).isEqualTo("prefill");
    assertThat(number(fit, "prefill_points")).isEqualTo(45);
    assertThat(number(fit, "beta_p") * 1e6).isCloseTo(99.65, within(0.005));
    assertThat(number(fit, "r2_prefill")).isCloseTo(0.981, within(0.0005));
    assertThat(number(fit, "alpha_d") * 1e3).isCloseTo(29.67, within(0.005));
    assertThat(number(fit, "beta_d") * 1e3).isCloseTo(0.312, within(0.0005));
    assertThat(number(fit, "r2_decode")).isCloseTo(0.992, within(0.0005));
    // The other 11 of the 12 (model, hardware, TP) profiles are listed, not dropped silently.
    List<Map<String, String>> leftOut = OutputCsv.read(out.resolve("kstar/profiles_left_out.csv"));
    assertThat(leftOut).hasSize(11)
        .allSatisfy(r -> assertThat(r.get("reason")).contains("--profile-for MODEL="))
        .noneSatisfy(r -> assertThat(r.get("profile")).isEqualTo(H100_TP8));
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * Ordinary least squares from centred sums, then, when the intercept is negative, the best
   * line through the origin; R^2 = 1 - SS_res / SS_tot of the line kept, residuals summed here.
   *
   * @return alpha, beta, R^2
   */
  private static double[] leastSquares(List<double[]> points) {
    double meanX = points.stream().mapToDouble(xy -> xy[0]).average().orElseThrow();
    double meanY = points.stream().mapToDouble(xy -> xy[1]).average().orElseThrow();
    double sxx = 0;
    double sxy = 0;
    double xx = 0;
    double xy = 0;
    for (double[] point : points) {
      sxx += (point[0] - meanX) * (point[0] - meanX);
      sxy += (point[0] - meanX) * (point[1] - meanY);
      xx += point[0] * point[0];
      xy += point[0] * point[1];
    }
    double beta = sxy / sxx;
    double alpha = meanY - beta * meanX;
    if (alpha < 0) {
      alpha = 0;
      beta = xy / xx;
    }
    double residual = 0;
    double total = 0;
    for (double[] point : points) {
      double error = point[1] - (alpha + beta * point[0]);
      residual += error * error;
      total += (point[1] - meanY) * (point[1] - meanY);
    }
    return new double[] {alpha, beta, 1 - residual / total};
  }

}
