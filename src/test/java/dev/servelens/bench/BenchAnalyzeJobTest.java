package dev.servelens.bench;

import static dev.servelens.testing.OutputCsv.number;
import static dev.servelens.testing.OutputCsv.read;
import static dev.servelens.testing.OutputCsv.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.figures.DrawnFigure;
import dev.servelens.report.ReportJob;
import dev.servelens.report.ReportOptions;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
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
 * {@code analyze bench} on the ingest test's logs tree (src/test/resources/BenchIngestJobTest).
 * Every expected number is worked out by hand from the fixture files in the comments.
 */
class BenchAnalyzeJobTest {
  @TempDir static Path temp;
  private static Path bench;
  private static final SparkSession SPARK = SharedSpark.session();

  @BeforeAll
  static void ingestAndAnalyze() throws IOException {
    Path logs = temp.resolve("logs");
    BenchIngestJobTest.copyTree(BenchIngestJobTest.FIXTURES, logs);
    BenchIngestOptions ingest = new BenchIngestOptions();
    ingest.inputs = List.of(logs.toString());
    ingest.catalog = temp.resolve("catalog").toString();
    long started = System.nanoTime();
    BenchIngestJob.run(SPARK, ingest);
    long ingested = System.nanoTime();
    BenchAnalyzeOptions options = new BenchAnalyzeOptions();
    options.catalog = ingest.catalog;
    options.out = temp.resolve("out").toString();
    options.ttftTargetMs = 400.0;
    options.baselineTag = "baseline";
    options.currentTag = "current";
    options.diff = List.of("3667", "3668");
    BenchAnalyzeJob.run(SPARK, options);
    System.out.printf("bench fixtures: ingest %.1f s, analyze %.1f s%n",
        (ingested - started) / 1e9, (System.nanoTime() - ingested) / 1e9);
    bench = temp.resolve("out/bench");
  }

  private static List<Map<String, String>> table(String name) throws IOException {
    return read(bench.resolve(name + ".csv"));
  }

  @Test
  void tpsPerGpuAndPerUserFromNodesAndTpot() throws IOException {
    List<Map<String, String>> results = table("results");
    // 3667 c16, c32; 3668 c16, c32; 3669 c16. Not: 3667's osl_10240 folder, the profiling run
    // 3670, 3671 without metadata.
    assertThat(results).hasSize(5);
    // 3667: (1 + 4) nodes x 8 = 40 GPUs; c32: 9000 / 40 = 225, 18000 / 40 = 450, 1000 / 25 = 40
    Map<String, String> a32 = row(results, "job_id", "3667", "concurrency", "32");
    assertThat(number(a32, "total_gpus")).isEqualTo(40);
    assertThat(number(a32, "output_tps_per_gpu")).isEqualTo(225.0);
    assertThat(number(a32, "total_tps_per_gpu")).isEqualTo(450.0);
    assertThat(number(a32, "tps_per_user")).isEqualTo(40.0);
    assertThat(a32.get("tags")).isEqualTo("baseline;h100");
    assertThat(a32.get("completed")).isEqualTo("100");
    // 3668 c32 has no mean_tpot_ms: TPS/User unknown, not 0; 4800 / 16 = 300
    Map<String, String> b32 = row(results, "job_id", "3668", "concurrency", "32");
    assertThat(b32.get("tps_per_user")).isEmpty();
    assertThat(number(b32, "output_tps_per_gpu")).isEqualTo(300.0);
    // 3669 aggregated: 2 nodes x 8 = 16 GPUs (8 workers would be 64); 3200 / 16 = 200
    Map<String, String> c16 = row(results, "job_id", "3669", "concurrency", "16");
    assertThat(number(c16, "total_gpus")).isEqualTo(16);
    assertThat(number(c16, "output_tps_per_gpu")).isEqualTo(200.0);
    assertThat(number(c16, "tps_per_user")).isEqualTo(50.0);
  }

