package dev.servelens.runs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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

  static final StructType SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add("has_kv", DataTypes.BooleanType)
      .add("has_driver_log", DataTypes.BooleanType)
      .add("has_metrics_global", DataTypes.BooleanType)
      .add("trial_files", DataTypes.IntegerType)
      .add("expected_trials", DataTypes.IntegerType)
      .add("eval_ok", DataTypes.LongType)
      .add("eval_error", DataTypes.LongType)
      .add("eval_total", DataTypes.LongType)
      .add("eval_elapsed_s", DataTypes.DoubleType)
      .add("eval_tasks_per_min", DataTypes.DoubleType)
      .add("kv_ports", DataTypes.LongType)
      .add("kv_covers_window", DataTypes.BooleanType)
      .add("error_lines", DataTypes.LongType)
      .add("rows_rejected", DataTypes.LongType)
      .add("tasks_unfinished", DataTypes.LongType)
      .add("status", DataTypes.StringType)
      .add(RunsColumns.SYSTEM, DataTypes.StringType)
      .add(RunsColumns.CONCURRENCY, DataTypes.IntegerType)
      .add("has_tau2_log", DataTypes.BooleanType);

  /**
   * Rejected rows per run from {@code runs_files}: {@code run_id, rows_rejected}.
   */
  static Dataset<Row> rejected(Dataset<Row> files) {
    return files.groupBy(RunsColumns.RUN_ID).agg(sum("rows_rejected").as("rows_rejected"));
  }

  /**
   * One row per run (and per metrics_global.json row of the run, as a join gives them), in the
   * order of {@code runs}.
   *
   * @param runs the current row per run, by run id
   * @param totals the {@code total} of each metrics_global.json row, by run id
   * @param events {@link RunSummaries#events} rows by run id
   * @param usage {@link RunSummaries#usage} rows by run id ({@code kv_ports, kv_first_s,
   *     kv_last_s} last)
   * @param unfinished {@link StuckReport#unfinished} rows by run id
   * @param rejected {@link #rejected} rows by run id
   */
  static List<Row> health(List<Row> runs, Map<String, List<Long>> totals,
      Map<String, Row> events, Map<String, Row> usage, Map<String, Row> unfinished,
      Map<String, Row> rejected, int expectedTrials) {
    List<Row> rows = new ArrayList<>();
    List<Long> none = java.util.Collections.singletonList(null);
    for (Row run : runs) {
      String runId = run.getAs(RunsColumns.RUN_ID);
      Row summary = events.get(runId);
      Row kv = usage.get(runId);
      Row open = unfinished.get(runId);
      Row rows_rejected = rejected.get(runId);
      boolean hasKv = run.getAs("has_kv");
      boolean hasDriverLog = run.getAs("has_driver_log");
      boolean hasMetrics = run.getAs("has_metrics_global");
      int trialFiles = run.getAs("trial_files");
      Long kvPorts = kv == null ? null : kv.getLong(kv.size() - 3);
      Long kvFirst = kv == null ? null : kv.getLong(kv.size() - 2);
      Long kvLast = kv == null ? null : kv.getLong(kv.size() - 1);
      Long firstTask = summary == null ? null : (Long) summary.getAs(RunSummaries.FIRST_TASK_S);
      Long lastTask = summary == null ? null : (Long) summary.getAs(RunSummaries.LAST_TASK_S);
      boolean hasEval = summary != null && summary.<Boolean>getAs(RunSummaries.HAS_EVAL);
      long tasksUnfinished = open == null ? 0L : open.getLong(2);
      boolean kvCovers = kvFirst == null ? false
          : firstTask == null ? true
          : kvFirst <= firstTask && lastTask != null && kvLast >= lastTask;
      boolean contaminated = (kvPorts == null ? 0L : kvPorts) > 1 || (hasKv && !kvCovers);
      boolean stuck = tasksUnfinished > 0 && !hasEval;
      for (Long total : totals.getOrDefault(runId, none)) {
        int expected = total == null ? expectedTrials : (int) (long) total;
        boolean incomplete = !hasDriverLog || !hasKv || !hasMetrics || trialFiles < expected
            || !hasEval;
        Object[] values = new Object[SCHEMA.size()];
        values[0] = runId;
        values[1] = hasKv;
        values[2] = hasDriverLog;
        values[3] = hasMetrics;
        values[4] = trialFiles;
        values[5] = expected;
        for (int f = 0; f < RunSummaries.EVAL_FIELDS.length; f++) {
          values[6 + f] = summary == null ? null
              : summary.get(summary.fieldIndex("eval_" + RunSummaries.EVAL_FIELDS[f]));
        }
        values[11] = kvPorts == null ? 0L : kvPorts;
        values[12] = kvCovers;
        values[13] = summary == null ? 0L : summary.<Long>getAs(RunSummaries.ERROR_LINES);
        values[14] = rows_rejected == null || rows_rejected.isNullAt(1) ? 0L
            : rows_rejected.getLong(1);
        values[15] = tasksUnfinished;
        values[16] = contaminated ? "contaminated" : stuck ? "stuck"
            : incomplete ? "incomplete" : "ok";
        values[17] = run.getAs(RunsColumns.SYSTEM);
        values[18] = run.getAs(RunsColumns.CONCURRENCY);
        values[19] = run.getAs("has_tau2_log");
        rows.add(RowFactory.create(values));
      }
    }
    return rows;
  }

  /** Error lines of the driver log by kind: {@code run_id, error_kind, lines} (unordered). */
  static Dataset<Row> errors(Dataset<Row> events) {
    return events.where(col(RunsColumns.SOURCE).equalTo(RunsColumns.SOURCE_DRIVER)
            .and(col(RunsColumns.KIND).equalTo(RunsColumns.ERROR)))
        .groupBy(RunsColumns.RUN_ID, RunsColumns.ERROR_KIND).agg(count(lit(1)).as("lines"));
  }
}
