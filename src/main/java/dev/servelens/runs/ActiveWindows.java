package dev.servelens.runs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
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
 * Active windows and the throughput inside them, for every run and threshold at once. A KV
 * sample is above T when {@code value * 100 > T} (NaN never is; all ports merged); the window
 * is [first, last] second above T, and needs at least two samples above T (else the run has
 * "no active window"). Tasks are driver {@code FINISHED SIMULATION} times; steps the driver's
 * {@code [PROFILE]} step_complete times; both count inside when start <= t <= end.
 */
final class ActiveWindows {
  private ActiveWindows() {}

  static final String THRESHOLD = "threshold_pct";
  static final String START_S = "window_start_s";
  static final String END_S = "window_end_s";
  static final String WINDOW_S = "window_s";
  static final String SAMPLES_ABOVE = "samples_above";
  static final String MEASURE = "measure";
  static final String T = "t";
  static final String TASKS = "tasks";
  static final String STEPS = "steps";
  /** The whole-run rate of the run's {@code metrics_global.json}, beside the window's. */
  static final String TASKS_PER_MIN_WHOLE_RUN = "tasks_per_min_whole_run";

  /** Whether a usage sample is above the threshold column, as the reference scripts count. */
  static Column above(Column value, Column thresholdPct) {
    return not(isnan(value)).and(value.multiply(100).gt(thresholdPct));
  }

  /** The active-window table's columns (one row per run and threshold). */
  static final StructType THROUGHPUT_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(RunsColumns.SYSTEM, DataTypes.StringType)
      .add(RunsColumns.CONCURRENCY, DataTypes.IntegerType)
      .add(THRESHOLD, DataTypes.DoubleType)
      .add("window_start", DataTypes.TimestampType)
      .add("window_end", DataTypes.TimestampType)
      .add(WINDOW_S, DataTypes.LongType)
      .add("tasks_in_window", DataTypes.LongType)
      .add("steps_in_window", DataTypes.LongType)
      .add("tasks_per_min", DataTypes.DoubleType)
      .add("steps_per_s", DataTypes.DoubleType)
      .add(SAMPLES_ABOVE, DataTypes.LongType)
      .add("note", DataTypes.StringType)
      .add(TASKS_PER_MIN_WHOLE_RUN, DataTypes.DoubleType);

  /**
   * Figure data comparing the two rates of each run of {@code throughput} ({@link
   * #THROUGHPUT_SCHEMA} rows) that has both: {@code run_id, system, concurrency,
   * tasks_per_min_whole_run, tasks_per_min}.
   */
  static List<Row> wholeRunFigure(List<Row> throughput) {
    int whole = THROUGHPUT_SCHEMA.fieldIndex(TASKS_PER_MIN_WHOLE_RUN);
    int window = THROUGHPUT_SCHEMA.fieldIndex("tasks_per_min");
    List<Row> rows = new ArrayList<>();
    for (Row row : throughput) {
      if (!row.isNullAt(whole) && !row.isNullAt(window)) {
        rows.add(RowFactory.create(row.get(0), row.get(1), row.get(2), row.get(whole),
            row.get(window)));
      }
    }
    return rows;
  }

  static final StructType WHOLE_RUN_FIGURE_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(RunsColumns.SYSTEM, DataTypes.StringType)
      .add(RunsColumns.CONCURRENCY, DataTypes.IntegerType)
      .add(TASKS_PER_MIN_WHOLE_RUN, DataTypes.DoubleType)
      .add("tasks_per_min", DataTypes.DoubleType);

