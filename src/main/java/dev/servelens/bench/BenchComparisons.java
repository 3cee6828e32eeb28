package dev.servelens.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Comparisons over the results table: Pareto front, regression, best concurrency. */
final class BenchComparisons {
  private BenchComparisons() {}

  /** Metrics of the regression table, higher-is-better ones first. */
  static final String[] REGRESSION_METRICS = {"output_tps_per_gpu", "total_tps_per_gpu",
    "tps_per_user", "request_throughput", "mean_ttft_ms", "p99_ttft_ms", "mean_tpot_ms",
    "mean_itl_ms", "mean_e2el_ms"};

  /** What a regression compares like with like on: lengths, concurrency, request rate. */
  private static final String[] SWEEP_KEYS = {BenchColumns.ISL, BenchColumns.OSL,
    BenchColumns.CONCURRENCY, BenchResults.REQUEST_RATE};

  /** The Pareto y column for {@code --pareto-metric output|total}. */
  static String paretoY(String metric) {
    return metric.equals("total") ? "total_tps_per_gpu" : "output_tps_per_gpu";
  }

  /**
   * Marks each result with {@code on_front}: whether no other candidate is at least as good on
   * both {@code tps_per_user} and {@code y} and strictly better on one (a point of a
   * request-rate sweep, without concurrency, is a candidate like any other). Candidates are the
   * rows with both values known and, with a cutoff, {@code tps_per_user >= cutoff}; others are
   * never on the front. Exact duplicates do not dominate each other, so both stay on the front.
   * The front is found with an anti-join of the results with themselves (a results table holds
   * runs x sweep points rows: thousands, not billions).
   */
  static Dataset<Row> markFront(Dataset<Row> results, String y, Double cutoff) {
    Column known = col("tps_per_user").isNotNull().and(col(y).isNotNull());
    if (cutoff != null) {
      known = known.and(col("tps_per_user").geq(cutoff));
    }
    // A row's key: its file and line; rows without them are keyed by run and concurrency.
    boolean keyed = List.of(results.columns()).contains(BenchResults.RESULT_SOURCE);
    String runKey = keyed ? BenchResults.RESULT_SOURCE : BenchColumns.RUN_DIR;
    String pointKey = keyed ? BenchResults.RESULT_LINE : BenchColumns.CONCURRENCY;
    Dataset<Row> candidates = results.where(known)
        .select(col(runKey).as("a_run"), col(pointKey).as("a_c"), col("tps_per_user").as("ax"),
            col(y).as("ay"));
    Dataset<Row> others = results.where(known)
        .select(col("tps_per_user").as("bx"), col(y).as("by"));
    Dataset<Row> front = candidates.join(others, col("bx").geq(col("ax"))
            .and(col("by").geq(col("ay")))
            .and(col("bx").gt(col("ax")).or(col("by").gt(col("ay")))), "left_anti")
        .select(col("a_run"), col("a_c"), lit(true).as("front"));
    return results.join(front, col(runKey).equalTo(col("a_run"))
            .and(col(pointKey).equalTo(col("a_c"))), "left")
        .withColumn("on_front", col("front").isNotNull())
        .drop("a_run", "a_c", "front");
  }

  /**
   * {@code figures/pareto.csv} (or {@code pareto_total.csv}): every point with known TPS/User
   * and {@code y}, series = run ({@link BenchResults#runLabel}), with its {@code on_front} mark
   * and request rate.
   */
  static Dataset<Row> paretoFigure(Dataset<Row> marked, String y) {
    return marked.where(col("tps_per_user").isNotNull().and(col(y).isNotNull()))
        .select(BenchResults.runLabel().as("series"), col(BenchColumns.CONCURRENCY),
            col("tps_per_user"), col(y), col("on_front"), col(BenchResults.REQUEST_RATE))
        .orderBy("series", "tps_per_user");
  }

