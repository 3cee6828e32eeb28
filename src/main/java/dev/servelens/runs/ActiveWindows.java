package dev.servelens.runs;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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

  /** A one-column table of thresholds (percent), for a broadcast cross join. */
  static Dataset<Row> thresholds(SparkSession spark, List<Double> values) {
    List<Row> rows = new ArrayList<>();
    for (double value : values) {
      rows.add(RowFactory.create(value));
    }
    return spark.createDataFrame(rows, new StructType().add(THRESHOLD, DataTypes.DoubleType));
  }

  /** Whether a usage sample is above the threshold column, as the reference scripts count. */
  static Column above(Column value, Column thresholdPct) {
    return not(isnan(value)).and(value.multiply(100).gt(thresholdPct));
  }

  /**
   * @param runs {@code run_id, ...} one row per run
   * @param usage KV usage samples {@code run_id, ts_unix, value}
   * @return one row per run and threshold: {@code run_id, threshold_pct, window_start_s,
   *     window_end_s, window_s, samples_above} (bounds null without an active window)
   */
  static Dataset<Row> windows(Dataset<Row> runs, Dataset<Row> usage, Dataset<Row> thresholds) {
    Dataset<Row> aboveT = usage.crossJoin(broadcast(thresholds))
        .where(above(col(RunsColumns.VALUE), col(THRESHOLD)))
        .groupBy(RunsColumns.RUN_ID, THRESHOLD)
        .agg(min(RunsColumns.TS_UNIX).as("first_above"), max(RunsColumns.TS_UNIX).as("last_above"),
            count(lit(1)).as(SAMPLES_ABOVE));
    Column valid = col(SAMPLES_ABOVE).geq(2);
    return runs.select(RunsColumns.RUN_ID).crossJoin(broadcast(thresholds))
        .join(aboveT, columns(RunsColumns.RUN_ID, THRESHOLD), "left")
        .select(col(RunsColumns.RUN_ID), col(THRESHOLD),
            when(valid, col("first_above")).as(START_S),
            when(valid, col("last_above")).as(END_S),
            when(valid, col("last_above").minus(col("first_above"))).as(WINDOW_S),
            coalesce(col(SAMPLES_ABOVE), lit(0L)).as(SAMPLES_ABOVE));
  }

  /**
   * Task and step times for the throughput tables: {@code run_id, measure, t, n} (events per
   * second), from the driver log only.
   */
  static Dataset<Row> marks(Dataset<Row> events) {
    Dataset<Row> driver = events.where(col(RunsColumns.SOURCE).equalTo(RunsColumns.SOURCE_DRIVER));
    Dataset<Row> tasks = driver.where(col(RunsColumns.KIND).equalTo(RunsColumns.TASK_FINISHED))
        .select(col(RunsColumns.RUN_ID), lit(TASKS).as(MEASURE), col(RunsColumns.TS_S).as(T));
    Dataset<Row> steps = driver.where(col(RunsColumns.KIND).equalTo(RunsColumns.STEP_COMPLETE)
            .and(col(RunsColumns.TAG_TS_S).isNotNull()))
        .select(col(RunsColumns.RUN_ID), lit(STEPS).as(MEASURE), col(RunsColumns.TAG_TS_S).as(T));
    return tasks.unionByName(steps).groupBy(RunsColumns.RUN_ID, MEASURE, T)
        .agg(count(lit(1)).as("n"));
  }

  /**
   * Tasks and steps before, in and after each window, with the first and last task: {@code
   * run_id, threshold_pct, tasks_before, tasks_in, tasks_after, steps_before, steps_in,
   * steps_after, first_task_s, last_task_s}. Without a window every event counts as none of
   * the three (nulls).
   */
  static Dataset<Row> counts(Dataset<Row> windows, Dataset<Row> marks) {
    Column start = col(START_S);
    Column end = col(END_S);
    Column t = col(T);
    List<Column> aggregates = new ArrayList<>();
    for (String measure : new String[] {TASKS, STEPS}) {
      Column of = col(MEASURE).equalTo(measure);
      aggregates.add(sum(when(of.and(t.lt(start)), col("n"))).as(measure + "_before"));
      aggregates.add(sum(when(of.and(t.geq(start)).and(t.leq(end)), col("n"))).as(measure + "_in"));
      aggregates.add(sum(when(of.and(t.gt(end)), col("n"))).as(measure + "_after"));
    }
    aggregates.add(min(when(col(MEASURE).equalTo(TASKS), t)).as("first_task_s"));
    aggregates.add(max(when(col(MEASURE).equalTo(TASKS), t)).as("last_task_s"));
    Dataset<Row> counted = windows.join(marks, RunsColumns.RUN_ID)
        .groupBy(RunsColumns.RUN_ID, THRESHOLD)
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]));
    Dataset<Row> joined = windows.join(counted, columns(RunsColumns.RUN_ID, THRESHOLD), "left");
    for (String column : new String[] {"tasks_before", "tasks_in", "tasks_after", "steps_before",
        "steps_in", "steps_after"}) {
      joined = joined.withColumn(column, when(start.isNotNull(), coalesce(col(column), lit(0L))));
    }
    return joined;
  }

  /**
   * The active-window table: {@code run_id, system, concurrency, threshold_pct, window_start,
   * window_end, window_s, tasks_in_window, steps_in_window, tasks_per_min, steps_per_s,
   * samples_above, note}.
   */
  static Dataset<Row> throughput(Dataset<Row> runs, Dataset<Row> counts) {
    Column windowS = col(WINDOW_S).cast(DataTypes.DoubleType);
    Column positive = windowS.gt(0);
    // Without driver.log the run's tasks and steps are unknown, not zero: a zero would pull
    // its system down in the comparison tables.
    Column logged = col("has_driver_log");
    Column tasks = when(logged, col("tasks_in"));
    Column steps = when(logged, col("steps_in"));
    return runs.select(RunsColumns.RUN_ID, RunsColumns.SYSTEM, RunsColumns.CONCURRENCY,
            "has_driver_log")
        .join(counts, RunsColumns.RUN_ID)
        .select(col(RunsColumns.RUN_ID), col(RunsColumns.SYSTEM), col(RunsColumns.CONCURRENCY),
            col(THRESHOLD), timestamp_seconds(col(START_S)).as("window_start"),
            timestamp_seconds(col(END_S)).as("window_end"), col(WINDOW_S),
            tasks.as("tasks_in_window"), steps.as("steps_in_window"),
            when(positive, tasks.divide(windowS.divide(60))).as("tasks_per_min"),
            when(positive, steps.divide(windowS)).as("steps_per_s"),
            col(SAMPLES_ABOVE),
            when(col(START_S).isNull(), lit("no active window (fewer than two samples above T)"))
                .when(windowS.equalTo(0), lit("window of zero seconds"))
                .when(not(logged), lit("no driver.log: tasks and steps unknown")).as("note"));
  }

  /** The outside breakdown table of OUTPUTS.md. */
  static Dataset<Row> breakdown(Dataset<Row> counts) {
    return counts.select(col(RunsColumns.RUN_ID),
        timestamp_seconds(col("first_task_s")).as("first_task"),
        timestamp_seconds(col(START_S)).as("window_start"),
        timestamp_seconds(col(END_S)).as("window_end"),
        timestamp_seconds(col("last_task_s")).as("last_task"),
        col("last_task_s").minus(col(END_S)).as("gap_end_to_last_task_s"),
        col("tasks_before"), col("tasks_in"), col("tasks_after"), col("steps_before"),
        col("steps_in"), col("steps_after"));
  }

  /** Column names as the Scala sequence {@code Dataset.join} takes. */
  static scala.collection.Seq<String> columns(String... columns) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(columns)).toSeq();
  }
}
