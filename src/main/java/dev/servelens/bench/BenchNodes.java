package dev.servelens.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Node metrics from the parsed batch lines: time-bucketed series per node, per DP rank and per
 * run, and the prefill/decode rate match. Buckets are at least one second wide and each run has
 * at most {@code maxBuckets} of them, so the output is bounded by runs x workers x maxBuckets.
 */
final class BenchNodes {
  private BenchNodes() {}

  static final String[] SERIES_METRICS = {"input_throughput", "gen_throughput", "running_req",
    "queue_req", "prealloc_req", "transfer_req", "inflight_req", "token_usage"};

  /** The batch lines of the selected runs, with their bucket ({@code bucket}, {@code bucket_s}). */
  static Dataset<Row> bucketed(Dataset<Row> batches, Dataset<Row> runs, int maxBuckets) {
    Dataset<Row> selected = batches.join(runs.select(BenchColumns.RUN_DIR),
        BenchColumns.RUN_DIR).where(col(BenchColumns.TS).isNotNull());
    Column micros = unix_micros(col(BenchColumns.TS));
    Dataset<Row> spans = selected.groupBy(BenchColumns.RUN_DIR)
        .agg(min(micros).as("start_us"), max(micros).as("end_us"))
        .withColumn("bucket_s", greatest(lit(1L), ceil(col("end_us").minus(col("start_us"))
            .divide(1e6 * maxBuckets)).cast("long")));
    return selected.join(spans, BenchColumns.RUN_DIR)
        .withColumn("bucket", floor(micros.minus(col("start_us"))
            .divide(col("bucket_s").multiply(1_000_000L))).cast("long"));
  }