  /**
   * {@code regression}: per (ISL, OSL, concurrency, request rate) and metric, keys that are
   * null on both sides matching, the mean over the results of
   * runs tagged {@code baseline} and of runs tagged {@code current}, and {@code pct_change =
   * (current - baseline) / baseline x 100} (null when the baseline is 0 or missing).
   */
  static Dataset<Row> regression(Dataset<Row> results, String baseline, String current) {
    Dataset<Row> base = side(results, baseline, "baseline");
    Dataset<Row> cur = side(results, current, "current");
    Column same = lit(true);
    for (String key : SWEEP_KEYS) {
      cur = cur.withColumnRenamed(key, "current_" + key);
      same = same.and(base.col(key).eqNullSafe(cur.col("current_" + key)));
    }
    Dataset<Row> joined = base.join(cur, same, "full_outer");
    for (String key : SWEEP_KEYS) {
      joined = joined.withColumn(key, coalesce(col(key), col("current_" + key)))
          .drop("current_" + key);
    }
    Column[] entries = new Column[REGRESSION_METRICS.length];
    for (int i = 0; i < entries.length; i++) {
      String metric = REGRESSION_METRICS[i];
      entries[i] = struct(lit(metric).as("metric"), col("baseline_" + metric).as("baseline"),
          col("current_" + metric).as("current"));
    }
    Column b = col("m.baseline");
    Column c = col("m.current");
    return joined.select(col(BenchColumns.ISL), col(BenchColumns.OSL),
            col(BenchColumns.CONCURRENCY), col(BenchResults.REQUEST_RATE), col("baseline_runs"),
            col("current_runs"), explode(array(entries)).as("m"))
        .select(col(BenchColumns.ISL), col(BenchColumns.OSL), col(BenchColumns.CONCURRENCY),
            col("m.metric").as("metric"), b.as("baseline"), c.as("current"),
            when(b.notEqual(0), c.minus(b).divide(b).multiply(100)).as("pct_change"),
            col("baseline_runs"), col("current_runs"), col(BenchResults.REQUEST_RATE))
        .orderBy(BenchColumns.ISL, BenchColumns.OSL, "metric", BenchColumns.CONCURRENCY,
            BenchResults.REQUEST_RATE);
  }

  private static Dataset<Row> side(Dataset<Row> results, String tag, String prefix) {
    List<Column> aggregates = new ArrayList<>();
    for (String metric : REGRESSION_METRICS) {
      aggregates.add(avg(metric).as(prefix + "_" + metric));
    }
    aggregates.add(countDistinct(col(BenchColumns.RUN_DIR)).as(prefix + "_runs"));
    // tags is ';'-joined in the results table: match a whole tag.
    Column tagged = instr(org.apache.spark.sql.functions.concat(lit(";"),
        col(BenchColumns.TAGS), lit(";")), ";" + tag + ";").gt(0);
    return results.where(tagged)
        .groupBy(SWEEP_KEYS[0], SWEEP_KEYS[1], SWEEP_KEYS[2], SWEEP_KEYS[3])
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]));
  }

  /**
   * {@code best_concurrency}: per run, the concurrency with the highest output TPS/GPU among
   * those whose TTFT statistic ({@code p99}, {@code mean} or {@code median}: SGLang's older
   * files have only the median) is at most the target; ties go to the lower concurrency, then
   * request rate (a rate sweep's point is named by its {@code request_rate}). A run with no such
   * concurrency has an empty row.
   */
  static Dataset<Row> bestConcurrency(Dataset<Row> results, double targetMs, String stat) {
    String ttft = stat + "_ttft_ms";
    Dataset<Row> meeting = results.where(col(ttft).leq(targetMs)
            .and(col("output_tps_per_gpu").isNotNull()))
        .withColumn("rank", row_number().over(Window.partitionBy(BenchColumns.RUN_DIR)
            .orderBy(col("output_tps_per_gpu").desc(), col(BenchColumns.CONCURRENCY).asc(),
                col(BenchResults.REQUEST_RATE).asc())))
        .where(col("rank").equalTo(1))
        .select(col(BenchColumns.RUN_DIR).as("best_run"), col(BenchColumns.CONCURRENCY),
            col("output_tps_per_gpu"), col(ttft).as("ttft_ms"), col(BenchResults.REQUEST_RATE));
    Dataset<Row> runs = results.select(BenchColumns.JOB_ID, BenchColumns.RUN_DIR).distinct();
    return runs.join(meeting, col(BenchColumns.RUN_DIR).equalTo(col("best_run")), "left")
        .select(col(BenchColumns.JOB_ID), lit(targetMs).as("ttft_target_ms"),
            lit(stat).as("ttft_stat"), col(BenchColumns.CONCURRENCY),
            col("output_tps_per_gpu"), col("ttft_ms"), col(BenchColumns.RUN_DIR),
            col(BenchResults.REQUEST_RATE))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR);
  }
}
