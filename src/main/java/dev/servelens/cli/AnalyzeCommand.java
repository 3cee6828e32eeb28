package dev.servelens.cli;

import dev.servelens.io.TimestampParser;
import dev.servelens.runs.RunsAnalyzeJob;
import dev.servelens.runs.RunsAnalyzeOptions;
import dev.servelens.bench.BenchAnalyzeJob;
import dev.servelens.bench.BenchAnalyzeOptions;
import dev.servelens.workload.WorkloadAnalyzeJob;
import dev.servelens.workload.WorkloadAnalyzeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servelens analyze FAMILY}: tables and figure data from the catalog. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = "Compute a family's tables and figure data from the catalog.",
    subcommands = {AnalyzeCommand.Workload.class, AnalyzeKstarCommand.class,
      AnalyzeCommand.Bench.class, AnalyzeCommand.Runs.class})
final class AnalyzeCommand {

  /** {@code servelens analyze workload}. */
  @Command(
      name = "workload",
      mixinStandardHelpOptions = true,
      description = {
        "Overview, users, token CDFs and ratios, inter-arrival statistics, correlations and",
        "heatmap, per-user model diversity. Writes OUT/workload/*.csv|.md and",
        "OUT/workload/figures/*.csv."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens analyze workload --catalog cat/ --out results/",
        "  servelens analyze workload --catalog cat/ --out r/ --model deepseek-ai/DeepSeek-R1 \\",
        "      --from 2025-01-01 --to 2025-01-07 --per-user-gaps"
      })
  static final class Workload implements Callable<Integer> {
    @Mixin AnalyzeLocations locations;

    @Option(names = "--top-models", defaultValue = "10", paramLabel = "N",
        description = "Busiest models drawn in per-model figures (default ${DEFAULT-VALUE}).")
    int topModels;

    @Option(names = "--top-n", defaultValue = "20", paramLabel = "N",
        description = "Rows of top-N tables (default ${DEFAULT-VALUE}).")
    int topN;

    @Option(names = "--window", defaultValue = "1000", paramLabel = "W",
        description = "Requests per window for model diversity (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--diversity-top-users", defaultValue = "50", paramLabel = "N",
        description = "Users with model-diversity box statistics (default ${DEFAULT-VALUE}).")
    int diversityTopUsers;

    @Option(names = "--per-user-gaps",
        description = "Also compute inter-arrival gaps within each user's requests.")
    boolean perUserGaps;

