package dev.servelens.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_except;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The run selection and per-concurrency results of {@code analyze bench}: filters, effective
 * tags, the results table with TPS/GPU and TPS/User, incomplete and profiling runs.
 */
final class BenchResults {
  private BenchResults() {}

  /** The request-rate axis of the sweep (requests/s; +infinity: all at once). */
  static final String REQUEST_RATE = "request_rate";
  /** Internal key of a result row (its file and line), dropped from the written tables. */
  static final String RESULT_SOURCE = "result_source";
  static final String RESULT_LINE = "result_line";

  /** Latency metrics of the result files, as in {@code mean_<metric>_ms}. */
  static final String[] LATENCY_METRICS = {"ttft", "tpot", "itl", "e2el"};

  /** Statistics of each latency metric in {@code latency_summary}, as in {@code p90_ttft_ms}. */
  static final String[] LATENCY_STATS = {"mean", "median", "p90", "p99", "std"};

  /**
   * Latency columns the analysis carries for {@code latency_summary} only (p90 and std of every
   * metric): they are dropped before {@code results} and {@code pareto} are written.
   */
  static final List<String> LATENCY_SPREAD_COLUMNS = spreadColumns();

  private static List<String> spreadColumns() {
    List<String> names = new ArrayList<>();
    for (String metric : LATENCY_METRICS) {
      for (String stat : new String[] {"p90", "std"}) {
        names.add(stat + "_" + metric + "_ms");
      }
    }
    return List.copyOf(names);
  }

  /**
   * The runs that pass the filters, with their effective tags (the {@code bench_tags} overlay's
   * latest list where a run was tagged since its ingest).
   *
   * @param overlay {@code run_dir, overlay_tags}, or null
   */
  static Dataset<Row> selectRuns(Dataset<Row> runs, Dataset<Row> overlay,
      BenchAnalyzeOptions options) {
    Dataset<Row> selected = runs;
    if (overlay != null) {
      selected = selected.join(overlay, selected.col(BenchColumns.RUN_DIR)
              .equalTo(overlay.col(BenchColumns.RUN_DIR)), "left")
          .drop(overlay.col(BenchColumns.RUN_DIR))
          .withColumn(BenchColumns.TAGS, coalesce(col("overlay_tags"), col(BenchColumns.TAGS)))
          .drop("overlay_tags");
    }
    selected = selected.withColumn(BenchColumns.TAGS, array_sort(col(BenchColumns.TAGS)));
    if (options.gpuType != null) {
      selected = selected.where(lower(col("gpu_type"))
          .contains(options.gpuType.toLowerCase(Locale.ROOT)));
    }
    if (options.topology != null) {
      selected = selected.where(col(BenchColumns.TOPOLOGY).equalTo(options.topology));
    }
    if (options.isl != null) {
      selected = selected.where(col(BenchColumns.ISL).equalTo(options.isl));
    }
    if (options.osl != null) {
      selected = selected.where(col(BenchColumns.OSL).equalTo(options.osl));
    }
    if (options.container != null) {
      selected = selected.where(lower(col("container"))
          .contains(options.container.toLowerCase(Locale.ROOT)));
    }
    for (String tag : options.tags) {
      selected = selected.where(array_contains(col(BenchColumns.TAGS), tag));
    }
    return selected;
  }

  /** Benchmark runs (not profiling runs) of a selection. */
  static Dataset<Row> benchmarkRuns(Dataset<Row> runs) {
    return runs.where(not(coalesce(col("is_profiling"), lit(false))));
  }

