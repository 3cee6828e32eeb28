package dev.servelens.bench;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.read;
import static dev.servelens.testing.OutputCsv.row;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.figures.DrawnFigure;
import dev.servelens.io.IngestSummary;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vLLM result files, hand-made from the schema vLLM's {@code bench serve --save-result} and the
 * older {@code benchmark_serving.py} write (src/test/resources/BenchToolResultsTest/tools):
 *
 * <ul>
 *   <li>{@code vllm-inf-concurrency16-...json}: vllm bench serve, pretty-printed, request rate
 *       {@code "inf"} (a string), max_concurrency 16, {@code --metadata gpus=2} (a string);
 *   <li>{@code vllm-4.0qps-...json}: benchmark_serving.py, one line, rate 4.0, no concurrency,
 *       no {@code total_token_throughput}, per-request arrays;
 *   <li>{@code appended.json}: {@code --append-result}, two points (rate 2 without TPOT, rate 8
 *       without any throughput) and a third line cut off;
 *   <li>{@code not_a_result.json}: JSON but no benchmark result; {@code NOTES.md}: not data;
 *   <li>{@code artifacts/qwen3-0.6b-openai-chat-concurrency100/}: NVIDIA AIPerf's aggregate
 *       export {@code profile_export_aiperf.json} (its documented structure; concurrency 100, no
 *       total throughput), beside the per-request {@code profile_export.jsonl} and {@code
 *       inputs.json}, which are not results; {@code artifacts/bad-units/}: an export whose TTFT
 *       is in "tokens".
 * </ul>
 */
class BenchToolResultsTest {
  static final Path FIXTURES = Path.of("src/test/resources/BenchToolResultsTest/tools");

  @TempDir static Path temp;
  private static final SparkSession SPARK = SharedSpark.session();
  private static String catalog;
  private static IngestSummary summary;
  private static Path bench;

  @BeforeAll
  static void ingestAndAnalyze() throws IOException {
    Path inputs = temp.resolve("vllm");
    BenchIngestJobTest.copyTree(FIXTURES, inputs);
    catalog = temp.resolve("catalog").toString();
    BenchIngestOptions ingest = new BenchIngestOptions();
    ingest.inputs = List.of(inputs.toString());
    ingest.catalog = catalog;
    ingest.gpus = 8;
    ingest.gpuType = "H100";
    ingest.labels = Map.of("appended.json", "qwen-sweep");
    summary = BenchIngestJob.run(SPARK, ingest);
    BenchAnalyzeOptions options = new BenchAnalyzeOptions();
    options.catalog = catalog;
    options.out = temp.resolve("out").toString();
    BenchAnalyzeJob.run(SPARK, options);
    bench = temp.resolve("out/bench");
  }

  /** The row of results.csv of the run {@code jobId}, which has one point. */
  private static Map<String, String> result(String jobId) throws IOException {
    return row(read(bench.resolve("results.csv")), "job_id", jobId);
  }

  @Test
  void everyPointIsKeptOrRejectedWithLineAndReason() {
    // 6 files (not NOTES.md, profile_export.jsonl, inputs.json): 1 + 1 + (2 kept, 1 cut off)
    // + 1 not a result + 1 AIPerf export + 1 AIPerf export with a bad unit.
    assertThat(summary.filesIngested()).isEqualTo(6);
    assertThat(summary.rowsKept()).isEqualTo(5);
    assertThat(summary.rowsRejected()).isEqualTo(3);
    assertThat(summary.rowsRead()).isEqualTo(8);
    List<String> rejects = new ArrayList<>();
    for (Row r : SPARK.read().parquet(catalog + "/" + BenchColumns.REJECTS_TABLE)
        .orderBy(BenchColumns.SOURCE_PATH).collectAsList()) {
      String path = r.getString(0);
      rejects.add(path.substring(path.lastIndexOf('/') + 1) + ":" + r.getLong(1) + ":"
          + r.getString(3));
    }
    assertThat(rejects).hasSize(3);
    assertThat(rejects.get(0)).startsWith("appended.json:3:invalid JSON:");
    assertThat(rejects.get(1)).isEqualTo("profile_export_aiperf.json:1:AIPerf export: unit"
        + " 'tokens' of 'time_to_first_token' is not a time unit servelens reads (ms, s, sec, ns)");
    assertThat(rejects.get(2)).isEqualTo("not_a_result.json:1:not a benchmark result:"
        + " neither 'duration' nor 'output_throughput'");
  }