  @Test
  void paretoFrontKeepsExactDuplicatesAndDropsTiesThatAreBeaten() throws IOException {
    // (x = TPS/User, y = output TPS/GPU): 3667 c16 (50, 100), 3667 c32 (40, 225), 3668 c16
    // (50, 200), 3669 c16 (50, 200); 3668 c32 has no x. (50, 100) loses to (50, 200) on y at
    // equal x; the two (50, 200) do not beat each other.
    List<String> front = new ArrayList<>();
    for (Map<String, String> r : table("pareto")) {
      front.add(r.get("job_id") + "/" + r.get("concurrency"));
    }
    assertThat(front).containsExactlyInAnyOrder("3667/32", "3668/16", "3669/16");
    List<Map<String, String>> figure = read(bench.resolve("figures/pareto.csv"));
    assertThat(figure).hasSize(4);
    assertThat(row(figure, "series", "3667", "concurrency", "16").get("on_front"))
        .isEqualTo("false");
    // The columns the Pareto figure is drawn from (figures/FigureSpecs "bench/pareto").
    assertThat(figure.get(0).keySet()).contains("tps_per_user", "output_tps_per_gpu");
  }

  @Test
  void frontWithCutoffAndDominatedDuplicates() {
    StructType schema = new StructType().add("run_dir", DataTypes.StringType)
        .add("concurrency", DataTypes.IntegerType).add("tps_per_user", DataTypes.DoubleType)
        .add("output_tps_per_gpu", DataTypes.DoubleType);
    List<Row> rows = List.of(RowFactory.create("a", 1, 50.0, 200.0),
        RowFactory.create("b", 1, 50.0, 200.0), RowFactory.create("c", 1, 40.0, 225.0),
        RowFactory.create("d", 1, 45.0, 225.0), RowFactory.create("e", 1, 50.0, 100.0),
        RowFactory.create("f", 1, 50.0, 100.0), RowFactory.create("g", 1, null, 900.0));
    var points = SPARK.createDataFrame(rows, schema);
    // c (40, 225) loses to d (45, 225); e and f, equal, both lose to a; g has no x.
    assertThat(onFront(points, null)).containsExactly("a", "b", "d");
    // with TPS/User >= 48 only a, b, e, f compete
    assertThat(onFront(points, 48.0)).containsExactly("a", "b");
  }

  private static List<String> onFront(org.apache.spark.sql.Dataset<Row> points, Double cutoff) {
    List<String> front = new ArrayList<>();
    for (Row r : BenchComparisons.markFront(points, "output_tps_per_gpu", cutoff)
        .where("on_front").orderBy("run_dir").collectAsList()) {
      front.add(r.getString(0));
    }
    return front;
  }

  @Test
  void incompleteProfilingAndNotLoadedRuns() throws IOException {
    // 3667 expects 16x32x64; concurrency_64.json is cut off, so 64 is missing
    assertThat(table("incomplete_runs")).singleElement().satisfies(r -> {
      assertThat(r.get("job_id")).isEqualTo("3667");
      assertThat(r.get("expected_concurrencies")).isEqualTo("16x32x64");
      assertThat(r.get("missing_concurrencies")).isEqualTo("64");
    });
    assertThat(table("profiling_runs")).singleElement()
        .satisfies(r -> assertThat(r.get("job_id")).isEqualTo("3670"));
    List<Map<String, String>> notLoaded = table("not_loaded_runs");
    assertThat(notLoaded).hasSize(2);
    assertThat(row(notLoaded, "job_id", "3671").get("reason"))
        .isEqualTo("missing: no {jobid}.json");
    assertThat(row(notLoaded, "job_id", "3672").get("reason"))
        .startsWith("invalid: invalid JSON: Unexpected end-of-input");
  }

  @Test
  void latencyVsConcurrency() throws IOException {
    List<Map<String, String>> latency = table("latency_vs_concurrency");
    assertThat(latency).hasSize(5 * 4);
    // 3667 c32: mean_ttft 200, median 200 - 10, p99 450
    Map<String, String> ttft = row(latency, "job_id", "3667", "concurrency", "32", "metric",
        "ttft");
    assertThat(number(ttft, "mean_ms")).isEqualTo(200.0);
    assertThat(number(ttft, "median_ms")).isEqualTo(190.0);
    assertThat(number(ttft, "p99_ms")).isEqualTo(450.0);
  }

