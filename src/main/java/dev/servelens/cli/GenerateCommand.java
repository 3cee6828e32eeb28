package dev.servelens.cli;

import dev.servelens.runs.gen.RunsGenerateJob;
import dev.servelens.runs.gen.RunsGenerateOptions;
import dev.servelens.bench.gen.BenchGenerateJob;
import dev.servelens.bench.gen.BenchGenerateOptions;
import dev.servelens.workload.WorkloadGenerateJob;
import dev.servelens.workload.WorkloadGenerateOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servelens generate FAMILY}: realistic synthetic inputs in the exact input formats. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate seeded, reproducible synthetic inputs in the real input formats.",
    subcommands = {
      GenerateCommand.Workload.class, GenerateCommand.Runs.class, GenerateCommand.Bench.class})
final class GenerateCommand {

  /** {@code servelens generate workload}. */
  @Command(
      name = "workload",
      mixinStandardHelpOptions = true,
      description = {
        "A 30-day request trace in the canonical CSV: Zipf-like users and models, diurnal and",
        "weekly cycles, bursts, lognormal token counts per model; written in parallel, one",
        "file per ~2M rows. --dirty-fraction mixes in malformed rows of every kind."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens generate workload --out traces/ --rows 1000000",
        "  servelens generate workload --out traces/ --rows 100000000 --files 64 --seed 7",
        "  servelens generate workload --out dirty/ --rows 20000 --dirty-fraction 0.01"
      })
  static final class Workload implements Callable<Integer> {
    @Mixin GeneratedSet target;

    @Option(names = "--rows", defaultValue = "100000", paramLabel = "N",
        description = "Requests to generate (default ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--days", defaultValue = "30", description = "Days spanned (default 30).")
    int days;

    @Option(names = "--start", defaultValue = "2025-01-01", paramLabel = "DATE",
        description = "First day, UTC (default ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--users", defaultValue = "0", paramLabel = "N",
        description = "Distinct users (default: max(50, rows/500)).")
    int users;

    @Option(names = "--models", defaultValue = "12", paramLabel = "N",
        description = "Distinct models (default ${DEFAULT-VALUE}).")
    int models;

    @Option(names = "--files", defaultValue = "0", paramLabel = "N",
        description = "Output files (default: one per ~2M rows).")
    int files;

    @Option(names = "--dirty-fraction", defaultValue = "0", paramLabel = "F",
        description = "Fraction of rows replaced by malformed lines (default 0).")
    double dirtyFraction;

