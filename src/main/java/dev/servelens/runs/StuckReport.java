package dev.servelens.runs;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Tasks that started (have profiling events under their id) but never finished (no {@code
 * FINISHED SIMULATION} with domain_task id), the last good task (the last completion), KV usage
 * around it (the last sample at or before it, the mean within +-{@link #AROUND_S} s) and KV
 * usage during the stuck period, from the last good task to the last sample.
 */
final class StuckReport {
  private StuckReport() {}

  static final long AROUND_S = 60;
  static final int LISTED_TASKS = 20;

  /** Unfinished tasks per run: {@code run_id, tasks_started, tasks_unfinished, unfinished}. */
  static Dataset<Row> unfinished(Dataset<Row> events) {
    Column task = col(RunsColumns.TASK);
    Dataset<Row> started = events.where(task.isNotNull().and(task.notEqual("global"))
            .and(col(RunsColumns.KIND).notEqual(RunsColumns.TASK_FINISHED)))
        .select(RunsColumns.RUN_ID, RunsColumns.TASK).distinct();
    Dataset<Row> finished = events.where(col(RunsColumns.KIND).equalTo(RunsColumns.TASK_FINISHED))
        .select(RunsColumns.RUN_ID, RunsColumns.TASK).distinct();
    Dataset<Row> open = started.join(finished,
        ActiveWindows.columns(RunsColumns.RUN_ID, RunsColumns.TASK), "left_anti");
    return started.groupBy(RunsColumns.RUN_ID).agg(count(lit(1)).as("tasks_started"))
        .join(open.groupBy(RunsColumns.RUN_ID).agg(count(lit(1)).as("tasks_unfinished"),
            concat_ws(" ", slice(array_sort(collect_list(task)), 1, LISTED_TASKS))
                .as("unfinished_tasks")), RunsColumns.RUN_ID, "left")
        .withColumn("tasks_unfinished", coalesce(col("tasks_unfinished"), lit(0L)));
  }

  /** One row per run with unfinished tasks. */
  static Dataset<Row> report(Dataset<Row> events, Dataset<Row> usage, Dataset<Row> unfinished) {
    Dataset<Row> lastGood = events.where(col(RunsColumns.KIND).equalTo(RunsColumns.TASK_FINISHED))
        .groupBy(RunsColumns.RUN_ID).agg(max(RunsColumns.TS_S).as("last_good_s"));
    Dataset<Row> lastStep = events.where(col(RunsColumns.KIND).equalTo(RunsColumns.STEP_COMPLETE))
        .groupBy(RunsColumns.RUN_ID).agg(max(RunsColumns.TS_S).as("last_step_s"));
    Column ts = col(RunsColumns.TS_UNIX);
    Column last = col("last_good_s");
    Column pct = col(RunsColumns.VALUE).multiply(100);
    Column valid = not(isnan(col(RunsColumns.VALUE)));
    Column after = valid.and(ts.gt(last));
    Dataset<Row> kv = usage.join(lastGood, RunsColumns.RUN_ID)
        .groupBy(RunsColumns.RUN_ID)
        .agg(max_by(when(valid.and(ts.leq(last)), pct), when(valid.and(ts.leq(last)), ts))
                .as("kv_at_last_task_pct"),
            avg(when(valid.and(ts.between(last.minus(AROUND_S), last.plus(AROUND_S))), pct))
                .as("kv_mean_around_last_task_pct"),
            max(ts).as("last_sample_s"),
            count(when(after, 1)).as("stuck_samples"),
            min(when(after, pct)).as("stuck_kv_min_pct"),
            max(when(after, pct)).as("stuck_kv_max_pct"),
            expr("percentile(CASE WHEN NOT isnan(value) AND ts_unix > last_good_s THEN value * 100"
                + " END, array(0.5, 0.9))").as("q"));
    return unfinished.where(col("tasks_unfinished").gt(0))
        .join(lastGood, RunsColumns.RUN_ID, "left")
        .join(lastStep, RunsColumns.RUN_ID, "left")
        .join(kv, RunsColumns.RUN_ID, "left")
        .select(col(RunsColumns.RUN_ID), col("tasks_started"), col("tasks_unfinished"),
            col("unfinished_tasks"), timestamp_seconds(last).as("last_good_task"),
            timestamp_seconds(col("last_step_s")).as("last_step"),
            col("kv_at_last_task_pct"), col("kv_mean_around_last_task_pct"),
            timestamp_seconds(col("last_sample_s")).as("last_sample"),
            col("last_sample_s").minus(last).as("stuck_period_s"), col("stuck_samples"),
            col("stuck_kv_min_pct"), col("stuck_kv_max_pct"),
            col("q").getItem(0).as("stuck_kv_p50_pct"), col("q").getItem(1).as("stuck_kv_p90_pct"))
        .orderBy(RunsColumns.RUN_ID);
  }
}