  @Test
  void summaryOfTheAnalysisInOneRow() throws IOException {
    Map<String, String> summary = table("summary").get(0);
    assertThat(table("summary")).hasSize(1);
    // Runs with metadata: 3667, 3668, 3669 and the profiling run 3670 (3671 has no metadata,
    // 3672's is cut off). Points: 3667 c16, c32; 3668 c16, c32; 3669 c16.
    assertThat(summary.get("runs")).isEqualTo("3");
    assertThat(summary.get("profiling_runs")).isEqualTo("1");
    assertThat(summary.get("result_points")).isEqualTo("5");
    assertThat(summary.get("max_concurrency")).isEqualTo("32");
    // Output TPS/GPU: 3667 4000 / 40 = 100, 9000 / 40 = 225; 3668 ((1 + 1) x 8 = 16 GPUs)
    // 3200 / 16 = 200, 4800 / 16 = 300; 3669 3200 / 16 = 200. Largest: 300, 3668 at c32.
    assertThat(number(summary, "max_output_tps_per_gpu")).isEqualTo(300.0);
    assertThat(summary.get("max_tps_per_gpu_run")).isEqualTo("3668");
    assertThat(summary.get("max_tps_per_gpu_concurrency")).isEqualTo("32");
    assertThat(summary.get("max_tps_per_gpu_run_dir")).endsWith("3668_1P_1D_20251111_100000");
    // Total TPS/GPU: 18000 / 40 = 450, 9600 / 16 = 600, 6400 / 16 = 400: largest 600.
    assertThat(number(summary, "max_total_tps_per_gpu")).isEqualTo(600.0);
    // Containers: 3667 sglang:v0.4.1-cu121, 3668 and 3669 sglang:v0.5.0.
    assertThat(summary.get("containers")).isEqualTo("2");
    assertThat(summary.get("container_images")).isEqualTo(
        "ghcr.io/sgl-project/sglang:v0.4.1-cu121;ghcr.io/sgl-project/sglang:v0.5.0");
  }

  @Test
  void latencySummaryPerRunAndMetric() throws IOException {
    List<Map<String, String>> latency = table("latency_summary");
    // 3 runs x 4 metrics (every point has each metric in some statistic)
    assertThat(latency).hasSize(3 * 4);
    // 3667 TTFT over c16 and c32: mean 100 / 200, median 90 / 190, p99 300 / 450, std 5 / 5;
    // the sa-bench files have no p90.
    Map<String, String> ttft = row(latency, "job_id", "3667", "metric", "ttft");
    assertThat(ttft.get("points")).isEqualTo("2");
    assertThat(number(ttft, "min_mean_ms")).isEqualTo(100.0);
    assertThat(number(ttft, "max_mean_ms")).isEqualTo(200.0);
    assertThat(number(ttft, "min_median_ms")).isEqualTo(90.0);
    assertThat(number(ttft, "max_median_ms")).isEqualTo(190.0);
    assertThat(number(ttft, "min_p99_ms")).isEqualTo(300.0);
    assertThat(number(ttft, "max_p99_ms")).isEqualTo(450.0);
    assertThat(number(ttft, "min_std_ms")).isEqualTo(5.0);
    assertThat(number(ttft, "max_std_ms")).isEqualTo(5.0);
    assertThat(ttft.get("min_p90_ms")).isEmpty();
    assertThat(ttft.get("max_p90_ms")).isEmpty();
    // 3667 TPOT: mean 20 / 25, p99 40 / 40; no std_tpot_ms in the files
    Map<String, String> tpot = row(latency, "job_id", "3667", "metric", "tpot");
    assertThat(number(tpot, "min_mean_ms")).isEqualTo(20.0);
    assertThat(number(tpot, "max_mean_ms")).isEqualTo(25.0);
    assertThat(number(tpot, "max_p99_ms")).isEqualTo(40.0);
    assertThat(tpot.get("max_std_ms")).isEmpty();
    // 3668 TTFT: mean 120 / 150, p99 200 / 350; TPOT: c32 has no mean, so 20 / 20 over both
    // points (each has median 19 and p99 40)
    Map<String, String> b = row(latency, "job_id", "3668", "metric", "ttft");
    assertThat(number(b, "min_mean_ms")).isEqualTo(120.0);
    assertThat(number(b, "max_mean_ms")).isEqualTo(150.0);
    assertThat(number(b, "min_p99_ms")).isEqualTo(200.0);
    assertThat(number(b, "max_p99_ms")).isEqualTo(350.0);
    Map<String, String> bTpot = row(latency, "job_id", "3668", "metric", "tpot");
    assertThat(bTpot.get("points")).isEqualTo("2");
    assertThat(number(bTpot, "min_mean_ms")).isEqualTo(20.0);
    assertThat(number(bTpot, "max_mean_ms")).isEqualTo(20.0);
    // 3669 E2EL, one point: mean 5000, median 4900, p99 9000
    Map<String, String> e2el = row(latency, "job_id", "3669", "metric", "e2el");
    assertThat(e2el.get("points")).isEqualTo("1");
    assertThat(number(e2el, "min_mean_ms")).isEqualTo(5000.0);
    assertThat(number(e2el, "max_median_ms")).isEqualTo(4900.0);
    assertThat(number(e2el, "max_p99_ms")).isEqualTo(9000.0);
    // The p90 and std columns the analysis carries for this table stay out of results.csv.
    assertThat(table("results").get(0).keySet()).noneMatch(
        name -> name.startsWith("p90_") || name.startsWith("std_"));
  }