    @Option(names = "--timestamp-format", defaultValue = "iso", paramLabel = "FORMAT",
        description = "iso (2025-01-03T04:05:06.789Z), space (no zone) or epoch-ms.")
    String timestampFormat;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      WorkloadGenerateOptions options = new WorkloadGenerateOptions();
      options.out = target.out;
      options.rows = rows;
      options.seed = target.seed;
      options.days = AnalyzeCommand.positive(days, "--days");
      options.start = start;
      options.users = users;
      options.models = AnalyzeCommand.positive(models, "--models");
      options.files = files;
      options.dirtyFraction = dirtyFraction;
      options.timestampFormat = timestampFormat;
      if (rows <= 0) {
        throw new UsageException("--rows must be at least 1, got " + rows);
      }
      if (dirtyFraction < 0 || dirtyFraction > 1) {
        throw new UsageException("--dirty-fraction must be in [0, 1]");
      }
      return spark.run("servelens generate workload", session -> {
        WorkloadGenerateJob.GenerateSummary summary = WorkloadGenerateJob.run(session, options);
        return "generate workload: " + summary.rows() + " rows (" + summary.dirtyRows()
            + " malformed) in " + summary.files() + " file(s) under " + summary.outputPath();
      });
    }
  }

  /** {@code servelens generate bench}. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = {
        "A logs/ tree of SGLang serving-benchmark run directories",
        "{jobid}_{topology}_{timestamp}: both metadata shapes, sa-bench result",
        "files with per-request arrays, worker logs in every line variant, node",
        "config snapshots; one Spark task per run directory. Also writes",
        "_truth/expected.csv: GPUs, throughputs, TPOT, expected and present",
        "concurrencies per run, the values an analysis must find."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens generate bench --out logs/",
        "  servelens generate bench --out big/ --runs 500 --requests-per-result 10000",
        "  servelens generate bench --out dirty/ --runs 48 --dirty-fraction 0.2"
      })
  static final class Bench implements Callable<Integer> {
    @Mixin GeneratedSet target;

    @Option(names = "--runs", defaultValue = "24", paramLabel = "N",
        description = "Run directories (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--incomplete", defaultValue = "0.15", paramLabel = "F",
        description = "Fraction of runs missing their last concurrencies (default ${DEFAULT-VALUE}).")
    double incomplete;

    @Option(names = "--profiling", defaultValue = "0.05", paramLabel = "F",
        description = "Fraction of torch-profiler runs (default ${DEFAULT-VALUE}).")
    double profiling;

    @Option(names = "--dirty-fraction", defaultValue = "0", paramLabel = "F",
        description = "Fraction of runs damaged: cut-off JSON, truncated or binary logs, missing"
            + " or invalid metadata, no mean TPOT (default 0).")
    double dirtyFraction;

    @Option(names = "--requests-per-result", defaultValue = "200", paramLabel = "N",
        description = "num_prompts and per-request array length of each result file, at least"
            + " the concurrency (default ${DEFAULT-VALUE}; 10000 makes files of ~10 MB).")
    int requestsPerResult;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      BenchGenerateOptions options = new BenchGenerateOptions();
      options.out = target.out;
      options.runs = AnalyzeCommand.positive(runs, "--runs");
      options.seed = target.seed;
      options.incompleteFraction = fraction(incomplete, "--incomplete");
      options.profilingFraction = fraction(profiling, "--profiling");
      options.dirtyFraction = fraction(dirtyFraction, "--dirty-fraction");
      options.requestsPerResult = AnalyzeCommand.positive(requestsPerResult, "--requests-per-result");
      return spark.run("servelens generate bench", session -> {
        BenchGenerateJob.GenerateSummary summary = BenchGenerateJob.run(session, options);
        return "generate bench: " + summary.runs() + " run directories ("
            + summary.truthRows() + " expected results) under " + summary.outputPath();
      });
    }

    private static double fraction(double value, String option) {
      if (!(value >= 0 && value <= 1)) {
        throw new UsageException(option + " must be in [0, 1], got " + value);
      }
      return value;
    }
  }

  /** {@code servelens generate runs}. */
  @Command(
      name = "runs",
      aliases = "agentic",
      mixinStandardHelpOptions = true,
      description = {
        "Agentic-benchmark run directories (tau2-bench through vLLM) in the exact",
        "formats of the wild: driver.log, logs/tau2_global.log,",
        "kv_cache_timeseries.csv, outputs/, Continuum's scheduler_timestamps.",
        "One run per system and concurrency by default, each a seeded simulation",
        "of C agents working through 278 tasks, one Spark task per run. Also writes",
        "_truth/active_window.csv: each run's active window (KV usage > 70 %%)",
        "and its tasks/min and steps/s."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens generate runs --out runs/",
        "  servelens generate runs --out runs/ --runs 1000 --stuck 0.03",
        "  servelens generate runs --out dirty/ --dirty-fraction 0.01 --seed 7",
        "  servelens generate runs --out big/ --systems baseline --big"
      })
  static final class Runs implements Callable<Integer> {
    @Mixin GeneratedSet target;

    @Option(names = "--systems", split = ",", defaultValue = "thunderreact,continuum,baseline",
        paramLabel = "LIST", description = "Systems to simulate (default ${DEFAULT-VALUE}).")
    List<String> systems;

    @Option(names = "--concurrencies", split = ",", defaultValue = "32,64,128",
        paramLabel = "LIST", description = "Concurrent agents per run (default ${DEFAULT-VALUE}).")
    List<Integer> concurrencies;

    @Option(names = "--runs", defaultValue = "0", paramLabel = "N",
        description = "Number of runs, cycling systems and concurrencies, in date folders"
            + " (default: one per system and concurrency, flat).")
    int runs;

    @Option(names = "--big", description = "Real-sized logs (about 300k driver.log lines a run).")
    boolean big;

    @Option(names = "--contaminate", defaultValue = "0", paramLabel = "F",
        description = "Fraction of runs whose KV file also has another port's samples.")
    double contaminate;

    @Option(names = "--stuck", defaultValue = "0", paramLabel = "F",
        description = "Fraction of runs that get stuck and are killed after a long idle tail.")
    double stuck;

    @Option(names = "--dirty-fraction", defaultValue = "0", paramLabel = "F",
        description = "Fraction of malformed records; the same fraction of runs lose driver.log.")
    double dirtyFraction;

    @Option(names = "--start", defaultValue = "2026-01-04T10:00:00", paramLabel = "TIME",
        description = "Start of the first run, UTC (default ${DEFAULT-VALUE}).")
    String start;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      RunsGenerateOptions options = new RunsGenerateOptions();
      options.out = target.out;
      options.systems = systems;
      options.concurrencies = concurrencies;
      options.runs = runs;
      options.seed = target.seed;
      options.big = big;
      options.contaminate = contaminate;
      options.stuck = stuck;
      options.dirtyFraction = dirtyFraction;
      options.start = start;
      try {
        RunsGenerateJob.validate(options);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      return spark.run("servelens generate runs", session -> {
        RunsGenerateJob.Summary summary = RunsGenerateJob.run(session, options);
        return "generate runs: " + summary.runs() + " run directories under "
            + summary.outputPath() + ", ground truth in " + summary.truthPath();
      });
    }
  }
}