  /** {@code profiling_runs}: the runs left out because they are profiling runs. */
  static Dataset<Row> profilingRuns(Dataset<Row> runs) {
    return runs.where(coalesce(col("is_profiling"), lit(false)))
        .select(col(BenchColumns.JOB_ID), col(BenchColumns.RUN_DIR), col(BenchColumns.TOPOLOGY),
            col("benchmark_type"), col("gpu_type"),
            lit("profiling run (torch-profiler), not a benchmark: skipped").as("reason"))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR);
  }

  /**
   * {@code results}: one row per (run, concurrency) from the run's result folder named exactly
   * {@code {type}_isl_{isl}_osl_{osl}} after its metadata. {@code output_tps_per_gpu =
   * output_throughput / total_gpus}, {@code total_tps_per_gpu = total_token_throughput /
   * total_gpus}, {@code tps_per_user = 1000 / mean_tpot_ms} (null without a positive TPOT).
   */
  static Dataset<Row> results(Dataset<Row> runs, Dataset<Row> results) {
    Dataset<Row> r = results.alias("r");
    Dataset<Row> run = runs.alias("run");
    Column gpus = when(col("run.total_gpus").gt(0), col("run.total_gpus"));
    List<Column> columns = new ArrayList<>(List.of(
        col("run.job_id").as(BenchColumns.JOB_ID), col("run.topology").as(BenchColumns.TOPOLOGY),
        col("run.gpu_type").as("gpu_type"), col("run.isl").as(BenchColumns.ISL),
        col("run.osl").as(BenchColumns.OSL), col("r.concurrency").as(BenchColumns.CONCURRENCY),
        col("run.total_gpus").as("total_gpus"), col("r.output_throughput").as("output_tps"),
        col("r.total_token_throughput").as("total_tps"),
        col("r.output_throughput").divide(gpus).as("output_tps_per_gpu"),
        col("r.total_token_throughput").divide(gpus).as("total_tps_per_gpu"),
        tpsPerUser(false).as("tps_per_user"),
        col("r.request_throughput").as("request_throughput"),
        col("r.mean_ttft_ms").as("mean_ttft_ms"), col("r.median_ttft_ms").as("median_ttft_ms"),
        col("r.p99_ttft_ms").as("p99_ttft_ms"), col("r.mean_tpot_ms").as("mean_tpot_ms"),
        col("r.mean_itl_ms").as("mean_itl_ms"), col("r.mean_e2el_ms").as("mean_e2el_ms"),
        col("r.completed").as("completed"),
        array_join(col("run.tags"), ";").as(BenchColumns.TAGS),
        col("run.run_dir").as(BenchColumns.RUN_DIR), col("run.container").as("container"),
        col("run.benchmark_type").as("benchmark_type"), col("r.failed").as("failed"),
        col("r.duration").as("duration")));
    for (String metric : LATENCY_METRICS) {
      for (String stat : new String[] {"median", "p99"}) {
        String name = stat + "_" + metric + "_ms";
        if (!metric.equals("ttft")) {
          columns.add(col("r." + name).as(name));
        }
      }
    }
    columns.add(col("r.request_rate").as(REQUEST_RATE));
    for (String name : LATENCY_SPREAD_COLUMNS) {
      columns.add(col("r." + name).as(name));
    }
    columns.add(tpsPerUser(true).as("tps_per_user_source"));
    columns.add(col("r." + BenchTables.RESULT_FORMAT).as(BenchTables.RESULT_FORMAT));
    columns.add(col("r.derived_metrics").as("derived_metrics"));
    columns.add(when(gpus.isNull(), lit("total GPUs unknown: no TPS/GPU, not on the Pareto"
        + " front (give --gpus to ingest bench)")).as("notes"));
    columns.add(col("r.source_path").as(RESULT_SOURCE));
    columns.add(col("r.line_number").as(RESULT_LINE));
    return r.join(run, col("r.run_dir").equalTo(col("run.run_dir"))
            .and(col("r.result_type").equalTo(col("run.benchmark_type")))
            .and(col("r.isl").eqNullSafe(col("run.isl")))
            .and(col("r.osl").eqNullSafe(col("run.osl"))))
        .select(columns.toArray(new Column[0]));
  }

  /**
   * TPS/User = 1000 / mean TPOT (ms); for benchmark tools' points without TPOT, 1000 / mean ITL,
   * else 1000 / median ITL (SGLang's older {@code bench_serving} writes only the median). The
   * result files of srt-slurm run directories keep TPOT only (unknown without it).
   *
   * @param source true for the name of what was used ({@code tpot}, {@code itl}, {@code
   *     median_itl}) instead of the value
   */
  private static Column tpsPerUser(boolean source) {
    Column tool = not(coalesce(col("r." + BenchTables.RESULT_FORMAT),
        lit(BenchTables.RUN_DIRECTORY_FORMAT)).equalTo(BenchTables.RUN_DIRECTORY_FORMAT));
    Column result = null;
    for (String name : new String[] {"mean_tpot_ms", "mean_itl_ms", "median_itl_ms"}) {
      Column ms = col("r." + name);
      Column usable = name.equals("mean_tpot_ms") ? ms.gt(0) : tool.and(ms.gt(0));
      Column value = source ? lit(name.replace("mean_", "").replace("_ms", ""))
          : lit(1000.0).divide(ms);
      result = result == null ? when(usable, value) : result.when(usable, value);
    }
    return result;
  }

  /**
   * A results table whose rows may have been ingested before benchmark tools' points were read
   * (their columns missing, or null when the table's files are merged): those rows are
   * {@code result_format} srt-slurm, {@code line_number} 1.
   */
  static Dataset<Row> withPointColumns(Dataset<Row> results) {
    List<String> names = List.of(results.columns());
    Dataset<Row> withColumns = results;
    if (!names.contains("derived_metrics")) {
      withColumns = withColumns.withColumn("derived_metrics", lit(null).cast("string"));
    }
    Column format = names.contains(BenchTables.RESULT_FORMAT)
        ? col(BenchTables.RESULT_FORMAT) : lit(null).cast("string");
    Column line = names.contains(BenchColumns.LINE_NUMBER)
        ? col(BenchColumns.LINE_NUMBER) : lit(null).cast("long");
    return withColumns
        .withColumn(BenchTables.RESULT_FORMAT,
            coalesce(format, lit(BenchTables.RUN_DIRECTORY_FORMAT)))
        .withColumn(BenchColumns.LINE_NUMBER, coalesce(line, lit(1L)));
  }

  /**
   * {@code incomplete_runs}: runs whose result folder lacks some of the concurrencies their
   * metadata expects ({@code x}-separated lists).
   */
  static Dataset<Row> incompleteRuns(Dataset<Row> runs, Dataset<Row> results) {
    Dataset<Row> found = results.groupBy(BenchColumns.RUN_DIR)
        .agg(array_sort(collect_set(BenchColumns.CONCURRENCY)).as("found"));
    Dataset<Row> joined = runs.join(found, runs.col(BenchColumns.RUN_DIR)
            .equalTo(found.col(BenchColumns.RUN_DIR)), "left")
        .drop(found.col(BenchColumns.RUN_DIR))
        .withColumn("missing", array_except(col("expected_concurrencies"),
            coalesce(col("found"), array())));
    return joined.where(size(col("missing")).gt(0))
        .select(col(BenchColumns.JOB_ID),
            array_join(col("expected_concurrencies"), "x").as("expected_concurrencies"),
            array_join(col("missing"), "x").as("missing_concurrencies"),
            array_join(coalesce(col("found"), array()), "x")
                .as("found_concurrencies"),
            col(BenchColumns.RUN_DIR))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR);
  }

  /** {@code latency_vs_concurrency}: mean, median and p99 of each latency metric. */
  static Dataset<Row> latencyVsConcurrency(Dataset<Row> results) {
    Column[] entries = new Column[LATENCY_METRICS.length];
    for (int i = 0; i < entries.length; i++) {
      String metric = LATENCY_METRICS[i];
      entries[i] = struct(lit(metric).as("metric"), col("mean_" + metric + "_ms").as("mean_ms"),
          col("median_" + metric + "_ms").as("median_ms"),
          col("p99_" + metric + "_ms").as("p99_ms"));
    }
    return results.select(col(BenchColumns.JOB_ID), col(BenchColumns.TOPOLOGY),
            col(BenchColumns.ISL), col(BenchColumns.OSL), col(BenchColumns.CONCURRENCY),
            col(BenchColumns.RUN_DIR), col(REQUEST_RATE), explode(array(entries)).as("m"))
        .select(col(BenchColumns.JOB_ID), col(BenchColumns.TOPOLOGY), col(BenchColumns.ISL),
            col(BenchColumns.OSL), col(BenchColumns.CONCURRENCY), col("m.metric").as("metric"),
            col("m.mean_ms").as("mean_ms"), col("m.median_ms").as("median_ms"),
            col("m.p99_ms").as("p99_ms"), col(BenchColumns.RUN_DIR), col(REQUEST_RATE))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR, "metric",
        BenchColumns.CONCURRENCY, REQUEST_RATE);
  }

  /**
   * {@code latency_summary}: per run and latency metric (TTFT, TPOT, ITL, E2EL), the number of
   * points that have the metric at all and the least and greatest over those points of its mean,
   * median, p90, p99 and std (empty where no point of the run has the statistic: AIPerf's files
   * carry all of them, vLLM's std and the percentiles asked for, SGLang's of late 2024 only
   * medians and mean E2EL). One aggregation over the results.
   */
  static Dataset<Row> latencySummary(Dataset<Row> results) {
    Column[] entries = new Column[LATENCY_METRICS.length];
    for (int i = 0; i < entries.length; i++) {
      String metric = LATENCY_METRICS[i];
      List<Column> fields = new ArrayList<>(List.of(lit(metric).as("metric")));
      for (String stat : LATENCY_STATS) {
        fields.add(col(stat + "_" + metric + "_ms").as(stat));
      }
      entries[i] = struct(fields.toArray(new Column[0]));
    }
    Column known = lit(false);
    List<Column> aggregates = new ArrayList<>();
    for (String stat : LATENCY_STATS) {
      known = known.or(col("m." + stat).isNotNull());
      aggregates.add(min("m." + stat).as("min_" + stat + "_ms"));
      aggregates.add(max("m." + stat).as("max_" + stat + "_ms"));
    }
    return results.select(col(BenchColumns.JOB_ID), col(BenchColumns.TOPOLOGY),
            col(BenchColumns.ISL), col(BenchColumns.OSL), col(BenchColumns.RUN_DIR),
            explode(array(entries)).as("m"))
        .where(known)
        .groupBy(col(BenchColumns.JOB_ID), col(BenchColumns.TOPOLOGY), col(BenchColumns.ISL),
            col(BenchColumns.OSL), col(BenchColumns.RUN_DIR), col("m.metric").as("metric"))
        .agg(count(lit(1)).as("points"), aggregates.toArray(new Column[0]))
        .select(summaryColumns())
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR, "metric");
  }

  private static Column[] summaryColumns() {
    List<Column> columns = new ArrayList<>(List.of(col(BenchColumns.JOB_ID),
        col(BenchColumns.TOPOLOGY), col(BenchColumns.ISL), col(BenchColumns.OSL), col("metric"),
        col("points")));
    for (String stat : LATENCY_STATS) {
      columns.add(col("min_" + stat + "_ms"));
      columns.add(col("max_" + stat + "_ms"));
    }
    columns.add(col(BenchColumns.RUN_DIR));
    return columns.toArray(new Column[0]);
  }

  /**
   * {@code summary}: one row for the analysis. {@code runs} benchmark runs selected, {@code
   * profiling_runs} profiling runs left out, {@code containers} distinct container images of the
   * benchmark runs (and their {@code ;}-joined names), {@code result_points} rows of {@code
   * results}, {@code max_concurrency} their largest concurrency, the largest output TPS/GPU and
   * the point that has it (run as in figures, concurrency, request rate; ties go to the first by
   * job, run, concurrency, request rate), and the largest total TPS/GPU. Three aggregations, each
   * one row.
   *
   * @param runs the selected runs, profiling runs among them
   */
  static Dataset<Row> summary(Dataset<Row> runs, Dataset<Row> results) {
    Column benchmark = not(coalesce(col("is_profiling"), lit(false)));
    Dataset<Row> ofRuns = runs.agg(
        countDistinct(when(benchmark, col(BenchColumns.RUN_DIR))).as("runs"),
        countDistinct(when(not(benchmark), col(BenchColumns.RUN_DIR))).as("profiling_runs"),
        countDistinct(when(benchmark, col("container"))).as("containers"),
        array_join(array_sort(collect_set(when(benchmark, col("container")))), ";")
            .as("container_images"));
    Dataset<Row> ofResults = results.agg(count(lit(1)).as("result_points"),
        max(BenchColumns.CONCURRENCY).as("max_concurrency"),
        max("output_tps_per_gpu").as("max_output_tps_per_gpu"),
        max("total_tps_per_gpu").as("max_total_tps_per_gpu"));
    Dataset<Row> best = results.where(col("output_tps_per_gpu").isNotNull())
        .orderBy(col("output_tps_per_gpu").desc(), col(BenchColumns.JOB_ID).asc(),
            col(BenchColumns.RUN_DIR).asc(), col(BenchColumns.CONCURRENCY).asc_nulls_last(),
            col(REQUEST_RATE).asc_nulls_last())
        .limit(1)
        .select(runLabel().as("max_tps_per_gpu_run"),
            col(BenchColumns.CONCURRENCY).as("max_tps_per_gpu_concurrency"),
            col(REQUEST_RATE).as("max_tps_per_gpu_request_rate"),
            col(BenchColumns.RUN_DIR).as("max_tps_per_gpu_run_dir"));
    return ofRuns.crossJoin(ofResults).join(best, lit(true), "left")
        .select(col("runs"), col("result_points"), col("max_output_tps_per_gpu"),
            col("max_tps_per_gpu_run"), col("max_tps_per_gpu_concurrency"),
            col("max_tps_per_gpu_request_rate"), col("max_concurrency"), col("profiling_runs"),
            col("containers"), col("container_images"), col("max_total_tps_per_gpu"),
            col("max_tps_per_gpu_run_dir"));
  }

  /**
   * A run's name in figures: the job id, and for a benchmark tool's file its sweep group
   * ({@code llama_online#random_isl_1024_osl_1024}), as one file may hold several sweeps.
   */
  static Column runLabel() {
    Column group = regexp_extract(col(BenchColumns.RUN_DIR), "#([^/]*)$", 1);
    return when(group.equalTo(""), col(BenchColumns.JOB_ID))
        .otherwise(concat(col(BenchColumns.JOB_ID), lit("#"), group));
  }

  /**
   * {@code figures/latency_vs_request_rate.csv}: the latency of points swept by request rate
   * (no concurrency, a finite rate): series = metric and run.
   */
  static Dataset<Row> latencyVsRequestRate(Dataset<Row> latency) {
    return latency.where(col(BenchColumns.CONCURRENCY).isNull()
            .and(col(REQUEST_RATE).lt(Double.POSITIVE_INFINITY))
            .and(col("median_ms").isNotNull().or(col("mean_ms").isNotNull())))
        .select(concat_ws(" ", col("metric"), runLabel()).as("series"), col(REQUEST_RATE),
            col("median_ms"),
            col("mean_ms"), col("p99_ms"))
        .orderBy("series", REQUEST_RATE);
  }
}