  @Test
  void reportOpensTheBenchSectionWithTheSummary() throws IOException {
    Path out = temp.resolve("out-report");
    BenchIngestJobTest.copyTree(temp.resolve("out"), out);
    ReportOptions report = new ReportOptions();
    report.catalog = temp.resolve("catalog").toString();
    report.out = out.toString();
    ReportJob.run(SPARK, report);
    String html = Files.readString(out.resolve(ReportJob.INDEX));
    String section = html.substring(html.indexOf("id=\"family-bench\""));
    int summary = section.indexOf(">summary</h4>");
    assertThat(summary).isPositive();
    assertThat(summary).isLessThan(section.indexOf("<h3>Figures</h3>"));
    assertThat(summary).isLessThan(section.indexOf(">results</h4>"));
    // shown once
    assertThat(section.indexOf(">summary</h4>", summary + 1)).isEqualTo(-1);
  }

  @Test
  void latencyFigureDrawsMeanLatencyAgainstConcurrency() throws Exception {
    DrawnFigure latency = DrawnFigure.of(bench, "latency_vs_concurrency");
    latency.assertDraws("concurrency", "concurrency (requests in flight)", "mean_ms",
        "mean latency (ms)");
    // The 5 results are at concurrency 16 and 32 (ISL = OSL = 1024: the old chart's x and y);
    // 3667 c32 has mean TTFT 200 ms.
    assertThat(latency.xs()).containsExactly(16.0, 32.0);
    assertThat(latency.ys()).contains(200.0).doesNotContain(1024.0);
    // A line per run, named by its job id as it is (not "series=3667").
    assertThat(latency.legend()).containsExactlyInAnyOrder("3667", "3668", "3669");
    // Every figure analyze bench writes is drawn by its own spec, none by the generic chart.
    assertThat(DrawnFigure.generic(bench)).isEmpty();
  }

  @Test
  void reportDrawsTheCutoffOnTheParetoFigureAnalyzeDrew() throws IOException {
    Path pareto = bench.resolve("figures/pareto.svg");
    assertThat(Files.readString(pareto)).doesNotContain("class=\"cutoff\"");
    ReportOptions report = new ReportOptions();
    report.catalog = temp.resolve("catalog").toString();
    report.out = temp.resolve("out").toString();
    report.paretoCutoff = 45.0;
    // analyze drew every figure just now: only the Pareto figure is drawn again, with the line.
    assertThat(ReportJob.run(SPARK, report).figuresRendered()).isEqualTo(1);
    assertThat(Files.readString(pareto)).contains("class=\"cutoff\"", ">cutoff 45.0<");
  }

