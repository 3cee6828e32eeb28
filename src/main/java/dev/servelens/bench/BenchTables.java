package dev.servelens.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.transform;

import dev.servelens.io.ParseCounts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The catalog tables of the bench family, derived from the parsed JSON records ({@link
 * JsonRecord}) and worker-log lines ({@link WorkerLogParser}). Pure functions over Datasets.
 */
final class BenchTables {
  private BenchTables() {}

  /** Result keys with their own column in {@code bench_results}; all are in {@code metrics}. */
  static final List<String> RESULT_COLUMNS = resultColumns();

  /** Column of {@code bench_results} naming where a result comes from. */
  static final String RESULT_FORMAT = "result_format";
  /** {@link #RESULT_FORMAT} of the result files of srt-slurm run directories. */
  static final String RUN_DIRECTORY_FORMAT = "srt-slurm";

  /** Result keys that count requests or tokens: whole numbers. */
  private static final List<String> COUNT_COLUMNS = List.of("completed", "failed",
      "total_input_tokens", "total_output_tokens", "max_concurrency", "num_prompts");

  private static List<String> resultColumns() {
    List<String> columns = new ArrayList<>(List.of("duration", "completed", "failed",
        "total_input_tokens", "total_output_tokens", "request_throughput", "request_goodput",
        "output_throughput", "peak_output_tokens_per_s", "total_token_throughput",
        "max_concurrency", "request_rate", "num_prompts"));
    for (String metric : new String[] {"ttft", "tpot", "itl", "e2el"}) {
      for (String stat : new String[] {"mean", "median", "std", "p90", "p99"}) {
        columns.add(stat + "_" + metric + "_ms");
      }
    }
    return columns;
  }

  private static Dataset<Row> kept(Dataset<Row> records, String kind) {
    return records.where(col("status").equalTo(ParseCounts.OK).and(col("kind").equalTo(kind)));
  }

  private static Column text(String key) {
    return col("text").getItem(key);
  }

  private static Column number(String key) {
    return col("numbers").getItem(key);
  }

  /**
   * {@code bench_runs}: one row per run metadata file, and one per run of benchmark tools'
   * sweep points ({@link ResultFileToPoints}: file and sweep group), whose type is the tool.
   */
  static Dataset<Row> runs(Dataset<Row> records) {
    Dataset<Row> pointRuns = kept(records, JsonRecord.POINT).groupBy(BenchColumns.RUN_DIR)
        .agg(first(BenchColumns.JOB_ID).as(BenchColumns.JOB_ID),
            first(text("gpu_type"), true).as("gpu_type"),
            max(number("total_gpus")).cast("int").as("total_gpus"),
            first(text("model_id"), true).as("model"),
            first(number(BenchColumns.ISL), true).cast("int").as(BenchColumns.ISL),
            first(number(BenchColumns.OSL), true).cast("int").as(BenchColumns.OSL),
            first(text(RESULT_FORMAT)).as("benchmark_type"),
            first(text("dataset_name"), true).as("dataset_name"),
            first(col(BenchColumns.TAGS)).as(BenchColumns.TAGS),
            min(BenchColumns.SOURCE_PATH).as(BenchColumns.SOURCE_PATH))
        .withColumn("is_profiling", lit(false))
        .withColumn("metadata_shape", lit("tool result file"));
    return metadataRuns(records).unionByName(pointRuns, true);
  }

