package dev.servelens.runs;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
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
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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

  /**
   * Unfinished tasks per run: {@code run_id, tasks_started, tasks_unfinished,
   * unfinished_tasks} for each run with a started task (one with events other than its {@code
   * FINISHED SIMULATION} line, {@code global} excluded); unfinished = started without such a
   * line. Two aggregations, by (run, task) and by run.
   */
  static Dataset<Row> unfinished(Dataset<Row> events) {
    Column task = col(RunsColumns.TASK);
    Column finishedLine = col(RunsColumns.KIND).equalTo(RunsColumns.TASK_FINISHED);
    Column startedLine = task.notEqual("global").and(not(finishedLine));
    Column open = col("started").and(not(col("finished")));
    return events.where(task.isNotNull().and(startedLine.or(finishedLine)))
        .groupBy(RunsColumns.RUN_ID, RunsColumns.TASK)
        .agg(max(startedLine).as("started"), max(finishedLine).as("finished"))
        .groupBy(RunsColumns.RUN_ID)
        .agg(count(when(col("started"), 1)).as("tasks_started"),
            count(when(open, 1)).as("tasks_unfinished"),
            slice(array_sort(collect_list(when(open, task))), 1, LISTED_TASKS)
                .as("unfinished"))
        .where(col("tasks_started").gt(0))
        .select(col(RunsColumns.RUN_ID), col("tasks_started"), col("tasks_unfinished"),
            when(col("tasks_unfinished").gt(0), concat_ws(" ", col("unfinished")))
                .as("unfinished_tasks"));
  }

  /**
   * KV usage around the last good task of each run in {@code lastGood} ({@code run_id,
   * last_good_s}, broadcast): {@code run_id, kv_at_last_task_pct, kv_mean_around_last_task_pct,
   * last_sample_s, stuck_samples, stuck_kv_min_pct, stuck_kv_max_pct, stuck_kv_p50_pct,
   * stuck_kv_p90_pct}, one row per run with usage samples.
   */
  static Dataset<Row> usageAround(Dataset<Row> usage, Dataset<Row> lastGood) {
    Column ts = col(RunsColumns.TS_UNIX);
    Column last = col("last_good_s");
    Column pct = col(RunsColumns.VALUE).multiply(100);
    Column valid = not(isnan(col(RunsColumns.VALUE)));
    Column after = valid.and(ts.gt(last));
    return usage.join(broadcast(lastGood), RunsColumns.RUN_ID)
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
                + " END, array(0.5, 0.9))").as("q"))
        .select(col(RunsColumns.RUN_ID), col("kv_at_last_task_pct"),
            col("kv_mean_around_last_task_pct"), col("last_sample_s"), col("stuck_samples"),
            col("stuck_kv_min_pct"), col("stuck_kv_max_pct"), col("q").getItem(0),
            col("q").getItem(1));
  }

  static final StructType REPORT_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add("tasks_started", DataTypes.LongType)
      .add("tasks_unfinished", DataTypes.LongType)
      .add("unfinished_tasks", DataTypes.StringType)
      .add("last_good_task", DataTypes.TimestampType)
      .add("last_step", DataTypes.TimestampType)
      .add("kv_at_last_task_pct", DataTypes.DoubleType)
      .add("kv_mean_around_last_task_pct", DataTypes.DoubleType)
      .add("last_sample", DataTypes.TimestampType)
      .add("stuck_period_s", DataTypes.LongType)
      .add("stuck_samples", DataTypes.LongType)
      .add("stuck_kv_min_pct", DataTypes.DoubleType)
      .add("stuck_kv_max_pct", DataTypes.DoubleType)
      .add("stuck_kv_p50_pct", DataTypes.DoubleType)
      .add("stuck_kv_p90_pct", DataTypes.DoubleType);

  /**
   * One row per run with unfinished tasks, by run id.
   *
   * @param unfinished {@link #unfinished} rows with unfinished tasks, by run id
   * @param events {@link RunSummaries#events} rows by run id
   * @param around {@link #usageAround} rows by run id
   */
  static List<Row> report(List<Row> unfinished, Map<String, Row> events,
      Map<String, Row> around) {
    List<Row> rows = new ArrayList<>();
    for (Row open : unfinished) {
      String runId = open.getString(0);
      Row summary = events.get(runId);
      Long lastGood = summary == null ? null : (Long) summary.getAs(RunSummaries.LAST_GOOD_S);
      Long lastStep = summary == null ? null : (Long) summary.getAs(RunSummaries.LAST_STEP_S);
      Row kv = around.get(runId);
      Long lastSample = kv == null ? null : (Long) kv.get(3);
      rows.add(RowFactory.create(runId, open.get(1), open.get(2), open.get(3),
          ActiveWindows.timestamp(lastGood), ActiveWindows.timestamp(lastStep),
          kv == null ? null : kv.get(1), kv == null ? null : kv.get(2),
          ActiveWindows.timestamp(lastSample),
          lastSample == null || lastGood == null ? null : (Long) (lastSample - lastGood),
          kv == null ? null : kv.get(4), kv == null ? null : kv.get(5),
          kv == null ? null : kv.get(6), kv == null ? null : kv.get(7),
          kv == null ? null : kv.get(8)));
    }
    return rows;
  }

  /** The KV usage buckets after the last completed task: upper bounds in percent. */
  static final double[] BUCKET_UPPER_PCT = {1, 30, 70};
  static final String[] BUCKETS = {"0_1", "1_30", "30_70", "70_100"};

  /** {@link #usageAfter}'s input: each run's last completed task. */
  static final StructType LAST_TASKS_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add("last_task_s", DataTypes.LongType);

  /**
   * KV usage after the last completed task of each run in {@code lastTasks} ({@link
   * #LAST_TASKS_SCHEMA}, broadcast): {@code run_id, samples} (usage samples that are numbers,
   * strictly after the task's second), one count per bucket of {@link #BUCKETS}, and {@code
   * mean_pct}; one row per run with usage samples, in one aggregation. A sample is in the
   * bucket "above L up to U" as {@link ActiveWindows#above} counts above: 0.70 is in 30-70,
   * 0.01 in 0-1, and 70-100 holds exactly the samples above the default threshold.
   */
  static Dataset<Row> usageAfter(Dataset<Row> usage, Dataset<Row> lastTasks) {
    Column value = col(RunsColumns.VALUE);
    Column after = not(isnan(value)).and(col(RunsColumns.TS_UNIX).gt(col("last_task_s")));
    List<Column> aggregates = new ArrayList<>();
    for (int b = 0; b < BUCKETS.length; b++) {
      Column in = after;
      if (b > 0) {
        in = in.and(ActiveWindows.above(value, lit(BUCKET_UPPER_PCT[b - 1])));
      }
      if (b < BUCKET_UPPER_PCT.length) {
        in = in.and(not(ActiveWindows.above(value, lit(BUCKET_UPPER_PCT[b]))));
      }
      aggregates.add(count(when(in, 1)).as("samples_" + BUCKETS[b]));
    }
    aggregates.add(avg(when(after, value.multiply(100))).as("mean_pct"));
    return usage.join(broadcast(lastTasks), RunsColumns.RUN_ID)
        .groupBy(RunsColumns.RUN_ID)
        .agg(count(when(after, 1)).as("samples"), aggregates.toArray(new Column[0]));
  }

  /** The worklog's stuck count per run, beside KV usage after the last completed task. */
  static final StructType TASKS_SCHEMA = tasksSchema();

  private static StructType tasksSchema() {
    StructType schema = new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType)
        .add(RunsColumns.SYSTEM, DataTypes.StringType)
        .add(RunsColumns.CONCURRENCY, DataTypes.IntegerType)
        .add("expected_tasks", DataTypes.LongType)
        .add("expected_from", DataTypes.StringType)
        .add("completed_tasks", DataTypes.LongType)
        .add("missing_tasks", DataTypes.LongType)
        .add("last_task", DataTypes.TimestampType)
        .add("kv_samples_after_last_task", DataTypes.LongType);
    for (String bucket : BUCKETS) {
      schema = schema.add("kv_after_last_task_" + bucket + "_share", DataTypes.DoubleType);
    }
    return schema.add("kv_after_last_task_mean_pct", DataTypes.DoubleType);
  }

  /**
   * Figure data of {@code missing_tasks}: a row per run of {@code tasks} ({@link #TASKS_SCHEMA}
   * rows): {@code run_id, system, concurrency, missing_tasks}.
   */
  static List<Row> missingFigure(List<Row> tasks) {
    List<Row> rows = new ArrayList<>();
    for (Row task : tasks) {
      rows.add(RowFactory.create(taskValue(task, RunsColumns.RUN_ID),
          taskValue(task, RunsColumns.SYSTEM), taskValue(task, RunsColumns.CONCURRENCY),
          taskValue(task, "missing_tasks")));
    }
    return rows;
  }

  /** A column of a {@link #TASKS_SCHEMA} row made on the driver (rows without a schema). */
  private static Object taskValue(Row task, String column) {
    return task.get(TASKS_SCHEMA.fieldIndex(column));
  }

  static final StructType MISSING_FIGURE_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(RunsColumns.SYSTEM, DataTypes.StringType)
      .add(RunsColumns.CONCURRENCY, DataTypes.IntegerType)
      .add("missing_tasks", DataTypes.LongType);

  /**
   * Figure data of {@code kv_after_last_task}: for each run of {@code tasks} with usage samples
   * after its last task, a row per bucket: {@code run_id, bucket} (e.g. {@code 30-70 %}), {@code
   * share}. The shares of a run add up to 1.
   */
  static List<Row> kvAfterFigure(List<Row> tasks) {
    List<Row> rows = new ArrayList<>();
    for (Row task : tasks) {
      for (String bucket : BUCKETS) {
        Object share = taskValue(task, "kv_after_last_task_" + bucket + "_share");
        if (share != null) {
          rows.add(RowFactory.create(taskValue(task, RunsColumns.RUN_ID),
              bucket.replace('_', '-') + " %", share));
        }
      }
    }
    return rows;
  }

  static final StructType KV_AFTER_FIGURE_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add("bucket", DataTypes.StringType)
      .add("share", DataTypes.DoubleType);

  /**
   * One row per run, in the order of {@code runs}: expected tasks (the {@code total} of its
   * metrics_global.json, else {@code expectedTrials}), completed (driver task completions; null
   * without driver.log), missing = expected - completed, the last completed task and the KV
   * usage after it: the samples, each bucket's share of them and their mean (null without a
   * last task or KV samples; shares and mean null when no sample is after it).
   *
   * @param runs the current row of each run
   * @param events {@link RunSummaries#events} rows by run id
   * @param totals the metrics_global.json {@code total} of each run that has one, by run id
   * @param after {@link #usageAfter} rows by run id
   */
  static List<Row> tasks(List<Row> runs, Map<String, Row> events, Map<String, Long> totals,
      int expectedTrials, Map<String, Row> after) {
    List<Row> rows = new ArrayList<>();
    for (Row run : runs) {
      String runId = run.getAs(RunsColumns.RUN_ID);
      Row summary = events.get(runId);
      Long total = totals.get(runId);
      long expected = total != null ? total : expectedTrials;
      boolean logged = run.<Boolean>getAs("has_driver_log");
      Long completed = !logged ? null
          : summary == null ? (Long) 0L : (Long) summary.getAs(RunSummaries.TASKS_DONE);
      Long lastTask = summary == null ? null : (Long) summary.getAs(RunSummaries.LAST_TASK_S);
      Row kv = lastTask == null ? null : after.get(runId);
      long samples = kv == null ? 0L : kv.getLong(1);
      Object[] values = new Object[TASKS_SCHEMA.size()];
      values[0] = runId;
      values[1] = run.getAs(RunsColumns.SYSTEM);
      values[2] = run.getAs(RunsColumns.CONCURRENCY);
      values[3] = expected;
      values[4] = total != null ? "metrics_global.json" : "--expected-trials";
      values[5] = completed;
      values[6] = completed == null ? null : (Long) (expected - completed);
      values[7] = ActiveWindows.timestamp(lastTask);
      values[8] = kv == null ? null : (Long) samples;
      for (int b = 0; b < BUCKETS.length; b++) {
        values[9 + b] = samples == 0 ? null : (Double) (kv.getLong(2 + b) / (double) samples);
      }
      values[9 + BUCKETS.length] = samples == 0 ? null : kv.get(2 + BUCKETS.length);
      rows.add(RowFactory.create(values));
    }
    return rows;
  }
}
