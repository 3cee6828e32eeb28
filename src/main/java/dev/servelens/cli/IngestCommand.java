package dev.servelens.cli;

import dev.servelens.kstar.KstarIngestJob;
import dev.servelens.kstar.KstarIngestOptions;
import dev.servelens.runs.RunsIngestJob;
import dev.servelens.runs.RunsIngestOptions;
import dev.servelens.bench.BenchIngestJob;
import dev.servelens.bench.BenchIngestOptions;
import dev.servelens.workload.WorkloadIngestJob;
import dev.servelens.workload.WorkloadIngestOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servelens ingest FAMILY}: raw inputs into the catalog, incrementally. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Read raw inputs into the Parquet catalog. Files already ingested are skipped.",
    subcommands = {IngestCommand.Workload.class, IngestCommand.Kstar.class,
      IngestCommand.Bench.class, IngestCommand.Runs.class})
final class IngestCommand {

  /** {@code servelens ingest workload}. */
  @Command(
      name = "workload",
      mixinStandardHelpOptions = true,
      description = {
        "Ingest request traces: canonical CSV (aliases, gzip, one file or a directory of",
        "per-model files), Azure LLM 2023, BurstGPT and Mooncake JSONL. Rows that do not parse",
        "go to table workload_rejects with file, line, raw text and reason."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens ingest workload --input metrics_30day.csv.gz --catalog cat/",
        "  servelens ingest workload --input per_model/ --input extra.csv --catalog cat/",
        "  servelens ingest workload --input 'hdfs:///dumps/2025-01-*/' --catalog s3a://b/cat \\",
        "      --single-writer",
        "  servelens ingest workload --input conversation_trace.jsonl --catalog cat/ \\",
        "      --trace-start 2024-06-01T00:00:00Z --model mooncake-conv"
      })
  static final class Workload implements Callable<Integer> {
    @Mixin IngestSource source;

    @Option(names = "--default-zone", paramLabel = "ZONE", defaultValue = "UTC",
        description = "Offset of timestamps without a zone, e.g. UTC or +08:00. Default: UTC.")
    String defaultZone;

    @Option(names = "--model", paramLabel = "NAME",
        description = "Model of every row of the input files that have no model column, instead"
            + " of the one their name gives (AzureLLMInferenceTrace_code_1week.csv is 'code')."
            + " Files with a model column keep theirs.")
    String model;