  /**
   * The active-window table: {@code run_id, system, concurrency, threshold_pct, window_start,
   * window_end, window_s, tasks_in_window, steps_in_window, tasks_per_min, steps_per_s,
   * samples_above, note, tasks_per_min_whole_run}, one row per {@link
   * RunSummaries#COUNTS_SCHEMA} row, in their order.
   *
   * @param runs the current row of each run, by run id
   * @param wholeRun the {@code tasks_per_min} of each run's {@code metrics_global.json}, by run
   *     id (no entry: unknown)
   */
  static List<Row> throughput(Map<String, Row> runs, List<Row> counts,
      Map<String, Double> wholeRun) {
    List<Row> rows = new ArrayList<>();
    for (Row count : counts) {
      Row run = runs.get(count.getString(0));
      if (run == null) {
        continue;
      }
      Long start = (Long) count.get(2);
      Long windowSeconds = (Long) count.get(4);
      Double windowS = windowSeconds == null ? null : windowSeconds.doubleValue();
      boolean positive = windowS != null && windowS > 0;
      // Without driver.log the run's tasks and steps are unknown, not zero: a zero would pull
      // its system down in the comparison tables.
      boolean logged = run.<Boolean>getAs("has_driver_log");
      Long tasks = logged ? (Long) count.get(7) : null;
      Long steps = logged ? (Long) count.get(10) : null;
      String note = start == null ? "no active window (fewer than two samples above T)"
          : windowS == 0 ? "window of zero seconds"
          : !logged ? "no driver.log: tasks and steps unknown" : null;
      rows.add(RowFactory.create(count.getString(0), run.getAs(RunsColumns.SYSTEM),
          run.getAs(RunsColumns.CONCURRENCY), count.get(1), timestamp(start),
          timestamp((Long) count.get(3)), windowSeconds, tasks, steps,
          positive && tasks != null ? (Double) (tasks / (windowS / 60)) : null,
          positive && steps != null ? (Double) (steps / windowS) : null, count.get(5), note,
          wholeRun.get(count.getString(0))));
    }
    return rows;
  }

  /** The outside breakdown table's columns. */
  static final StructType BREAKDOWN_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add("first_task", DataTypes.TimestampType)
      .add("window_start", DataTypes.TimestampType)
      .add("window_end", DataTypes.TimestampType)
      .add("last_task", DataTypes.TimestampType)
      .add("gap_end_to_last_task_s", DataTypes.LongType)
      .add("tasks_before", DataTypes.LongType)
      .add("tasks_in", DataTypes.LongType)
      .add("tasks_after", DataTypes.LongType)
      .add("steps_before", DataTypes.LongType)
      .add("steps_in", DataTypes.LongType)
      .add("steps_after", DataTypes.LongType);

  /** The outside breakdown table of OUTPUTS.md, from counts rows of one threshold. */
  static List<Row> breakdown(List<Row> counts) {
    List<Row> rows = new ArrayList<>();
    for (Row count : counts) {
      Long end = (Long) count.get(3);
      Long lastTask = (Long) count.get(count.size() - 1);
      Object[] values = new Object[BREAKDOWN_SCHEMA.size()];
      values[0] = count.getString(0);
      values[1] = timestamp((Long) count.get(count.size() - 2));
      values[2] = timestamp((Long) count.get(2));
      values[3] = timestamp(end);
      values[4] = timestamp(lastTask);
      values[5] = end == null || lastTask == null ? null : (Long) (lastTask - end);
      for (int c = 0; c < RunSummaries.COUNT_COLUMNS.length; c++) {
        values[6 + c] = count.get(RunSummaries.WINDOWS_SCHEMA.size() + c);
      }
      rows.add(RowFactory.create(values));
    }
    return rows;
  }

  /** Epoch seconds as Spark's {@code timestamp_seconds} gives them, or null. */
  static Timestamp timestamp(Long seconds) {
    return seconds == null ? null : new Timestamp(seconds * 1000);
  }

  /**
   * Task and step times from the driver log only: {@code run_id, measure, t, n}, one row per
   * task or step with {@code n} 1 (the bootstrap's bins count them; no aggregation here).
   */
  static Dataset<Row> marks(Dataset<Row> events) {
    Dataset<Row> driver = events.where(col(RunsColumns.SOURCE).equalTo(RunsColumns.SOURCE_DRIVER));
    Dataset<Row> tasks = driver.where(col(RunsColumns.KIND).equalTo(RunsColumns.TASK_FINISHED))
        .select(col(RunsColumns.RUN_ID), lit(TASKS).as(MEASURE), col(RunsColumns.TS_S).as(T),
            lit(1L).as("n"));
    Dataset<Row> steps = driver.where(col(RunsColumns.KIND).equalTo(RunsColumns.STEP_COMPLETE)
            .and(col(RunsColumns.TAG_TS_S).isNotNull()))
        .select(col(RunsColumns.RUN_ID), lit(STEPS).as(MEASURE), col(RunsColumns.TAG_TS_S).as(T),
            lit(1L).as("n"));
    return tasks.unionByName(steps);
  }
}