  /**
   * {@code node_metrics}: averages per bucket at three levels: {@code node} (one worker of one
   * node), {@code dp} (a DP rank, averaged over nodes and TP ranks), {@code all} (the run).
   */
  static Dataset<Row> nodeMetrics(Dataset<Row> bucketed) {
    Dataset<Row> node = level(bucketed, "node", col(BenchColumns.NODE),
        col(BenchColumns.WORKER), col("dp"));
    Dataset<Row> dp = level(bucketed, "dp", lit(null).cast("string"), lit(null).cast("int"),
        col("dp"));
    Dataset<Row> all = level(bucketed, "all", lit(null).cast("string"), lit(null).cast("int"),
        lit(null).cast("int"));
    return node.unionByName(dp).unionByName(all)
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR, "level", BenchColumns.ROLE,
            "batch_kind", BenchColumns.NODE, BenchColumns.WORKER, "dp", "bucket_start");
  }

  private static Dataset<Row> level(Dataset<Row> bucketed, String level, Column node,
      Column worker, Column dp) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as("batches"));
    for (String metric : SERIES_METRICS) {
      aggregates.add(avg(metric).as(metric));
    }
    aggregates.add(sum("cached_token").as("cached_tokens"));
    aggregates.add(sum("new_token").as("new_tokens"));
    Column prefilled = col("cached_tokens").plus(col("new_tokens"));
    return bucketed
        .groupBy(col(BenchColumns.JOB_ID), col(BenchColumns.RUN_DIR), col(BenchColumns.ROLE),
            col("batch_kind"), node.as(BenchColumns.NODE), worker.as(BenchColumns.WORKER),
            dp.as("dp"), col("bucket"), col("bucket_s"), col("start_us"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
        .select(col(BenchColumns.JOB_ID), lit(level).as("level"), col(BenchColumns.ROLE),
            col("batch_kind"), col(BenchColumns.NODE), col(BenchColumns.WORKER), col("dp"),
            timestamp_seconds(col("start_us").divide(1e6)
                .plus(col("bucket").multiply(col("bucket_s")))).as("bucket_start"),
            col("bucket").multiply(col("bucket_s")).as("offset_s"), col("bucket_s"),
            col("batches"), col("input_throughput"), col("gen_throughput"), col("running_req"),
            col("queue_req"), col("prealloc_req"), col("transfer_req"), col("inflight_req"),
            col("token_usage"), col(BenchColumns.RUN_DIR),
            when(prefilled.gt(0), col("cached_tokens").divide(prefilled)).as(CACHE_HIT_RATE));
  }

  /** Share of a bucket's prefill tokens that were cached: cached / (cached + new). */
  static final String CACHE_HIT_RATE = "cache_hit_rate";

  /** The request counts of {@code figures/node_requests_over_time.csv}, a panel each. */
  static final String[] REQUEST_METRICS = {"running_req", "queue_req", "inflight_req",
    "prealloc_req", "transfer_req"};
  /** The shares of {@code figures/node_usage_over_time.csv}, a panel each. */
  static final String[] USAGE_METRICS = {"token_usage", CACHE_HIT_RATE};

  /**
   * Figure data of node metrics over time: the run-level series ({@code level = all}) of each
   * metric of {@code names} (column {@code metric}, a panel each; the panels share a y scale,
   * so a figure holds metrics of one unit), x = seconds since the run's first batch line, a
   * line per {@code job/role/batch_kind}; buckets without the metric are left out.
   */
  static Dataset<Row> overTimeFigure(Dataset<Row> nodeMetrics, String... names) {
    List<Column> metrics = new ArrayList<>();
    for (String metric : names) {
      metrics.add(struct(lit(metric).as("metric"), col(metric).cast("double").as("y")));
    }
    return nodeMetrics.where(col("level").equalTo("all"))
        .select(concat_ws("/", col(BenchColumns.JOB_ID), col(BenchColumns.ROLE),
                col("batch_kind")).as("series"), col("offset_s").as("x"),
            explode(array(metrics.toArray(new Column[0]))).as("m"))
        .select(col("m.metric").as("metric"), col("series"), col("x"), col("m.y").as("y"))
        .where(col("y").isNotNull())
        .orderBy("metric", "series", "x");
  }

  /**
   * {@code figures/gen_throughput_by_running.csv}: generation throughput of decode batch lines
   * against their running requests: {@code series} (job), {@code running_req}, {@code
   * gen_throughput} (the mean over the run's lines with that many running requests), {@code
   * batches}.
   */
  static Dataset<Row> genThroughputByRunning(Dataset<Row> bucketed) {
    return bucketed.where(col("batch_kind").equalTo(BenchColumns.ROLE_DECODE)
            .and(col("running_req").isNotNull()).and(col("gen_throughput").isNotNull()))
        .groupBy(col(BenchColumns.JOB_ID).as("series"), col("running_req"))
        .agg(avg("gen_throughput").as("gen_throughput"), count(lit(1)).as("batches"))
        .orderBy("series", "running_req");
  }

  /**
   * {@code figures/node_throughput.csv}: the run-level series, x = seconds since the run's first
   * batch line, y = input throughput of prefill batches or generation throughput of decode ones.
   */
  static Dataset<Row> throughputFigure(Dataset<Row> nodeMetrics) {
    return nodeMetrics.where(col("level").equalTo("all"))
        .select(concat_ws("/", col(BenchColumns.JOB_ID), col(BenchColumns.ROLE),
                col("batch_kind")).as("series"), col("offset_s").as("x"),
            when(col("batch_kind").equalTo(BenchColumns.ROLE_PREFILL), col("input_throughput"))
                .otherwise(col("gen_throughput")).as("y"))
        .orderBy("series", "x");
  }

  /**
   * {@code rate_match}, for disaggregated runs: prefill capacity = the sum over prefill workers
   * (node, worker, DP rank; the lowest TP rank that logs, as TP ranks repeat the same line) of the
   * mean input throughput of their busy prefill batch lines (throughput > 0); decode capacity the
   * same with generation throughput of decode batch lines. In requests/s: prefill tokens/s / ISL
   * and decode tokens/s / OSL; {@code decode_to_prefill} is their ratio (1 = balanced, < 1:
   * decode is the bottleneck).
   */
  static Dataset<Row> rateMatch(Dataset<Row> batches, Dataset<Row> runs) {
    Dataset<Row> disagg = runs.where(col("mode").equalTo(BenchColumns.MODE_DISAGG));
    Dataset<Row> prefill = capacity(batches, BenchColumns.ROLE_PREFILL, "input_throughput",
        "prefill");
    Dataset<Row> decode = capacity(batches, BenchColumns.ROLE_DECODE, "gen_throughput",
        "decode");
    Column prefillRequests = col("prefill_tokens_per_s").divide(col(BenchColumns.ISL));
    Column decodeRequests = col("decode_tokens_per_s").divide(col(BenchColumns.OSL));
    return disagg.select(BenchColumns.JOB_ID, BenchColumns.RUN_DIR, BenchColumns.TOPOLOGY,
            BenchColumns.ISL, BenchColumns.OSL)
        .join(prefill, BenchColumns.RUN_DIR, "left")
        .join(decode, BenchColumns.RUN_DIR, "left")
        .select(col(BenchColumns.JOB_ID), col(BenchColumns.TOPOLOGY), col(BenchColumns.ISL),
            col(BenchColumns.OSL), col("prefill_workers"), col("decode_workers"),
            col("prefill_tokens_per_s"), col("decode_tokens_per_s"),
            prefillRequests.as("prefill_requests_per_s"),
            decodeRequests.as("decode_requests_per_s"),
            when(prefillRequests.gt(0), decodeRequests.divide(prefillRequests))
                .as("decode_to_prefill"), col(BenchColumns.RUN_DIR))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR);
  }

  /**
   * {@code rate_match_over_time}, for disaggregated runs: the capacities of {@link #rateMatch}
   * per time bucket of {@code bucketed} (each worker's mean over its busy lines in the bucket),
   * {@code job_id, offset_s, bucket_s, prefill_tokens_per_s, decode_tokens_per_s,
   * prefill_requests_per_s, decode_requests_per_s, decode_to_prefill, run_dir}; a bucket where
   * one side has no busy line has that side empty.
   */
  static Dataset<Row> rateMatchOverTime(Dataset<Row> bucketed, Dataset<Row> runs) {
    Column[] bucket = {col("bucket"), col("bucket_s")};
    Dataset<Row> prefill = capacity(bucketed, BenchColumns.ROLE_PREFILL, "input_throughput",
        "prefill", bucket);
    Dataset<Row> decode = capacity(bucketed, BenchColumns.ROLE_DECODE, "gen_throughput",
        "decode", bucket);
    Column prefillRequests = col("prefill_tokens_per_s").divide(col(BenchColumns.ISL));
    Column decodeRequests = col("decode_tokens_per_s").divide(col(BenchColumns.OSL));
    return runs.where(col("mode").equalTo(BenchColumns.MODE_DISAGG))
        .select(BenchColumns.JOB_ID, BenchColumns.RUN_DIR, BenchColumns.ISL, BenchColumns.OSL)
        .join(prefill.join(decode,
            scala.collection.JavaConverters.asScalaBuffer(
                List.of(BenchColumns.RUN_DIR, "bucket", "bucket_s")).toSeq(), "full_outer"),
            BenchColumns.RUN_DIR)
        .select(col(BenchColumns.JOB_ID), col("bucket").multiply(col("bucket_s")).as("offset_s"),
            col("bucket_s"), col("prefill_tokens_per_s"), col("decode_tokens_per_s"),
            prefillRequests.as("prefill_requests_per_s"),
            decodeRequests.as("decode_requests_per_s"),
            when(prefillRequests.gt(0), decodeRequests.divide(prefillRequests))
                .as("decode_to_prefill"), col(BenchColumns.RUN_DIR))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR, "offset_s");
  }

  /**
   * {@code figures/rate_match_over_time.csv}: {@code series} ({@code job/prefill} or {@code
   * job/decode}), {@code x} (seconds since the run's first batch line), {@code y} (requests/s
   * the side can serve), from {@link #rateMatchOverTime} rows.
   */
  static Dataset<Row> rateMatchFigure(Dataset<Row> overTime) {
    Column sides = array(
        struct(lit("prefill").as("side"), col("prefill_requests_per_s").as("y")),
        struct(lit("decode").as("side"), col("decode_requests_per_s").as("y")));
    return overTime.select(col(BenchColumns.JOB_ID), col("offset_s").as("x"),
            explode(sides).as("s"))
        .where(col("s.y").isNotNull())
        .select(concat_ws("/", col(BenchColumns.JOB_ID), col("s.side")).as("series"), col("x"),
            col("s.y").as("y"))
        .orderBy("series", "x");
  }

  /**
   * Capacity of one side per run (and per {@code keys}, e.g. a time bucket): the sum over its
   * workers (node, worker, DP rank; the lowest TP rank that logs, as TP ranks repeat the same
   * line) of the mean {@code metric} of their busy {@code kind} batch lines (metric > 0).
   */
  private static Dataset<Row> capacity(Dataset<Row> batches, String kind, String metric,
      String prefix, Column... keys) {
    List<Column> rank = new ArrayList<>(List.of(col(BenchColumns.RUN_DIR),
        col(BenchColumns.NODE), col(BenchColumns.WORKER), col("dp")));
    rank.addAll(List.of(keys));
    List<Column> byRank = new ArrayList<>(rank);
    byRank.add(col("tp"));
    Dataset<Row> perRank = batches.where(col(BenchColumns.ROLE).equalTo(kind)
            .and(col("batch_kind").equalTo(kind)).and(col(metric).gt(0)))
        .groupBy(byRank.toArray(new Column[0]))
        .agg(avg(metric).as("mean"));
    List<Column> byRun = new ArrayList<>(List.of(col(BenchColumns.RUN_DIR)));
    byRun.addAll(List.of(keys));
    return perRank.groupBy(rank.toArray(new Column[0]))
        .agg(min_by(col("mean"), org.apache.spark.sql.functions.coalesce(col("tp"), lit(0)))
            .as("mean"))
        .groupBy(byRun.toArray(new Column[0]))
        .agg(sum("mean").as(prefix + "_tokens_per_s"),
            countDistinct(col(BenchColumns.NODE), col(BenchColumns.WORKER))
                .as(prefix + "_workers"));
  }
}