  @Test
  void analyzeDrawsItsOwnCutoffAndKeepsPointsBelowItOffTheFront() throws IOException {
    BenchAnalyzeOptions options = new BenchAnalyzeOptions();
    options.catalog = temp.resolve("catalog").toString();
    options.out = temp.resolve("out-cutoff").toString();
    options.tpsUserCutoff = 45.0;
    BenchAnalyzeJob.run(SPARK, options);
    Path figures = temp.resolve("out-cutoff/bench/figures");
    // (TPS/User, TPS/GPU): 3667 c32 (40, 225) is below 45; of (50, 100), (50, 200), (50, 200)
    // the two (50, 200) are the front.
    List<String> front = new ArrayList<>();
    for (Map<String, String> r : read(figures.resolve("pareto.csv"))) {
      if (r.get("on_front").equals("true")) {
        front.add(r.get("series") + "/" + r.get("concurrency"));
      }
    }
    assertThat(front).containsExactlyInAnyOrder("3668/16", "3669/16");
    assertThat(Files.readString(figures.resolve("pareto.svg")))
        .contains("class=\"cutoff\"", ">cutoff 45.0<");
  }

  @Test
  void rateMatchOfDisaggregatedRuns() throws IOException {
    List<Map<String, String>> rates = table("rate_match");
    // 3667 and 3668 are disaggregated (3668 has no worker logs); 3669 is aggregated
    assertThat(rates).hasSize(2);
    Map<String, String> a = row(rates, "job_id", "3667");
    // prefill: DP0 (lowest TP rank 0) busy lines 16000 and 20000 -> 18000 (the 0.00 line is
    // idle, the TP1 copy is ignored); DP1 6000; sum 24000 tokens/s, / 1024 = 23.4375 req/s
    assertThat(number(a, "prefill_tokens_per_s")).isCloseTo(24000.0, within(1e-9));
    assertThat(number(a, "prefill_requests_per_s")).isCloseTo(23.4375, within(1e-9));
    // decode: (58.87 + 141.13) / 2 = 100 tokens/s, / 1024 = 0.09765625 req/s; ratio 1 / 240
    assertThat(number(a, "decode_tokens_per_s")).isCloseTo(100.0, within(1e-9));
    assertThat(number(a, "decode_requests_per_s")).isCloseTo(0.09765625, within(1e-12));
    assertThat(number(a, "decode_to_prefill")).isCloseTo(1.0 / 240, within(1e-12));
    assertThat(row(rates, "job_id", "3668").get("prefill_tokens_per_s")).isEmpty();
  }

  @Test
  void rateMatchOverTimeOfDisaggregatedRuns() throws Exception {
    // 3667's worker logs are months apart (the decode log's dates): its prefill lines fall in
    // the first time bucket and its decode lines in one 16,883,166 s later. Each bucket has one
    // side only, with the capacities worked out above; the other side and the ratio are empty
    // there. 3668 has no worker logs and 3669 is aggregated: no rows.
    List<Map<String, String>> overTime = table("rate_match_over_time");
    assertThat(overTime).extracting(r -> r.get("job_id") + " " + r.get("offset_s"))
        .containsExactly("3667 0", "3667 16883166");
    Map<String, String> first = overTime.get(0);
    assertThat(number(first, "prefill_tokens_per_s")).isCloseTo(24000.0, within(1e-9));
    assertThat(number(first, "prefill_requests_per_s")).isCloseTo(23.4375, within(1e-9));
    assertThat(List.of(first.get("decode_tokens_per_s"), first.get("decode_to_prefill")))
        .containsExactly("", "");
    Map<String, String> later = overTime.get(1);
    assertThat(number(later, "decode_tokens_per_s")).isCloseTo(100.0, within(1e-9));
    assertThat(number(later, "decode_requests_per_s")).isCloseTo(0.09765625, within(1e-12));
    assertThat(List.of(later.get("prefill_tokens_per_s"), later.get("decode_to_prefill")))
        .containsExactly("", "");
    List<Map<String, String>> figure = read(bench.resolve("figures/rate_match_over_time.csv"));
    assertThat(figure).extracting(r -> r.get("series") + " " + r.get("x") + " " + r.get("y"))
        .containsExactly("3667/decode 16883166 0.09765625", "3667/prefill 0 23.4375");
    dev.servelens.figures.DrawnFigure.of(bench, "rate_match_over_time").assertDraws("x",
        "seconds since the run's first batch line", "y", "requests/s");
  }

