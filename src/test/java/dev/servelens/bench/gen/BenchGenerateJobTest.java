package dev.servelens.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servelens.cli.Main;
import dev.servelens.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates a default 24-run sweep (with damaged runs) and checks it with Jackson, regular
 * expressions and arithmetic of its own, against FORMATS "B" and against the truth table: shapes
 * of metadata, result files and logs, every log variant, the physics, and determinism.
 */
class BenchGenerateJobTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SCALAR_KEYS = List.of("duration", "completed", "failed",
      "total_input_tokens", "total_output_tokens", "request_throughput", "request_goodput",
      "output_throughput", "peak_output_tokens_per_s", "total_token_throughput",
      "max_concurrency", "request_rate", "num_prompts", "backend", "model_id", "date");
  private static final List<String> ARRAY_KEYS =
      List.of("input_lens", "output_lens", "ttfts", "itls", "errors", "generated_texts");

  @TempDir static Path temp;

  private static Path tree;
  private static List<TruthRow> truth;
  private static Map<String, List<TruthRow>> truthByRun;
  private static WorkerLogs logs;

  @BeforeAll
  static void generate() throws IOException {
    tree = temp.resolve("logs");
    long started = System.nanoTime();
    BenchGenerateJob.GenerateSummary summary =
        BenchGenerateJob.run(SharedSpark.session(), options(tree, 24, 42, 0.3, 200));
    System.out.printf("generate bench: 24 runs in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    assertThat(summary.runs()).isEqualTo(24);
    truth = TruthRow.read(tree);
    assertThat(summary.truthRows()).isEqualTo(truth.size());
    truthByRun = new LinkedHashMap<>();
    for (TruthRow row : truth) {
      truthByRun.computeIfAbsent(row.runDir(), k -> new ArrayList<>()).add(row);
    }
    logs = WorkerLogs.read(tree);
  }

  private static BenchGenerateOptions options(
      Path out, int runs, long seed, double dirty, int requests) {
    BenchGenerateOptions options = new BenchGenerateOptions();
    options.out = out.toString();
    options.runs = runs;
    options.seed = seed;
    options.dirtyFraction = dirty;
    options.requestsPerResult = requests;
    return options;
  }

  @Test
  void writesOneDirectoryPerRunNamedJobTopologyTimestampBesideTheTruthFolder() throws IOException {
    Set<String> names;
    try (Stream<Path> children = Files.list(tree)) {
      names = children.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    assertThat(names).contains("_truth").hasSize(25);
    Set<String> jobIds = new HashSet<>();
    for (String name : names) {
      if (!name.equals("_truth")) {
        assertThat(name).matches("\\d{4,}_(\\d+P_\\d+D|\\d+A)_20\\d{6}_\\d{6}");
        jobIds.add(name.substring(0, name.indexOf('_')));
      }
    }
    assertThat(jobIds).hasSize(24);
    assertThat(truthByRun.keySet()).isEqualTo(new TreeSet<>(names).headSet("_truth"));
  }

  @Test
  void metadataComesInBothShapesAndAgreesWithTheTruth() throws IOException {
    Set<String> shapes = new HashSet<>();
    for (List<TruthRow> rows : truthByRun.values()) {
      TruthRow run = rows.get(0);
      Path file = tree.resolve(run.runDir()).resolve(run.jobId() + ".json");
      switch (run.runStatus()) {
        case "missing_metadata" -> assertThat(file).doesNotExist();
        case "invalid_metadata" -> assertThatThrownBy(() -> JSON.readTree(file.toFile()))
            .isInstanceOf(JsonProcessingException.class);
        default -> shapes.add(checkMetadata(run, rows, JSON.readTree(file.toFile())));
      }
    }
    assertThat(shapes).containsExactlyInAnyOrder(
        "old_benchmark", "old_profiler_only", "old_both", "new_flat");
    assertThat(truthByRun.values().stream().map(r -> r.get(0).runStatus()).distinct())
        .contains("ok", "profiling", "missing_metadata", "invalid_metadata");
  }

  /** Checks one readable metadata file by hand; returns the shape found. */
  private static String checkMetadata(TruthRow run, List<TruthRow> rows, JsonNode meta) {
    JsonNode resources;
    JsonNode benchmark;
    String shape;
    if (meta.has("job_id")) {
      shape = "new_flat";
      assertThat(meta.path("job_id").asText()).isEqualTo(run.jobId());
      assertThat(meta.path("generated_at").asText()).matches("20\\d\\d-.*Z");
      assertThat(meta.path("model").path("container").asText()).startsWith("lmsysorg/sglang:");
      assertThat(meta.path("model").path("path").asText()).startsWith("/models/");
      resources = meta.path("resources");
      benchmark = meta.path("benchmark");
      assertThat(benchmark.path("isl").isInt()).isTrue();
    } else {
      JsonNode old = meta.path("run_metadata");
      assertThat(old.path("slurm_job_id").asText()).isEqualTo(run.jobId());
      assertThat(run.runDir()).endsWith(old.path("run_date").asText());
      resources = old;
      boolean profiler = meta.has("profiler_metadata");
      boolean bench = meta.has("benchmark");
      shape = profiler && bench ? "old_both" : profiler ? "old_profiler_only" : "old_benchmark";
      benchmark = bench ? meta.path("benchmark") : meta.path("profiler_metadata");
      assertThat(benchmark.path("isl").isTextual()).isTrue();
    }
    assertThat(meta.path("tags").isArray()).isTrue();
    assertThat(shape).isEqualTo(run.metadataShape());
    // Total GPUs from nodes (not workers), computed here from the metadata alone.
    int perNode = resources.path("gpus_per_node").asInt();
    boolean aggregated = resources.path("mode").asText().equals("aggregated");
    int nodes = aggregated ? resources.path("agg_nodes").asInt()
        : resources.path("prefill_nodes").asInt() + resources.path("decode_nodes").asInt();
    assertThat(nodes * perNode).isEqualTo(run.totalGpus());
    assertThat(resources.path("gpu_type").asText()).isEqualTo(run.gpuType());
    String topology = run.runDir().split("_")[1] + (aggregated ? "" : "_" + run.runDir().split("_")[2]);
    assertThat(topology).isEqualTo(aggregated ? resources.path("agg_workers").asInt() + "A"
        : resources.path("prefill_workers").asInt() + "P_" + resources.path("decode_workers").asInt() + "D");
    assertThat(benchmark.path("isl").asInt()).isEqualTo(run.isl());
    assertThat(benchmark.path("concurrencies").asText()).isEqualTo(run.expected());
    assertThat(benchmark.path("type").asText())
        .isEqualTo(run.runStatus().equals("profiling") ? "torch-profiler" : "sa-bench");
    assertThat(rows.stream().map(TruthRow::concurrency).toList())
        .isEqualTo(TruthRow.concurrencies(run.expected()));
    return shape;
  }

  @Test
  void resultFilesAreExactlyThePresentConcurrenciesInTheExactFolder() throws IOException {
    int incomplete = 0;
    int nested = 0;
    int decoys = 0;
    for (List<TruthRow> rows : truthByRun.values()) {
      TruthRow run = rows.get(0);
      Path dir = tree.resolve(run.runDir());
      String folder = "sa-bench_isl_" + run.isl() + "_osl_" + run.osl();
      Path results = Files.isDirectory(dir.resolve("logs")) ? dir.resolve("logs") : dir;
      nested += results == dir ? 0 : 1;
      decoys += Files.isDirectory(results.resolve(folder + "0")) ? 1 : 0;
      List<Integer> expected = TruthRow.concurrencies(run.expected());
      List<Integer> present = TruthRow.concurrencies(run.present());
      if (run.runStatus().equals("profiling")) {
        assertThat(results.resolve(folder)).doesNotExist();
        assertThat(present).isEmpty();
        continue;
      }
      Set<String> files;
      try (Stream<Path> list = Files.list(results.resolve(folder))) {
        files = list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
      }
      assertThat(files).isEqualTo(
          present.stream().map(c -> "concurrency_" + c + ".json").collect(Collectors.toSet()));
      assertThat(expected.subList(0, present.size())).isEqualTo(present);
      assertThat(run.complete()).isEqualTo(Boolean.toString(present.equals(expected)));
      incomplete += present.size() < expected.size() ? 1 : 0;
    }
    assertThat(incomplete).isEqualTo(4);
    assertThat(nested).isGreaterThanOrEqualTo(1);
    assertThat(decoys).isGreaterThanOrEqualTo(1);
  }

  @Test
  void resultFilesHoldEveryKeyAndArraysAndAreConsistentWithThemselvesAndTheTruth()
      throws IOException {
    Set<String> states = new HashSet<>();
    for (TruthRow row : truth) {
      states.add(row.resultFile());
      if (row.resultPath().isEmpty()) {
        assertThat(row.resultFile()).isEqualTo("missing");
        continue;
      }
      Path file = tree.resolve(row.runDir()).resolve(row.resultPath());
      if (row.resultFile().equals("malformed")) {
        assertThatThrownBy(() -> JSON.readTree(file.toFile()))
            .isInstanceOf(JsonProcessingException.class);
        continue;
      }
      JsonNode result = JSON.readTree(file.toFile());
      checkResult(row, result);
    }
    assertThat(states).contains("ok", "missing", "malformed", "no_tpot");
  }

  private static void checkResult(TruthRow row, JsonNode result) {
    for (String key : SCALAR_KEYS) {
      assertThat(result.has(key)).as(key).isTrue();
    }
    for (String metric : List.of("ttft", "tpot", "itl", "e2el")) {
      for (String stat : List.of("median", "std", "p90", "p95", "p99")) {
        assertThat(result.has(stat + "_" + metric + "_ms")).isTrue();
      }
      boolean hasMean = result.has("mean_" + metric + "_ms");
      assertThat(hasMean).isEqualTo(!(metric.equals("tpot") && row.resultFile().equals("no_tpot")));
    }
    int prompts = result.path("num_prompts").asInt();
    assertThat(prompts).isEqualTo(Math.max(200, row.concurrency()));
    for (String key : ARRAY_KEYS) {
      assertThat(result.path(key).size()).as(key).isEqualTo(prompts);
    }
    assertThat(result.path("itls").get(0).isArray()).isTrue();
    assertThat(result.path("max_concurrency").asInt()).isEqualTo(row.concurrency());
    double duration = result.path("duration").asDouble();
    long in = result.path("total_input_tokens").asLong();
    long out = result.path("total_output_tokens").asLong();
    assertThat(result.path("completed").asInt() + result.path("failed").asInt()).isEqualTo(prompts);
    long summedOut = 0;
    double ttftSum = 0;
    int done = 0;
    for (int i = 0; i < prompts; i++) {
      summedOut += result.path("output_lens").get(i).asLong();
      if (result.path("errors").get(i).asText().isEmpty()) {
        ttftSum += result.path("ttfts").get(i).asDouble();
        done++;
      }
    }
    assertThat(summedOut).isEqualTo(out);
    assertThat(result.path("mean_ttft_ms").asDouble()).isCloseTo(1000 * ttftSum / done, within(1e-3));
    double output = result.path("output_throughput").asDouble();
    assertThat(output).isCloseTo(out / duration, within(1e-4 * output));
    assertThat(result.path("total_token_throughput").asDouble())
        .isCloseTo((in + out) / duration, within(1e-4 * output));
    // The truth holds the very numbers written, and TPS/GPU and TPS/User derived from them.
    assertThat(new BigDecimal(row.outputThroughput()))
        .isEqualByComparingTo(new BigDecimal(result.path("output_throughput").asText()));
    assertThat(new BigDecimal(row.totalTokenThroughput()))
        .isEqualByComparingTo(new BigDecimal(result.path("total_token_throughput").asText()));
    assertThat(Double.parseDouble(row.outputTpsPerGpu()))
        .isCloseTo(output / row.totalGpus(), within(1e-5));
    if (row.resultFile().equals("ok")) {
      double tpot = result.path("mean_tpot_ms").asDouble();
      assertThat(Double.parseDouble(row.meanTpotMs())).isEqualTo(tpot);
      assertThat(Double.parseDouble(row.tpsPerUser())).isCloseTo(1000 / tpot, within(1e-5));
    } else {
      assertThat(row.meanTpotMs()).isEmpty();
      assertThat(row.tpsPerUser()).isEmpty();
    }
  }

  @Test
  void tpotGrowsWithConcurrencyAndPerGpuThroughputRisesThenSaturates() {
    int curves = 0;
    for (List<TruthRow> rows : truthByRun.values()) {
      List<TruthRow> ok = rows.stream().filter(r -> r.resultFile().equals("ok")).toList();
      if (ok.size() < 4) {
        continue;
      }
      curves++;
      double firstTpot = Double.parseDouble(ok.get(0).meanTpotMs());
      double lastTpot = Double.parseDouble(ok.get(ok.size() - 1).meanTpotMs());
      assertThat(lastTpot).as(rows.get(0).runDir()).isGreaterThan(firstTpot);
      double firstTps = Double.parseDouble(ok.get(0).outputTpsPerGpu());
      double best = ok.stream().mapToDouble(r -> Double.parseDouble(r.outputTpsPerGpu())).max()
          .orElseThrow();
      double last = Double.parseDouble(ok.get(ok.size() - 1).outputTpsPerGpu());
      assertThat(best).isGreaterThan(2 * firstTps);
      // Saturation: doubling concurrency at the top gains little, and never collapses.
      assertThat(last).as(rows.get(0).runDir()).isGreaterThan(0.6 * best);
    }
    assertThat(curves).isGreaterThan(10);
  }

  @Test
  void everyBatchLineMatchesTheFormatsShapesAndEveryVariantAppears() {
    assertThat(logs.batchLines).isGreaterThan(10_000);
    assertThat(logs.unmatched).isEmpty();
    assertThat(logs.variants).containsAll(List.of(
        "prefix DP TP EP", "prefix TP", "prefix PP", "time plain", "time iso ms", "ansi",
        "prefill plain", "prefill iteration", "decode plain", "decode iteration",
        "prefill disaggregated", "decode disaggregated", "decode aggregated", "full token",
        "swa token usage", "mamba usage", "accept len", "avail mem", "mem usage", "KV size",
        "#tokens", "command line", "noise", "binary garbage", "cut last line"));
  }

  @Test
  void disaggregationFieldsAppearOnlyInDisaggregatedRuns() {
    for (List<TruthRow> rows : truthByRun.values()) {
      boolean disaggregated = rows.get(0).mode().equals("disaggregated");
      Set<String> kinds = logs.variantsByRun.getOrDefault(rows.get(0).runDir(), Set.of());
      assertThat(kinds.contains("decode disaggregated")).isEqualTo(disaggregated);
      assertThat(kinds.contains("decode aggregated")).isEqualTo(!disaggregated);
    }
  }

  @Test
  void prefillAndDecodeRatesMatchInRequestsPerSecond() {
    int checked = 0;
    for (List<TruthRow> rows : truthByRun.values()) {
      TruthRow run = rows.get(0);
      WorkerLogs.Rates rates = logs.rates.get(run.runDir());
      if (!run.mode().equals("disaggregated") || rates == null) {
        continue;
      }
      double prefillRequests = rates.inputTokensPerSecond() / run.isl();
      double decodeRequests = rates.outputTokensPerSecond() / run.osl();
      assertThat(prefillRequests / decodeRequests).as(run.runDir()).isBetween(0.6, 1.6);
      checked++;
    }
    assertThat(checked).isGreaterThan(5);
  }

  @Test
  void configSnapshotsHoldGpuServerArgsAndGroupedEnvironment() throws IOException {
    List<Path> configs;
    try (Stream<Path> walk = Files.walk(tree)) {
      configs = walk.filter(p -> p.getFileName().toString().endsWith("_config.json")).toList();
    }
    assertThat(configs).hasSizeGreaterThan(24);
    Set<String> nvls = new HashSet<>();
    for (Path config : configs) {
      assertThat(config.getFileName().toString()).matches(".+_(prefill|decode|agg)_config\\.json");
      JsonNode node = JSON.readTree(config.toFile());
      assertThat(node.path("gpu_info").path("name").asText()).startsWith("NVIDIA ");
      assertThat(node.path("config").path("server_args").path("tp_size").isInt()).isTrue();
      JsonNode env = node.path("environment");
      for (String group : List.of("NCCL_", "SGLANG_", "CUDA_")) {
        assertThat(iterable(env.fieldNames()).stream().anyMatch(k -> k.startsWith(group))).isTrue();
      }
      nvls.add(env.path("NCCL_NVLS_ENABLE").asText());
    }
    assertThat(nvls).containsExactlyInAnyOrder("0", "1");
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  @Test
  void theSameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws IOException {
    Path first = temp.resolve("same-1");
    Path second = temp.resolve("same-2");
    Path other = temp.resolve("other");
    BenchGenerateJob.run(SharedSpark.session(), options(first, 8, 7, 0.5, 40));
    BenchGenerateJob.run(SharedSpark.session(), options(second, 8, 7, 0.5, 40));
    BenchGenerateJob.run(SharedSpark.session(), options(other, 8, 8, 0.5, 40));
    Map<String, Path> firstFiles = files(first);
    assertThat(firstFiles.keySet()).isEqualTo(files(second).keySet());
    for (Map.Entry<String, Path> file : firstFiles.entrySet()) {
      assertThat(Files.mismatch(file.getValue(), second.resolve(file.getKey())))
          .as(file.getKey()).isEqualTo(-1L);
    }
    assertThat(Files.mismatch(first.resolve("_truth/expected.csv"),
        other.resolve("_truth/expected.csv"))).isNotEqualTo(-1L);
  }

  @Test
  void refusesANonEmptyOutputAndBadOptions() {
    assertThatThrownBy(() -> BenchGenerateJob.run(SharedSpark.session(),
        options(tree, 2, 1, 0, 10)))
        .hasMessageContaining("must be a missing or empty directory")
        .hasMessageContaining(tree.getFileName().toString());
    assertThatThrownBy(() -> BenchGenerateJob.run(SharedSpark.session(),
        options(temp.resolve("x"), 2, 1, 1.5, 10))).hasMessageContaining("dirty-fraction");
  }

  @Test
  void theCommandLineShowsHelpAndRejectsBadOptionsBeforeStartingSpark() {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(Main.execute("generate", "bench", "--help")).isZero();
      assertThat(Main.execute("generate", "bench", "--out", temp.resolve("cli").toString(),
          "--incomplete", "2")).isEqualTo(2);
      assertThat(Main.execute("generate", "bench", "--out", temp.resolve("cli").toString(),
          "--runs", "0")).isEqualTo(2);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--requests-per-result",
        "Examples:", "--incomplete must be in [0, 1]", "--runs must be at least 1");
    assertThat(temp.resolve("cli")).doesNotExist();
  }

  /** Regular files under {@code root} (without Hadoop checksum files), by relative path. */
  private static Map<String, Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".crc"))
          .collect(Collectors.toMap(p -> root.relativize(p).toString(), p -> p,
              (a, b) -> a, java.util.TreeMap::new));
    }
  }
}