    @Option(names = "--model", paramLabel = "MODEL",
        description = "Analyse only this model. Repeatable.")
    List<String> models = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE", description = "First date, yyyy-MM-dd.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last date, yyyy-MM-dd.")
    String to;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      WorkloadAnalyzeOptions options = new WorkloadAnalyzeOptions();
      options.catalog = locations.catalog;
      options.out = locations.out;
      options.topModels = positive(topModels, "--top-models");
      options.topN = positive(topN, "--top-n");
      options.diversityWindow = positive(window, "--window");
      options.diversityTopUsers = positive(diversityTopUsers, "--diversity-top-users");
      options.perUserGaps = perUserGaps;
      options.models = models;
      options.from = from;
      options.to = to;
      return spark.run("servelens analyze workload", session -> "analyze workload: "
          + WorkloadAnalyzeJob.run(session, options) + " requests analysed; tables in "
          + locations.out + "/workload/");
    }
  }

  /** {@code servelens analyze bench}. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = {
        "Serving-benchmark sweeps: results with TPS/GPU and TPS/User",
        "(= 1000 / mean TPOT ms), the Pareto front, incomplete / profiling /",
        "not-loaded runs, latency vs concurrency, node metrics per node, DP rank and",
        "run, prefill/decode rate match, config snapshots; on request the config and",
        "environment diff of two runs, the tagged regression and the best concurrency",
        "under a TTFT target. Writes OUT/bench/*.csv|.md and OUT/bench/figures/."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens analyze bench --catalog cat/ --out results/",
        "  servelens analyze bench --catalog cat/ --out r/ --gpu-type H100 --isl 1024 \\",
        "      --osl 1024 --pareto-metric total --tps-user-cutoff 20 --ttft-target-ms 500",
        "  servelens analyze bench --catalog cat/ --out r/ --baseline-tag baseline \\",
        "      --current-tag optimized --diff 3667,3668"
      })
  static final class Bench implements Callable<Integer> {
    @Mixin AnalyzeLocations locations;

    @Option(names = "--gpu-type", paramLabel = "TEXT",
        description = "Only runs whose GPU type contains TEXT (case ignored).")
    String gpuType;

    @Option(names = "--topology", paramLabel = "T",
        description = "Only runs of topology T, e.g. 1P_4D.")
    String topology;

    @Option(names = "--isl", paramLabel = "N", description = "Only runs with input length N.")
    Integer isl;

    @Option(names = "--osl", paramLabel = "N", description = "Only runs with output length N.")
    Integer osl;

    @Option(names = "--container", paramLabel = "TEXT",
        description = "Only runs whose container image contains TEXT.")
    String container;

    @Option(names = "--tag", paramLabel = "TAG",
        description = "Only runs carrying TAG. Repeatable (all must match).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--pareto-metric", defaultValue = "output", paramLabel = "output|total",
        description = "Pareto y axis: output or total TPS/GPU (default ${DEFAULT-VALUE}).")
    String paretoMetric;

    @Option(names = "--tps-user-cutoff", paramLabel = "X",
        description = "Leave points with TPS/User below X out of the Pareto front.")
    Double tpsUserCutoff;

    @Option(names = "--ttft-target-ms", paramLabel = "MS",
        description = "Write best_concurrency: highest output TPS/GPU with TTFT <= MS.")
    Double ttftTargetMs;

    @Option(names = "--ttft-stat", defaultValue = "p99", paramLabel = "p99|mean|median",
        description = "TTFT statistic held to the target (default ${DEFAULT-VALUE}).")
    String ttftStat;

    @Option(names = "--baseline-tag", paramLabel = "A", description = "Regression: baseline tag.")
    String baselineTag;

    @Option(names = "--current-tag", paramLabel = "B", description = "Regression: current tag.")
    String currentTag;

    @Option(names = "--diff", paramLabel = "JOB1,JOB2",
        description = "Write config_diff and env_diff between these two jobs.")
    String diff;

    @Option(names = "--max-buckets", defaultValue = "500", paramLabel = "N",
        description = "Time buckets per run in node metrics, at most (default ${DEFAULT-VALUE}).")
    int maxBuckets;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      BenchAnalyzeOptions options = new BenchAnalyzeOptions();
      options.catalog = locations.catalog;
      options.out = locations.out;
      options.gpuType = gpuType;
      options.topology = topology;
      options.isl = isl;
      options.osl = osl;
      options.container = container;
      options.tags = tags;
      options.paretoMetric = oneOf(paretoMetric, "--pareto-metric", "output", "total");
      options.tpsUserCutoff = tpsUserCutoff;
      options.ttftTargetMs = ttftTargetMs;
      options.ttftStat = oneOf(ttftStat, "--ttft-stat", "p99", "mean", "median");
      if ((baselineTag == null) != (currentTag == null)) {
        throw new UsageException("--baseline-tag and --current-tag go together");
      }
      options.baselineTag = baselineTag;
      options.currentTag = currentTag;
      if (diff != null) {
        options.diff = List.of(diff.split(",", -1));
        if (options.diff.size() != 2 || options.diff.contains("")) {
          throw new UsageException("--diff takes two job ids, JOB1,JOB2; got " + diff);
        }
      }
      options.maxBuckets = positive(maxBuckets, "--max-buckets");
      return spark.run("servelens analyze bench", session -> "analyze bench: "
          + BenchAnalyzeJob.run(session, options) + " (run, concurrency) results; tables in "
          + locations.out + "/bench/");
    }

    private static String oneOf(String value, String option, String... allowed) {
      if (!java.util.Arrays.asList(allowed).contains(value)) {
        throw new UsageException(option + " must be one of " + String.join(", ", allowed)
            + ", got " + value);
      }
      return value;
    }
  }

  static int positive(int value, String option) {
    if (value <= 0) {
      throw new UsageException(option + " must be at least 1, got " + value);
    }
    return value;
  }

  /** {@code servelens analyze runs}. */
  @Command(
      name = "runs",
      aliases = "agentic",
      mixinStandardHelpOptions = true,
      description = {
        "Active-window throughput per run (KV usage > T), the comparison tables (rows",
        "concurrency, columns systems, Winner with a bootstrap noise bound), outside breakdown,",
        "bottleneck edges and call latencies, slowest calls, stuck report, run health, threshold",
        "sensitivity, KV-after-cutoff check. Writes OUT/agentic/*.csv|.md and",
        "OUT/agentic/figures/*.csv."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens analyze runs --catalog cat/ --out results/",
        "  servelens analyze runs --catalog cat/ --out r/ --threshold 80 --tail-s 300,1200 \\",
        "      --cutoff 2026-01-05T11:30:00Z --bootstrap 2000 --seed 7"
      })
  static final class Runs implements Callable<Integer> {
    @Mixin AnalyzeLocations locations;

    @Option(names = "--threshold", defaultValue = "70", paramLabel = "T",
        description = "KV usage threshold in percent; a sample is above when value*100 > T"
            + " (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--thresholds", defaultValue = "50,60,70,80,90", split = ",",
        paramLabel = "T,...", description = "Thresholds of the sensitivity table (default"
            + " ${DEFAULT-VALUE}).")
    List<Double> thresholds;

    @Option(names = "--cutoff", paramLabel = "ISO",
        description = "Check whether KV usage exceeded T at or after this instant (no zone:"
            + " UTC), e.g. 2026-01-05T11:30:00Z.")
    String cutoff;

    @Option(names = "--tail-s", defaultValue = "300,1200", split = ",", paramLabel = "S,...",
        description = "Long-tail bounds of the latency table in seconds (default"
            + " ${DEFAULT-VALUE}).")
    List<Double> tailSeconds;

    @Option(names = "--top-n", defaultValue = "20", paramLabel = "N",
        description = "Slowest calls listed per run and kind (default ${DEFAULT-VALUE}).")
    int topN;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "B",
        description = "Bootstrap replicates for the Winner column; 0 turns it off (default"
            + " ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
        description = "Seed of the bootstrap (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--expected-trials", defaultValue = "278", paramLabel = "N",
        description = "Trial files of a complete run when metrics_global.json gives no total"
            + " (default ${DEFAULT-VALUE}).")
    int expectedTrials;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      RunsAnalyzeOptions options = new RunsAnalyzeOptions();
      options.catalog = locations.catalog;
      options.out = locations.out;
      options.threshold = percent(threshold, "--threshold");
      options.thresholds = new ArrayList<>();
      for (double value : thresholds) {
        options.thresholds.add(percent(value, "--thresholds"));
      }
      if (cutoff != null) {
        try {
          options.cutoffEpochSeconds =
              Math.floorDiv(TimestampParser.utc().toEpochMicros(cutoff), 1_000_000L);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--cutoff: " + e.getMessage() + " in '" + cutoff + "'");
        }
      }
      for (double tail : tailSeconds) {
        if (!(tail > 0)) {
          throw new UsageException("--tail-s values must be positive, got " + tail);
        }
      }
      options.tailSeconds = tailSeconds;
      options.topN = positive(topN, "--top-n");
      if (bootstrap < 0) {
        throw new UsageException("--bootstrap must be 0 or more, got " + bootstrap);
      }
      options.bootstrap = bootstrap;
      options.seed = seed;
      options.expectedTrials = positive(expectedTrials, "--expected-trials");
      return spark.run("servelens analyze runs", session -> "analyze runs: "
          + RunsAnalyzeJob.run(session, options) + " run(s) analysed; tables in "
          + locations.out + "/agentic/");
    }
  }

  private static double percent(double value, String option) {
    if (!(value >= 0 && value < 100)) {
      throw new UsageException(option + " must be a percentage in [0, 100), got " + value);
    }
    return value;
  }
}
