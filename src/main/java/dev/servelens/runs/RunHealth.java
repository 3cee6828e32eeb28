package dev.servelens.runs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Run health and acceptance, one row per run. {@code status}: {@code contaminated} when the KV
 * file holds more than one port or its samples do not span the run's task completions (first
 * sample after the first task, or last sample before the last task); else {@code stuck} when
 * tasks started but never finished and the driver never logged its global evaluation; else
 * {@code incomplete} when driver.log, the KV file or metrics_global.json is missing, fewer trial
 * files than expected exist, or the evaluation line is missing; else {@code ok}.
 */
final class RunHealth {
  private RunHealth() {}

  /**
   * @param runs the current row per run
   * @param metrics {@code run_id, total, ...} from metrics_global.json
   * @param unfinished {@link StuckReport#unfinished}
   * @param files {@code runs_files}: the rows read, kept and rejected of each file of a run
   */
  static Dataset<Row> health(Dataset<Row> runs, Dataset<Row> events, Dataset<Row> usage,
      Dataset<Row> metrics, Dataset<Row> unfinished, Dataset<Row> files, int expectedTrials) {
    Dataset<Row> rejected = files.groupBy(RunsColumns.RUN_ID)
        .agg(sum("rows_rejected").as("rows_rejected"));
    Column fields = col(RunsColumns.FIELDS);
    Dataset<Row> driver = events.where(col(RunsColumns.SOURCE).equalTo(RunsColumns.SOURCE_DRIVER));
    Dataset<Row> eval = driver.where(col(RunsColumns.KIND).equalTo(RunsColumns.EVAL_COMPLETE))
        .groupBy(RunsColumns.RUN_ID).agg(max_by(fields, col(RunsColumns.LINE_NUMBER)).as("eval"));
    Dataset<Row> driverStats = driver.groupBy(RunsColumns.RUN_ID).agg(
        count(when(col(RunsColumns.KIND).equalTo(RunsColumns.ERROR), 1)).as("error_lines"),
        min(when(col(RunsColumns.KIND).equalTo(RunsColumns.TASK_FINISHED), col(RunsColumns.TS_S)))
            .as("first_task_s"),
        max(when(col(RunsColumns.KIND).equalTo(RunsColumns.TASK_FINISHED), col(RunsColumns.TS_S)))
            .as("last_task_s"));
    Dataset<Row> kv = usage.groupBy(RunsColumns.RUN_ID).agg(
        countDistinct(coalesce(col(RunsColumns.PORT), lit(""))).as("kv_ports"),
        min(RunsColumns.TS_UNIX).as("kv_first_s"), max(RunsColumns.TS_UNIX).as("kv_last_s"));
    Column expected = coalesce(col("total").cast("int"), lit(expectedTrials));
    Column covers = col("kv_first_s").leq(col("first_task_s"))
        .and(col("kv_last_s").geq(col("last_task_s")));
    Column kvCovers = when(col("kv_first_s").isNull(), lit(false))
        .when(col("first_task_s").isNull(), lit(true)).otherwise(covers);
    Column hasEval = col("eval").isNotNull();
    Column contaminated = coalesce(col("kv_ports"), lit(0L)).gt(1)
        .or(col("has_kv").and(kvCovers.equalTo(false)));
    Column stuck = coalesce(col("tasks_unfinished"), lit(0L)).gt(0).and(hasEval.equalTo(false));
    Column incomplete = col("has_driver_log").equalTo(false).or(col("has_kv").equalTo(false))
        .or(col("has_metrics_global").equalTo(false)).or(col("trial_files").lt(expected))
        .or(hasEval.equalTo(false));
    return runs.join(metrics.select(RunsColumns.RUN_ID, "total"), RunsColumns.RUN_ID, "left")
        .join(eval, RunsColumns.RUN_ID, "left")
        .join(driverStats, RunsColumns.RUN_ID, "left")
        .join(kv, RunsColumns.RUN_ID, "left")
        .join(unfinished.select(RunsColumns.RUN_ID, "tasks_unfinished"), RunsColumns.RUN_ID,
            "left")
        .join(rejected, RunsColumns.RUN_ID, "left")
        .select(col(RunsColumns.RUN_ID), col("has_kv"), col("has_driver_log"),
            col("has_metrics_global"), col("trial_files"), expected.as("expected_trials"),
            evalField("ok", "long"), evalField("error", "long"), evalField("total", "long"),
            evalField("elapsed_s", "double"), evalField("tasks_per_min", "double"),
            coalesce(col("kv_ports"), lit(0L)).as("kv_ports"), kvCovers.as("kv_covers_window"),
            coalesce(col("error_lines"), lit(0L)).as("error_lines"),
            coalesce(col("rows_rejected"), lit(0L)).as("rows_rejected"),
            coalesce(col("tasks_unfinished"), lit(0L)).as("tasks_unfinished"),
            when(contaminated, lit("contaminated")).when(stuck, lit("stuck"))
                .when(incomplete, lit("incomplete")).otherwise(lit("ok")).as("status"),
            col(RunsColumns.SYSTEM), col(RunsColumns.CONCURRENCY), col("has_tau2_log"))
        .orderBy(RunsColumns.RUN_ID);
  }

  private static Column evalField(String name, String type) {
    return col("eval").getItem(name).cast(type).as("eval_" + name);
  }

  /** Error lines of the driver log by kind: {@code run_id, error_kind, lines}. */
  static Dataset<Row> errors(Dataset<Row> events) {
    return events.where(col(RunsColumns.SOURCE).equalTo(RunsColumns.SOURCE_DRIVER)
            .and(col(RunsColumns.KIND).equalTo(RunsColumns.ERROR)))
        .groupBy(RunsColumns.RUN_ID, RunsColumns.ERROR_KIND).agg(count(lit(1)).as("lines"))
        .orderBy(RunsColumns.RUN_ID, RunsColumns.ERROR_KIND);
  }
}