  @Test
  void nodeMetricsPerDpRankAndPerRun() throws IOException {
    List<Map<String, String>> metrics = table("node_metrics");
    // 3667's prefill DP0 lines: 0, 16000, 20000 and the TP1 copy 99999: mean 33999.75 (one
    // bucket: the run spans months because of the decode log's dates)
    Map<String, String> dp0 = row(metrics, "job_id", "3667", "level", "dp", "role", "prefill",
        "dp", "0");
    assertThat(number(dp0, "batches")).isEqualTo(4);
    assertThat(number(dp0, "input_throughput")).isEqualTo(33999.75);
    // 3669 spans 14:05:20.123..14:05:23: 1 s buckets; decode lines at +0.877, +1.877, +2.877 s
    List<Map<String, String>> figure = read(bench.resolve("figures/node_throughput.csv"));
    assertThat(row(figure, "series", "3669/agg/decode", "x", "0").get("y")).isEqualTo("144.95");
    assertThat(row(figure, "series", "3669/agg/decode", "x", "1").get("y")).isEqualTo("300.0");
    assertThat(row(figure, "series", "3669/agg/decode", "x", "2").get("y")).isEqualTo("10.0");
    assertThat(row(figure, "series", "3669/agg/prefill", "x", "0").get("y")).isEqualTo("3000.5");
  }

  @Test
  void nodeMetricsOverTimeCacheHitRateAndThroughputByRunningRequests() throws Exception {
    // 3669's prefill line: 2048 new and 512 cached tokens: 512 / 2560 = 0.2 of the bucket's
    // prefill tokens were cached. 3667's prefill lines cached nothing: 0.
    List<Map<String, String>> metrics = table("node_metrics");
    assertThat(number(row(metrics, "job_id", "3669", "level", "all", "batch_kind", "prefill"),
        "cache_hit_rate")).isEqualTo(0.2);
    assertThat(number(row(metrics, "job_id", "3667", "level", "dp", "role", "prefill", "dp",
        "0"), "cache_hit_rate")).isEqualTo(0.0);
    // Decode buckets of 3669 (+0.877, +1.877, +2.877 s): 5, 5 and 2 running requests; token
    // usage 0.29 and 0.01 (the middle line reports full token usage only).
    List<Map<String, String>> overTime =
        new java.util.ArrayList<>(read(bench.resolve("figures/node_requests_over_time.csv")));
    List<Map<String, String>> usageOverTime =
        read(bench.resolve("figures/node_usage_over_time.csv"));
    assertThat(overTime).extracting(r -> r.get("metric")).doesNotContain("token_usage");
    assertThat(usageOverTime).extracting(r -> r.get("metric"))
        .containsOnly("token_usage", "cache_hit_rate");
    overTime.addAll(usageOverTime);
    Map<String, String> running = new java.util.TreeMap<>();
    Map<String, String> usage = new java.util.TreeMap<>();
    for (Map<String, String> r : overTime) {
      if (r.get("series").equals("3669/agg/decode")) {
        (r.get("metric").equals("running_req") ? running : r.get("metric").equals("token_usage")
            ? usage : new java.util.HashMap<String, String>()).put(r.get("x"), r.get("y"));
      }
    }
    assertThat(running).isEqualTo(Map.of("0", "5.0", "1", "5.0", "2", "2.0"));
    assertThat(usage).isEqualTo(Map.of("0", "0.29", "2", "0.01"));
    assertThat(row(overTime, "series", "3669/agg/prefill", "metric", "cache_hit_rate", "x", "0")
        .get("y")).isEqualTo("0.2");
    assertThat(overTime).extracting(r -> r.get("metric")).doesNotContain("input_throughput");
    dev.servelens.figures.DrawnFigure.of(bench, "node_requests_over_time").assertDraws("x",
        "seconds since the run's first batch line", "y", "requests (mean per time bucket)");
    dev.servelens.figures.DrawnFigure.of(bench, "node_usage_over_time").assertDraws("x",
        "seconds since the run's first batch line", "y", "share (mean per time bucket)");
    // Decode lines of 3669 by running requests: 5 -> (144.95 + 300) / 2 = 222.475 (2 lines),
    // 2 -> 10 (1 line).
    List<Map<String, String>> byRunning =
        read(bench.resolve("figures/gen_throughput_by_running.csv"));
    assertThat(number(row(byRunning, "series", "3669", "running_req", "5"), "gen_throughput"))
        .isCloseTo(222.475, within(1e-9));
    assertThat(row(byRunning, "series", "3669", "running_req", "5").get("batches"))
        .isEqualTo("2");
    assertThat(number(row(byRunning, "series", "3669", "running_req", "2"), "gen_throughput"))
        .isEqualTo(10.0);
    dev.servelens.figures.DrawnFigure.of(bench, "gen_throughput_by_running").assertDraws(
        "running_req", "running requests (decode batch)", "gen_throughput",
        "generation throughput (tokens/s, mean)");
  }

