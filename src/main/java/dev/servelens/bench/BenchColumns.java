package dev.servelens.bench;

/** Names shared by the serving-benchmark ingest, analysis and tag commands. */
final class BenchColumns {
  private BenchColumns() {}

  /** The family name in the ingest manifest. */
  static final String FAMILY = "bench";

  static final String RUNS_TABLE = "bench_runs";
  static final String RESULTS_TABLE = "bench_results";
  static final String BATCHES_TABLE = "bench_node_batches";
  static final String MEMORY_TABLE = "bench_node_memory";
  static final String SERVER_ARGS_TABLE = "bench_node_parallelism";
  static final String CONFIGS_TABLE = "bench_node_configs";
  static final String REJECTS_TABLE = "bench_rejects";
  static final String TAGS_TABLE = "bench_tags";

  static final String SOURCE_PATH = "source_path";
  static final String LINE_NUMBER = "line_number";
  static final String JOB_ID = "job_id";
  static final String RUN_DIR = "run_dir";
  static final String TOPOLOGY = "topology";
  static final String NODE = "node";
  static final String ROLE = "role";
  static final String WORKER = "worker";
  static final String TS = "ts";
  static final String TAGS = "tags";
  static final String CONCURRENCY = "concurrency";
  static final String ISL = "isl";
  static final String OSL = "osl";

  static final String ROLE_PREFILL = "prefill";
  static final String ROLE_DECODE = "decode";
  static final String ROLE_AGG = "agg";
  static final String MODE_DISAGG = "disagg";
  static final String MODE_AGG = "agg";
}