    @Option(names = "--trace-start", paramLabel = "INSTANT",
        defaultValue = "1970-01-01T00:00:00Z",
        description = "What relative timestamps (BurstGPT, Mooncake) count from. Default: "
            + "${DEFAULT-VALUE}.")
    String traceStart;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      WorkloadIngestOptions options = new WorkloadIngestOptions();
      options.inputs = source.inputs;
      options.catalog = source.catalog;
      options.strict = source.strict;
      options.defaultZone = defaultZone;
      options.traceStart = traceStart;
      options.model = model;
      return spark.run("servelens ingest workload",
          session -> "ingest workload: " + WorkloadIngestJob.run(session, options));
    }
  }

  /** {@code servelens ingest kstar}. */
  @Command(
      name = "kstar",
      mixinStandardHelpOptions = true,
      description = {
        "Ingest scheduler-tuning inputs: prefill samples (CSV [model,]input_tokens,seconds),",
        "decode samples (CSV [model,]batch_size,seconds_per_step), the same as JSON Lines, and",
        "experiment results <dataset>_results.json. Tables kstar_profiles, kstar_results;",
        "bad rows go to kstar_rejects with file, line, raw text and reason."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens ingest kstar --input profiles/ --catalog cat/",
        "  servelens ingest kstar --input Qwen2.5-7B_prefill.csv --input alpaca_results.json \\",
        "      --catalog cat/ --strict"
      })
  static final class Kstar implements Callable<Integer> {
    @Mixin IngestSource source;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      KstarIngestOptions options = new KstarIngestOptions();
      options.inputs = source.inputs;
      options.catalog = source.catalog;
      options.strict = source.strict;
      return spark.run("servelens ingest kstar",
          session -> "ingest kstar: " + KstarIngestJob.run(session, options));
    }
  }

  /** {@code servelens ingest bench}. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = {
        "Ingest serving-benchmark logs trees: run directories",
        "{jobid}_{topology}_{YYYYMMDD_HHMMSS} with {jobid}.json (old or new shape),",
        "{type}_isl_{isl}_osl_{osl}/concurrency_N.json results, *_config.json node",
        "snapshots and *_{prefill|decode|agg}_w{k}.err|.out SGLang worker logs.",
        "Tables bench_runs, bench_results, bench_node_batches, bench_node_memory,",
        "bench_node_parallelism, bench_node_configs; bad records go to bench_rejects",
        "with file, line, raw text and reason. A new run adds only itself.",
        "Also benchmark tools' result files outside run directories, one sweep point per",
        "record: SGLang bench_serving JSON Lines (*.jsonl), vLLM 'bench serve --save-result'",
        "and benchmark_serving.py JSON (*.json), AIPerf profile_export_aiperf.json. A run is",
        "a file (or --label) and its",
        "dataset/ISL/OSL; hardware comes from --gpu-type and --gpus when the file lacks it."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens ingest bench --input logs/ --catalog cat/",
        "  servelens ingest bench --input logs/3667_1P_4D_20251110_192145 --catalog cat/ --strict",
        "  servelens ingest bench --input llama_70b_online_output.jsonl --catalog cat/ \\",
        "      --gpu-type H200 --gpus 4",
        "  servelens ingest bench --input vllm-results/ --catalog cat/ --gpus 8 \\",
        "      --label vllm-1.0qps.json=sweep-a --label vllm-4.0qps.json=sweep-a --tag baseline"
      })
  static final class Bench implements Callable<Integer> {
    @Mixin IngestSource source;

    @Option(names = "--gpu-type", paramLabel = "TYPE",
        description = "GPU type of tool result files that do not name one, e.g. H200.")
    String gpuType;

    @Option(names = "--gpus", paramLabel = "N",
        description = "GPUs serving the tool result files that do not say (needed for"
            + " TPS/GPU and the Pareto front), e.g. 8.")
    Integer gpus;

    @Option(names = "--label", paramLabel = "FILE=NAME",
        description = "Run name for the tool result file named FILE (default: the file name"
            + " without extension); files with one name in one folder form one run."
            + " Repeatable.")
    Map<String, String> labels = new HashMap<>();

    @Option(names = "--tag", paramLabel = "TAG",
        description = "Tag of the runs of the tool result files read, e.g. baseline (for"
            + " analyze bench --baseline-tag/--current-tag). Repeatable.")
    List<String> tags = new ArrayList<>();

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      if (gpus != null && gpus <= 0) {
        throw new UsageException("--gpus must be a positive number of GPUs, not " + gpus);
      }
      BenchIngestOptions options = new BenchIngestOptions();
      options.inputs = source.inputs;
      options.catalog = source.catalog;
      options.strict = source.strict;
      options.gpuType = gpuType;
      options.gpus = gpus;
      options.labels = labels;
      options.tags = tags;
      return spark.run("servelens ingest bench",
          session -> "ingest bench: " + BenchIngestJob.run(session, options));
    }
  }

  /** {@code servelens ingest runs}. */
  @Command(
      name = "runs",
      aliases = "agentic",
      mixinStandardHelpOptions = true,
      description = {
        "Ingest agentic benchmark run directories (any folder holding driver.log or",
        "kv_cache_timeseries.csv, at any depth): log events, KV samples, trial results,",
        "metrics_global.json and Continuum scheduler_timestamps into tables runs, runs_files,",
        "runs_events, runs_kv_samples, runs_trials, runs_metrics, runs_scheduler_events; bad",
        "lines go to runs_rejects. System and concurrency come from the directory name",
        "(thunderreact_c128, continuum_c64_20260104_223636) or --labels."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens ingest runs --input outputs/ --catalog cat/",
        "  servelens ingest runs --input 'hdfs:///exp/5090_*/' --catalog cat/ \\",
        "      --driver-zone Asia/Shanghai --labels labels.properties",
        "",
        "Label map lines: <dir name or glob> = system,concurrency, e.g. tr_run7 = thunderreact,64"
      })
  static final class Runs implements Callable<Integer> {
    @Mixin IngestSource source;

    @Option(names = "--driver-zone", paramLabel = "ZONE", defaultValue = "UTC",
        description = "Time zone of the zone-less driver.log timestamps, e.g. UTC, +08:00,"
            + " Asia/Shanghai. Default: ${DEFAULT-VALUE}.")
    String driverZone;

    @Option(names = "--labels", paramLabel = "FILE",
        description = "Label map: lines '<dir name or glob> = system,concurrency'; first match"
            + " wins, else the directory name is used.")
    String labels;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      RunsIngestOptions options = new RunsIngestOptions();
      options.inputs = source.inputs;
      options.catalog = source.catalog;
      options.strict = source.strict;
      options.driverZone = driverZone;
      options.labels = labels;
      return spark.run("servelens ingest runs",
          session -> "ingest runs: " + RunsIngestJob.run(session, options));
    }
  }
}