  @Test
  void regressionBestConcurrencyAndDiffs() throws IOException {
    List<Map<String, String>> regression = table("regression");
    // baseline 3667 vs current 3668: c16 100 -> 200 (+100 %), c32 225 -> 300 (+33.3 %)
    assertThat(number(row(regression, "concurrency", "16", "metric", "output_tps_per_gpu"),
        "pct_change")).isCloseTo(100.0, within(1e-9));
    assertThat(number(row(regression, "concurrency", "32", "metric", "output_tps_per_gpu"),
        "pct_change")).isCloseTo(100.0 / 3, within(1e-9));
    assertThat(row(regression, "concurrency", "32", "metric", "tps_per_user").get("pct_change"))
        .isEmpty();

    // p99 TTFT <= 400: 3667 c16 (300; c32 has 450), 3668 c32 (350, 300/GPU), 3669 c16 (250)
    List<Map<String, String>> best = table("best_concurrency");
    assertThat(row(best, "job_id", "3667").get("concurrency")).isEqualTo("16");
    assertThat(row(best, "job_id", "3668").get("concurrency")).isEqualTo("32");
    assertThat(row(best, "job_id", "3669").get("concurrency")).isEqualTo("16");

    // 3667 vs 3668: prefill attention_backend and driver differ; 3668 has no decode config
    // (gpu_info count, name; server_args tp_size, dp_size)
    List<Map<String, String>> config = table("config_diff");
    assertThat(config).hasSize(6);
    Map<String, String> backend = row(config, "role", "prefill", "key", "attention_backend");
    assertThat(backend.get("value_a")).isEqualTo("fa3");
    assertThat(backend.get("value_b")).isEqualTo("flashinfer");
    List<Map<String, String>> snapshot = table("config_snapshot");
    assertThat(row(snapshot, "job_id", "3667", "role", "prefill", "key", "NCCL_IB_DISABLE")
        .get("category")).isEqualTo("NCCL");
    assertThat(row(snapshot, "job_id", "3667", "role", "prefill", "key",
        "SGLANG_TORCH_PROFILER_DIR").get("category")).isEqualTo("SGLANG");
    assertThat(row(snapshot, "job_id", "3667", "role", "prefill", "key",
        "CUDA_VISIBLE_DEVICES").get("category")).isEqualTo("CUDA");
    assertThat(row(snapshot, "job_id", "3667", "role", "prefill", "key", "PATH")
        .get("category")).isEqualTo("other");
    assertThat(row(snapshot, "job_id", "3667", "role", "prefill", "key", "tp_size")
        .get("category")).isEmpty();
    List<Map<String, String>> env = table("env_diff");
    // NCCL_IB_DISABLE 0 -> 1 and NCCL_DEBUG added on prefill; decode's NCCL_IB_DISABLE gone
    assertThat(env).hasSize(3);
    assertThat(row(env, "role", "prefill", "key", "NCCL_DEBUG").get("category"))
        .isEqualTo("NCCL");
  }
}