  @Test
  void vllmBenchServeKeepsItsOwnNumbersAndGpuCount() throws IOException {
    Map<String, String> point =
        result("vllm-inf-concurrency16-Llama-3.1-8B-Instruct-20250601-120000");
    assertThat(point.get("concurrency")).isEqualTo("16");
    assertThat(point.get("request_rate")).isEqualTo("Infinity");
    assertThat(point.get("result_format")).isEqualTo("vllm-bench-serve");
    // --metadata gpus=2 in the file wins over --gpus 8: 505.6 / 2 = 252.8, 4550.4 / 2 = 2275.2
    assertThat(number(point, "total_gpus")).isEqualTo(2);
    assertThat(number(point, "output_tps_per_gpu")).isCloseTo(252.8, within(1e-9));
    assertThat(number(point, "total_tps_per_gpu")).isCloseTo(2275.2, within(1e-9));
    // 1000 / mean_tpot_ms 25.0
    assertThat(number(point, "tps_per_user")).isCloseTo(40.0, within(1e-9));
    assertThat(point.get("tps_per_user_source")).isEqualTo("tpot");
    assertThat(number(point, "mean_e2el_ms")).isEqualTo(3300.0);
    assertThat(point.get("derived_metrics")).isEmpty();
  }

  @Test
  void latencyFiguresPutTheirSweepAxisOnX() throws Exception {
    // Rate sweeps: appended.json at 2 and 8 req/s, the 4.0qps file; median TTFT 38, 70, 45 ms.
    DrawnFigure byRate = DrawnFigure.of(bench, "latency_vs_request_rate");
    byRate.assertDraws("request_rate", "request rate (requests/s)", "median_ms",
        "median latency (ms)");
    assertThat(byRate.xs()).containsExactly(2.0, 4.0, 8.0);
    assertThat(byRate.ys()).contains(38.0, 45.0, 70.0);
    // Concurrency sweeps: vllm bench serve at 16 (mean TTFT 120.5 ms), the AIPerf export at 100.
    DrawnFigure byConcurrency = DrawnFigure.of(bench, "latency_vs_concurrency");
    byConcurrency.assertDraws("concurrency", "concurrency (requests in flight)", "mean_ms",
        "mean latency (ms)");
    assertThat(byConcurrency.xs()).containsExactly(16.0, 100.0);
    assertThat(byConcurrency.ys()).contains(120.5);
    assertThat(DrawnFigure.generic(bench)).isEmpty();
  }

  @Test
  void oldBenchmarkServingGetsTotalThroughputFromItsTotals() throws IOException {
    Map<String, String> point = result("vllm-4.0qps-Llama-2-7b-hf-20240315-101010");
    assertThat(point.get("result_format")).isEqualTo("vllm-benchmark-serving");
    assertThat(point.get("concurrency")).isEmpty();
    assertThat(number(point, "request_rate")).isEqualTo(4.0);
    // (80000 + 51200) / 100.0 s = 1312 tokens/s; over --gpus 8: 164; output 512 / 8 = 64
    assertThat(number(point, "total_tps")).isCloseTo(1312.0, within(1e-9));
    assertThat(number(point, "total_tps_per_gpu")).isCloseTo(164.0, within(1e-9));
    assertThat(number(point, "output_tps_per_gpu")).isCloseTo(64.0, within(1e-9));
    assertThat(point.get("gpu_type")).isEqualTo("H100");
    assertThat(point.get("derived_metrics")).isEqualTo("total_token_throughput");
    // 1000 / 20.0
    assertThat(number(point, "tps_per_user")).isCloseTo(50.0, within(1e-9));
    Row stored = SPARK.read().parquet(catalog + "/" + BenchColumns.RESULTS_TABLE)
        .where(col("job_id").equalTo("vllm-4.0qps-Llama-2-7b-hf-20240315-101010")).first();
    assertThat(stored.<String, Double>getJavaMap(stored.fieldIndex("metrics")))
        .containsEntry("input_throughput", 800.0).doesNotContainKeys("ttfts", "itls");
  }