  private static Dataset<Row> metadataRuns(Dataset<Row> records) {
    return kept(records, "metadata").select(
        col(BenchColumns.JOB_ID), col(BenchColumns.RUN_DIR),
        topologyFromDir().as(BenchColumns.TOPOLOGY),
        text("mode").as("mode"), text("gpu_type").as("gpu_type"),
        number("gpus_per_node").cast("int").as("gpus_per_node"),
        number("prefill_nodes").cast("int").as("prefill_nodes"),
        number("decode_nodes").cast("int").as("decode_nodes"),
        number("prefill_workers").cast("int").as("prefill_workers"),
        number("decode_workers").cast("int").as("decode_workers"),
        number("agg_nodes").cast("int").as("agg_nodes"),
        number("agg_workers").cast("int").as("agg_workers"),
        number("total_gpus").cast("int").as("total_gpus"),
        text("container").as("container"), text("model").as("model"),
        number("isl").cast("int").as(BenchColumns.ISL),
        number("osl").cast("int").as(BenchColumns.OSL),
        text("benchmark_type").as("benchmark_type"),
        transform(split(text("concurrencies"), "x"), c -> c.cast("int"))
            .as("expected_concurrencies"),
        text("req_rate").as("req_rate"), col(BenchColumns.TAGS),
        text("is_profiling").cast("boolean").as("is_profiling"),
        text("metadata_shape").as("metadata_shape"),
        to_timestamp(stampFromDir(), "yyyyMMdd_HHmmss").as("run_date"),
        text("run_date").as("run_date_text"),
        col(BenchColumns.SOURCE_PATH));
  }

  /** The topology part of the run directory's name. */
  private static Column topologyFromDir() {
    return regexp_extract(col(BenchColumns.RUN_DIR),
        "/[^/_]+_([^/]+)_[0-9]{8}_[0-9]{6}$", 1);
  }

  /** The {@code YYYYMMDD_HHMMSS} part of the run directory's name. */
  private static Column stampFromDir() {
    return regexp_extract(col(BenchColumns.RUN_DIR),
        "([0-9]{8}_[0-9]{6})$", 1);
  }

  /**
   * {@code bench_results}: one row per result file, arrays left out, and one per benchmark
   * tool's sweep point ({@code result_format} names the tool, {@code line_number} the point's
   * line in its file, {@code derived_metrics} the throughputs computed from totals and duration).
   */
  static Dataset<Row> results(Dataset<Row> records) {
    return runDirectoryResults(records).unionByName(points(records));
  }

  private static Dataset<Row> points(Dataset<Row> records) {
    return kept(records, JsonRecord.POINT).select(resultColumns(List.of(
        col(BenchColumns.JOB_ID), col(BenchColumns.RUN_DIR),
        text(RESULT_FORMAT).as("result_type"),
        number(BenchColumns.ISL).cast("int").as(BenchColumns.ISL),
        number(BenchColumns.OSL).cast("int").as(BenchColumns.OSL),
        number("max_concurrency").cast("int").as(BenchColumns.CONCURRENCY)),
        text(RESULT_FORMAT), text("derived_metrics")));
  }

  private static Dataset<Row> runDirectoryResults(Dataset<Row> records) {
    return kept(records, "result").select(resultColumns(List.of(col(BenchColumns.JOB_ID),
        col(BenchColumns.RUN_DIR),
        regexp_extract(col(BenchColumns.SOURCE_PATH),
            "/([^/]+)_isl_[0-9]+_osl_[0-9]+/concurrency_[0-9]+\\.json$", 1).as("result_type"),
        regexp_extract(col(BenchColumns.SOURCE_PATH),
            "_isl_([0-9]+)_osl_[0-9]+/concurrency_[0-9]+\\.json$", 1).cast("int")
            .as(BenchColumns.ISL),
        regexp_extract(col(BenchColumns.SOURCE_PATH),
            "_osl_([0-9]+)/concurrency_[0-9]+\\.json$", 1).cast("int").as(BenchColumns.OSL),
        regexp_extract(col(BenchColumns.SOURCE_PATH),
            "/concurrency_([0-9]+)\\.json$", 1).cast("int").as(BenchColumns.CONCURRENCY)),
        lit(RUN_DIRECTORY_FORMAT), lit(null).cast("string")));
  }

