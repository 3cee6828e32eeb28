package dev.servelens.bench;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.read;
import static dev.servelens.testing.OutputCsv.row;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.io.IngestSummary;
import dev.servelens.io.StrictModeException;
import dev.servelens.testing.RealData;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real SGLang {@code bench_serving} JSON Lines files of
 * ../shared/real-data/datacrunch-h200-sglang (see its PROVENANCE.md): Llama-3.3-70B on 4 x H200
 * and Llama-3.1-405B on 8 x H200, request-rate sweeps 1, 2, 4, 8(, 16) req/s on the random
 * dataset (1024/1024) and 4, 8 req/s on ShareGPT. The files have no TPOT, no total or request
 * throughput and no concurrency. Expected numbers are worked out by hand from the lines quoted.
 * Skipped, saying why, when the real data is absent.
 */
class BenchSglangRealDataTest {
  private static final String ONLINE_70B = "llama_3_3_70b_online_output.jsonl";
  private static final String ONLINE_405B = "llama_405b_online_output.jsonl";

  @TempDir static Path temp;
  private static final SparkSession SPARK = SharedSpark.session();
  private static Path sglang;
  private static String catalog;
  private static IngestSummary first;
  private static Path bench;

  @BeforeAll
  static void ingestAndAnalyze() {
    sglang = RealData.folder().resolve("datacrunch-h200-sglang");
    catalog = temp.resolve("catalog").toString();
    first = ingest(catalog, sglang.resolve(ONLINE_70B), 4, false);
    ingest(catalog, sglang.resolve(ONLINE_405B), 8, false);
    BenchAnalyzeOptions options = new BenchAnalyzeOptions();
    options.catalog = catalog;
    options.out = temp.resolve("out").toString();
    options.ttftTargetMs = 150.0;
    options.ttftStat = "median";
    BenchAnalyzeJob.run(SPARK, options);
    bench = temp.resolve("out/bench");
  }

  private static IngestSummary ingest(String into, Path file, int gpus, boolean strict) {
    BenchIngestOptions options = new BenchIngestOptions();
    options.inputs = List.of(file.toString());
    options.catalog = into;
    options.gpuType = "H200";
    options.gpus = gpus;
    options.strict = strict;
    return BenchIngestJob.run(SPARK, options);
  }