  @Test
  void appendedPointsFormOneLabelledRunAndFallBackToItl() throws IOException {
    List<Map<String, String>> results = read(bench.resolve("results.csv"));
    Map<String, String> two = row(results, "job_id", "qwen-sweep", "request_rate", "2.0");
    // no TPOT: 1000 / mean_itl_ms 20.0 = 50
    assertThat(number(two, "tps_per_user")).isCloseTo(50.0, within(1e-9));
    assertThat(two.get("tps_per_user_source")).isEqualTo("itl");
    Map<String, String> eight = row(results, "job_id", "qwen-sweep", "request_rate", "8.0");
    // nothing but totals: 12800 / 20 s = 640 output, 38400 / 20 = 1920 total, 100 / 20 = 5 req/s
    assertThat(number(eight, "output_tps")).isCloseTo(640.0, within(1e-9));
    assertThat(number(eight, "total_tps")).isCloseTo(1920.0, within(1e-9));
    assertThat(number(eight, "request_throughput")).isCloseTo(5.0, within(1e-9));
    assertThat(eight.get("derived_metrics"))
        .isEqualTo("output_throughput;request_throughput;total_token_throughput");
    // 1000 / 31.25
    assertThat(number(eight, "tps_per_user")).isCloseTo(32.0, within(1e-9));
    assertThat(SPARK.read().parquet(catalog + "/" + BenchColumns.RUNS_TABLE)
        .where(col("job_id").equalTo("qwen-sweep")).count()).isEqualTo(1);
  }

  @Test
  void aiperfExportIsOnePointOfItsArtifactFolder() throws IOException {
    Map<String, String> point = result("qwen3-0.6b-openai-chat-concurrency100");
    assertThat(point.get("result_format")).isEqualTo("aiperf-profile-export");
    assertThat(point.get("concurrency")).isEqualTo("100");
    assertThat(point.get("isl") + "/" + point.get("osl")).isEqualTo("550/100");
    // total_isl + total_osl over benchmark_duration: (110000 + 19370) / 15.2 = 8511.184211
    assertThat(number(point, "total_tps")).isCloseTo(8511.184211, within(1e-6));
    // output_token_throughput 1274.3421052631579 over --gpus 8 = 159.292763
    assertThat(number(point, "output_tps_per_gpu")).isCloseTo(159.292763, within(1e-6));
    // inter_token_latency avg 51.76 ms: 1000 / 51.76 = 19.319938
    assertThat(number(point, "tps_per_user")).isCloseTo(19.319938, within(1e-6));
    assertThat(point.get("tps_per_user_source")).isEqualTo("itl");
    assertThat(number(point, "mean_e2el_ms")).isEqualTo(6550.36);
    assertThat(number(point, "median_ttft_ms")).isEqualTo(787.5);
    assertThat(number(point, "p99_ttft_ms")).isEqualTo(4119.3);
  }

  @Test
  void rateOnlyPointsReachTheParetoFront() throws IOException {
    // Points (TPS/User, output TPS/GPU): inf/c16 (40, 252.8), 4 qps (50, 64),
    // qwen 2 qps (50, 256 / 8 = 32), qwen 8 qps (32, 640 / 8 = 80), AIPerf c100 (19.3, 159.3).
    // (50, 64) beats (50, 32); (40, 252.8) beats (32, 80) and (19.3, 159.3).
    // Front: (50, 64) and (40, 252.8).
    List<String> front = new ArrayList<>();
    for (Map<String, String> r : read(bench.resolve("pareto.csv"))) {
      front.add(r.get("job_id") + "@" + r.get("request_rate"));
    }
    assertThat(front).containsExactlyInAnyOrder(
        "vllm-4.0qps-Llama-2-7b-hf-20240315-101010@4.0",
        "vllm-inf-concurrency16-Llama-3.1-8B-Instruct-20250601-120000@Infinity");
  }

  @Test
  void resultsIngestedBeforeToolFilesAreRunDirectoryResults() {
    // An older batch has neither column; merged with a newer one, its rows have them null.
    StructType older = new StructType().add("source_path", DataTypes.StringType);
    Row olderRow = SPARK.createDataFrame(List.of(RowFactory.create("a.json")), older)
        .transform(BenchResults::withPointColumns).first();
    assertThat((String) olderRow.getAs("result_format")).isEqualTo("srt-slurm");
    assertThat((Long) olderRow.getAs("line_number")).isEqualTo(1L);
    StructType merged = older.add("result_format", DataTypes.StringType)
        .add("line_number", DataTypes.LongType);
    Row mergedRow = SPARK.createDataFrame(List.of(RowFactory.create("a.json", null, null)),
        merged).transform(BenchResults::withPointColumns).first();
    assertThat((String) mergedRow.getAs("result_format")).isEqualTo("srt-slurm");
    assertThat((Long) mergedRow.getAs("line_number")).isEqualTo(1L);
  }
}