  private static Column[] resultColumns(List<Column> head, Column format, Column derived) {
    List<Column> columns = new ArrayList<>(head);
    for (String key : RESULT_COLUMNS) {
      columns.add(COUNT_COLUMNS.contains(key) ? number(key).cast("long").as(key)
          : number(key).as(key));
    }
    columns.add(text("backend").as("backend"));
    columns.add(text("model_id").as("model_id"));
    columns.add(text("date").as("date"));
    columns.add(col("numbers").as("metrics"));
    columns.add(col("text").as("text_fields"));
    columns.add(col(BenchColumns.SOURCE_PATH));
    columns.add(col(BenchColumns.LINE_NUMBER));
    columns.add(format.as(RESULT_FORMAT));
    columns.add(derived.as("derived_metrics"));
    return columns.toArray(new Column[0]);
  }

  /** {@code bench_node_configs}: one row per configuration entry. */
  static Dataset<Row> configs(Dataset<Row> records) {
    Column node = regexp_extract(col(BenchColumns.SOURCE_PATH),
        "/([^/]+)_config\\.json$", 1);
    Column role = regexp_extract(node,
        "_(prefill|decode|agg)$", 1);
    return kept(records, "config")
        .select(col(BenchColumns.JOB_ID), col(BenchColumns.RUN_DIR), node.as("config_name"),
            role.as(BenchColumns.ROLE), explode(col("config")).as("entry"),
            col(BenchColumns.SOURCE_PATH))
        .select(col(BenchColumns.JOB_ID), col(BenchColumns.RUN_DIR),
            regexp_replace(col("config_name"),
                "_(prefill|decode|agg)$", "").as(BenchColumns.NODE),
            when(col(BenchColumns.ROLE).equalTo(""), lit(null))
                .otherwise(col(BenchColumns.ROLE)).as(BenchColumns.ROLE),
            col("entry.key_group").as("key_group"), col("entry.key").as("key"),
            col("entry.value").as("value"), col(BenchColumns.SOURCE_PATH));
  }

  private static final String[] LOG_KEY_COLUMNS = {BenchColumns.JOB_ID, BenchColumns.RUN_DIR,
    BenchColumns.NODE, BenchColumns.ROLE, BenchColumns.WORKER, BenchColumns.TS, "dp", "tp", "ep",
    "pp"};

  /** {@code bench_node_batches}: one row per parsed batch line. */
  static Dataset<Row> batches(Dataset<Row> lines) {
    List<Column> columns = keyColumns();
    columns.add(col("batch_kind"));
    columns.add(col("iteration"));
    for (String name : WorkerLogLine.numericBatchColumns()) {
      columns.add(col(name));
    }
    columns.add(col("cuda_graph"));
    columns.add(col("extra"));
    return lines(lines, WorkerLogLine.KIND_BATCH, columns);
  }

  /** {@code bench_node_memory}: one row per memory line. */
  static Dataset<Row> memory(Dataset<Row> lines) {
    List<Column> columns = keyColumns();
    for (String name : new String[] {"avail_mem_gb", "mem_usage_gb", "kv_size_gb",
        "kv_tokens"}) {
      columns.add(col(name));
    }
    return lines(lines, WorkerLogLine.KIND_MEMORY, columns);
  }

  /** {@code bench_node_parallelism}: DP/TP/EP sizes from each server command line. */
  static Dataset<Row> serverArgs(Dataset<Row> lines) {
    List<Column> columns = keyColumns();
    for (String name : new String[] {"tp_size", "dp_size", "ep_size"}) {
      columns.add(col(name));
    }
    return lines(lines, WorkerLogLine.KIND_SERVER_ARGS, columns);
  }

  private static List<Column> keyColumns() {
    List<Column> columns = new ArrayList<>();
    for (String name : LOG_KEY_COLUMNS) {
      columns.add(col(name));
    }
    return columns;
  }

  private static Dataset<Row> lines(Dataset<Row> lines, String kind, List<Column> columns) {
    List<Column> all = new ArrayList<>(columns);
    all.add(col(BenchColumns.SOURCE_PATH));
    return lines.where(col("status").equalTo(ParseCounts.OK).and(col("line_kind").equalTo(kind)))
        .select(all.toArray(new Column[0]));
  }
}