  @Test
  void everyLineIsAPointAndDerivedThroughputsFollowFromTheTotals() {
    // 7 lines, 7 sweep points.
    assertThat(first.rowsRead()).isEqualTo(7);
    assertThat(first.rowsKept()).isEqualTo(7);
    // Line 1: "request_rate": 1.0, "total_input_tokens": 152612, "total_output_tokens": 160347,
    // "mean_e2e_latency_ms": 7840.616212638561, "duration": 298.3675805060193, "completed": 300.
    // (152612 + 160347) / 298.3675805060193 = 312959 / 298.36758... = 1048.904172 tokens/s;
    // 300 / 298.36758... = 1.005471 requests/s.
    Row line1 = SPARK.read().parquet(catalog + "/" + BenchColumns.RESULTS_TABLE)
        .where(col(BenchColumns.SOURCE_PATH).endsWith(ONLINE_70B)
            .and(col(BenchColumns.LINE_NUMBER).equalTo(1))).first();
    assertThat((Double) line1.getAs("total_token_throughput")).isCloseTo(1048.904172,
        within(1e-6));
    assertThat((Double) line1.getAs("request_throughput")).isCloseTo(1.005471, within(1e-6));
    assertThat((Double) line1.getAs("mean_e2el_ms")).isEqualTo(7840.616212638561);
    assertThat((Double) line1.getAs("request_rate")).isEqualTo(1.0);
    assertThat((Object) line1.getAs("concurrency")).isNull();
    assertThat((Integer) line1.getAs("isl")).isEqualTo(1024);
    assertThat((String) line1.getAs("result_format")).isEqualTo("sglang-bench-serving");
    // Two sweeps per file (random 1024/1024 and ShareGPT), two files: four runs.
    List<String> runs = SPARK.read().parquet(catalog + "/" + BenchColumns.RUNS_TABLE)
        .orderBy(BenchColumns.RUN_DIR).select(BenchColumns.RUN_DIR, "total_gpus")
        .collectAsList().stream()
        .map(r -> r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1) + " "
            + r.getInt(1)).toList();
    assertThat(runs).containsExactly(
        "llama_3_3_70b_online_output#random_isl_1024_osl_1024 4",
        "llama_3_3_70b_online_output#sharegpt 4",
        "llama_405b_online_output#random_isl_1024_osl_1024 8",
        "llama_405b_online_output#sharegpt 8");
  }

  @Test
  void tpsPerUserComesFromMedianItlAndPerGpuFromTheGpusGiven() throws IOException {
    List<Map<String, String>> results = read(bench.resolve("results.csv"));
    // 7 + 6 lines
    assertThat(results).hasSize(13);
    Map<String, String> rate1 = row(results, "job_id", "llama_3_3_70b_online_output",
        "request_rate", "1.0");
    assertThat(rate1.get("concurrency")).isEmpty();
    // "median_itl_ms": 13.638956006616354 (the file has no TPOT and no mean ITL):
    // 1000 / 13.638956 = 73.319395
    assertThat(number(rate1, "tps_per_user")).isCloseTo(73.319395, within(1e-6));
    assertThat(rate1.get("tps_per_user_source")).isEqualTo("median_itl");
    // "output_throughput": 537.4142851849319 on 4 GPUs = 134.353571; 1048.904172 / 4 = 262.226043
    assertThat(number(rate1, "output_tps_per_gpu")).isCloseTo(134.353571, within(1e-6));
    assertThat(number(rate1, "total_tps_per_gpu")).isCloseTo(262.226043, within(1e-6));
    // 405B, ShareGPT at 8 req/s: "median_itl_ms": 108.0441779922694 -> 9.255473;
    // "output_throughput": 1224.3946098961699 / 8 GPUs = 153.049326
    Map<String, String> big = row(results, "job_id", "llama_405b_online_output",
        "request_rate", "8.0", "isl", "");
    assertThat(number(big, "tps_per_user")).isCloseTo(9.255473, within(1e-6));
    assertThat(number(big, "output_tps_per_gpu")).isCloseTo(153.049326, within(1e-6));
  }

  @Test
  void requestRatePointsMakeTheParetoFront() throws IOException {
    // 70B on 4 GPUs (TPS/User, output TPS/GPU): rate 1 (73.32, 134.4), 2 (67.43, 246.8),
    // 4 (51.49, 512.0), 8 (14.13, 878.8), 16 (5.58, 1072.0), ShareGPT 4 (72.25, 186.5),
    // ShareGPT 8 (56.60, 367.8): each has less of one than every point with more of the other,
    // so all 7 are on the front. 405B on 8 GPUs: rate 1 (25.78, 63.1), 2 (23.09, 113.9),
    // ShareGPT 4 (23.63, 88.1) are beaten by 70B rate 4 (51.49, 512.0); rate 4 (7.39, 199.8),
    // 8 (5.27, 227.6), ShareGPT 8 (9.26, 153.0) by 70B rate 8 (14.13, 878.8).
    List<Map<String, String>> pareto = read(bench.resolve("pareto.csv"));
    assertThat(pareto).hasSize(7);
    assertThat(pareto).allSatisfy(r -> {
      assertThat(r.get("job_id")).isEqualTo("llama_3_3_70b_online_output");
      assertThat(r.get("concurrency")).isEmpty();
    });
    Map<String, String> shareGpt8 = row(pareto, "request_rate", "8.0", "isl", "");
    // 1000 / 17.667690059170127 = 56.600495; 1471.0864833760852 / 4 = 367.771621
    assertThat(number(shareGpt8, "tps_per_user")).isCloseTo(56.600495, within(1e-6));
    assertThat(number(shareGpt8, "output_tps_per_gpu")).isCloseTo(367.771621, within(1e-6));
  }

  @Test
  void latencyIsPlottedAgainstRequestRate() throws IOException {
    List<Map<String, String>> figure = read(bench.resolve(
        "figures/latency_vs_request_rate.csv"));
    // 70B random at 16 req/s: "median_ttft_ms": 614.2499720444903 (the file has no mean TTFT)
    Map<String, String> ttft16 = row(figure, "series",
        "ttft llama_3_3_70b_online_output#random_isl_1024_osl_1024", "request_rate", "16.0");
    assertThat(number(ttft16, "median_ms")).isEqualTo(614.2499720444903);
    assertThat(ttft16.get("mean_ms")).isEmpty();
  }

  @Test
  void bestRequestRateUnderAMedianTtftTarget() throws IOException {
    List<Map<String, String>> best = read(bench.resolve("best_concurrency.csv"));
    // 70B random, median TTFT <= 150 ms: rates 1 (85.7 ms), 2 (87.6), 4 (106.1); 8 has 191.4.
    // Highest output TPS/GPU of those: rate 4, 2047.9108281108272 / 4 = 511.977707.
    Map<String, String> random = run(best, "llama_3_3_70b_online_output#random_isl_1024_osl_1024");
    assertThat(number(random, "request_rate")).isEqualTo(4.0);
    assertThat(number(random, "output_tps_per_gpu")).isCloseTo(511.977707, within(1e-6));
    // 405B random: 218.8 ms already at 1 req/s: none meets the target.
    Map<String, String> big = run(best, "llama_405b_online_output#random_isl_1024_osl_1024");
    assertThat(big.get("request_rate")).isEmpty();
  }

  @Test
  void summaryOfRequestRateSweeps() throws IOException {
    List<Map<String, String>> rows = read(bench.resolve("summary.csv"));
    assertThat(rows).hasSize(1);
    Map<String, String> summary = rows.get(0);
    // Four runs (two sweeps per file), 7 + 6 points, no concurrency, no container, no profiling.
    assertThat(summary.get("runs")).isEqualTo("4");
    assertThat(summary.get("result_points")).isEqualTo("13");
    assertThat(summary.get("max_concurrency")).isEmpty();
    assertThat(summary.get("profiling_runs")).isEqualTo("0");
    assertThat(summary.get("containers")).isEqualTo("0");
    // Largest "output_throughput" per GPU: 70B at 16 req/s, 4288.049348197696 / 4 =
    // 1072.012337 (the 405B's largest is 1820.6538850305435 / 8 = 227.58).
    assertThat(number(summary, "max_output_tps_per_gpu")).isCloseTo(1072.012337, within(1e-6));
    assertThat(summary.get("max_tps_per_gpu_run"))
        .isEqualTo("llama_3_3_70b_online_output#random_isl_1024_osl_1024");
    assertThat(summary.get("max_tps_per_gpu_concurrency")).isEmpty();
    assertThat(number(summary, "max_tps_per_gpu_request_rate")).isEqualTo(16.0);
  }

  @Test
  void latencySummaryHasOnlyTheStatisticsTheFilesHave() throws IOException {
    List<Map<String, String>> latency = read(bench.resolve("latency_summary.csv"));
    // The files have median TTFT and ITL, mean and median E2E latency, no TPOT: 4 runs x 3.
    assertThat(latency).hasSize(4 * 3);
    assertThat(latency).noneMatch(r -> r.get("metric").equals("tpot"));
    List<Map<String, String>> random = latency.stream().filter(r -> r.get("run_dir")
        .endsWith("/llama_3_3_70b_online_output#random_isl_1024_osl_1024")).toList();
    // 70B random, lines 1-5: "median_ttft_ms" 85.74514742940664 (1 req/s) .. 614.2499720444903
    // (16 req/s); no mean, p90, p99 or std of TTFT.
    Map<String, String> ttft = row(random, "metric", "ttft");
    assertThat(ttft.get("points")).isEqualTo("5");
    assertThat(number(ttft, "min_median_ms")).isEqualTo(85.74514742940664);
    assertThat(number(ttft, "max_median_ms")).isEqualTo(614.2499720444903);
    for (String column : new String[] {"min_mean_ms", "max_p90_ms", "max_p99_ms",
        "max_std_ms"}) {
      assertThat(ttft.get(column)).isEmpty();
    }
    // "median_itl_ms" 13.638956006616354 (1 req/s) .. 179.12118090316653 (16 req/s)
    Map<String, String> itl = row(random, "metric", "itl");
    assertThat(number(itl, "min_median_ms")).isEqualTo(13.638956006616354);
    assertThat(number(itl, "max_median_ms")).isEqualTo(179.12118090316653);
    // "mean_e2e_latency_ms" 7840.616212638561 .. 149037.25147111146; "median_e2e_latency_ms"
    // 7819.046192569658 .. 159469.04255752452
    Map<String, String> e2el = row(random, "metric", "e2el");
    assertThat(number(e2el, "min_mean_ms")).isEqualTo(7840.616212638561);
    assertThat(number(e2el, "max_mean_ms")).isEqualTo(149037.25147111146);
    assertThat(number(e2el, "min_median_ms")).isEqualTo(7819.046192569658);
    assertThat(number(e2el, "max_median_ms")).isEqualTo(159469.04255752452);
  }

  /** The one row whose run_dir ends with {@code /name}. */
  private static Map<String, String> run(List<Map<String, String>> rows, String name) {
    List<Map<String, String>> matches = rows.stream()
        .filter(r -> r.get("run_dir").endsWith("/" + name)).toList();
    assertThat(matches).hasSize(1);
    return matches.get(0);
  }

  @Test
  void aCutLineIsRejectedAndBlankLinesAreNoRows() throws IOException {
    Path copy = temp.resolve("dirty/" + ONLINE_70B);
    Files.createDirectories(copy.getParent());
    Files.copy(sglang.resolve(ONLINE_70B), copy);
    // line 8 blank, line 9 cut off
    Files.writeString(copy, "\n{\"backend\": \"sglang\", \"request_rate\": 32.0, \"dur",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    String dirty = temp.resolve("dirty-catalog").toString();
    assertThatThrownBy(() -> ingest(dirty, copy, 4, true))
        .isInstanceOf(StrictModeException.class)
        .hasMessageContaining(ONLINE_70B + ": line 9: invalid JSON");
    IngestSummary summary = ingest(dirty, copy, 4, false);
    assertThat(summary.rowsKept()).isEqualTo(7);
    assertThat(summary.rowsRejected()).isEqualTo(1);
    assertThat(summary.rowsRead()).isEqualTo(8);
    Row reject = SPARK.read().parquet(dirty + "/" + BenchColumns.REJECTS_TABLE).first();
    assertThat(reject.getLong(1)).isEqualTo(9);
    assertThat(reject.getString(2)).startsWith("{\"backend\": \"sglang\", \"request_rate\": 32.0");
  }
}
