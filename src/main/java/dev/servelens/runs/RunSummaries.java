package dev.servelens.runs;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import dev.servelens.io.SparkValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The per-run results the agentic tables are built from, each gathered in one Spark
 * aggregation over the growing tables (KV usage samples, events) and brought to the driver:
 * they hold a handful of values per run (per run and threshold at most), so their size does
 * not grow with the events or samples. The small tables are then built from them on the
 * driver, without another pass over the data.
 */
final class RunSummaries {
  private RunSummaries() {}

  /** {@link ActiveWindows#windows}'s columns. */
  static final StructType WINDOWS_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(ActiveWindows.THRESHOLD, DataTypes.DoubleType)
      .add(ActiveWindows.START_S, DataTypes.LongType)
      .add(ActiveWindows.END_S, DataTypes.LongType)
      .add(ActiveWindows.WINDOW_S, DataTypes.LongType)
      .add(ActiveWindows.SAMPLES_ABOVE, DataTypes.LongType);

  static final String[] COUNT_COLUMNS = {"tasks_before", "tasks_in", "tasks_after",
      "steps_before", "steps_in", "steps_after"};

  /** {@link ActiveWindows#counts}'s columns: the windows, the counts, first and last task. */
  static final StructType COUNTS_SCHEMA = counts();

  private static StructType counts() {
    StructType schema = WINDOWS_SCHEMA;
    for (String column : COUNT_COLUMNS) {
      schema = schema.add(column, DataTypes.LongType);
    }
    return schema.add("first_task_s", DataTypes.LongType).add("last_task_s", DataTypes.LongType);
  }

  /** Rows built on the driver as a dataset (a local relation: no Spark job to read). */
  static Dataset<Row> local(SparkSession spark, List<Row> rows, StructType schema) {
    return spark.createDataFrame(rows, schema);
  }

  private static Map<String, Row> byRun(Dataset<Row> aggregated) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : aggregated.collectAsList()) {
      rows.put(row.getString(0), row);
    }
    return rows;
  }

  /** Column of threshold {@code i}'s aggregate {@code name}. */
  private static String at(String name, int i) {
    return name + "_" + i;
  }

  /**
   * One row per run with usage samples: for every threshold i {@code first_above_i,
   * last_above_i, samples_above_i} (a sample is above as in {@link ActiveWindows#above}), and
   * {@code kv_ports, kv_first_s, kv_last_s} over all its usage samples. One Spark action.
   */
  static Map<String, Row> usage(Dataset<Row> usage, List<Double> thresholds) {
    List<Column> aggregates = new ArrayList<>();
    Column ts = col(RunsColumns.TS_UNIX);
    for (int i = 0; i < thresholds.size(); i++) {
      Column above = ActiveWindows.above(col(RunsColumns.VALUE), lit(thresholds.get(i)));
      aggregates.add(min(when(above, ts)).as(at("first_above", i)));
      aggregates.add(max(when(above, ts)).as(at("last_above", i)));
      aggregates.add(count(when(above, 1)).as(at("samples_above", i)));
    }
    // The ports of a run are few: a set of them needs no second aggregation, as a distinct
    // count would.
    aggregates.add(size(collect_set(coalesce(col(RunsColumns.PORT), lit("")))).cast("long")
        .as("kv_ports"));
    aggregates.add(min(ts).as("kv_first_s"));
    aggregates.add(max(ts).as("kv_last_s"));
    return byRun(usage.groupBy(RunsColumns.RUN_ID).agg(aggregates.get(0),
        aggregates.subList(1, aggregates.size()).toArray(new Column[0])));
  }

  /**
   * {@link #WINDOWS_SCHEMA} rows, one per run and threshold (runs in the given order,
   * thresholds ascending): the window is [first, last] second above T when at least two samples
   * are above, else no window.
   */
  static List<Row> windows(List<String> runIds, List<Double> thresholds,
      Map<String, Row> usage) {
    List<Row> rows = new ArrayList<>();
    for (String runId : runIds) {
      Row summary = usage.get(runId);
      for (int i = 0; i < thresholds.size(); i++) {
        long samples = summary == null ? 0L : summary.getLong(1 + 3 * i + 2);
        boolean valid = samples >= 2;
        Long first = valid ? summary.getLong(1 + 3 * i) : null;
        Long last = valid ? summary.getLong(1 + 3 * i + 1) : null;
        rows.add(RowFactory.create(runId, thresholds.get(i), first, last,
            valid ? (Long) (last - first) : null, samples));
      }
    }
    return rows;
  }

  /** Field names of the events summary after {@code run_id}. */
  static final String HAS_TAU2 = "has_tau2";
  static final String LAST_GOOD_S = "last_good_s";
  static final String LAST_STEP_S = "last_step_s";
  static final String HAS_EVAL = "has_eval";
  static final String HAS_DRIVER = "has_driver_events";
  static final String ERROR_LINES = "error_lines";
  static final String FIRST_TASK_S = "first_task_s";
  static final String LAST_TASK_S = "last_task_s";
  static final String[] EVAL_FIELDS = {"ok", "error", "total", "elapsed_s", "tasks_per_min"};
  static final String[] EVAL_TYPES = {"long", "long", "long", "double", "double"};

  /**
   * One row per run with events, in one Spark action over the events: whether it has
   * tau2_global.log events, its last task completion and last step (any source); from its
   * driver.log: the newest evaluation line's fields ({@code eval_*}), error lines, first and last
   * task, task completions ({@link #TASKS_DONE}, last); and for every threshold i the tasks and steps before, in and after the window
   * ({@code tasks_before_i ... steps_after_i}, 0 where the run has no window; the caller turns
   * those into nulls). Tasks are at their line's time, steps at their tag's time, as in {@link
   * ActiveWindows#marks}.
   *
   * @param windows {@link #WINDOWS_SCHEMA} rows of every run and threshold
   */
  static Map<String, Row> events(SparkSession spark, Dataset<Row> events, List<Row> windows,
      List<Double> thresholds) {
    // The windows of each run side by side: run_id, start_0, end_0, start_1, ...
    StructType wideSchema = new StructType().add(RunsColumns.RUN_ID, DataTypes.StringType);
    for (int i = 0; i < thresholds.size(); i++) {
      wideSchema = wideSchema.add(at("start", i), DataTypes.LongType)
          .add(at("end", i), DataTypes.LongType);
    }
    Map<String, Object[]> wide = new java.util.LinkedHashMap<>();
    for (Row window : windows) {
      Object[] values = wide.computeIfAbsent(window.getString(0),
          id -> new Object[1 + 2 * thresholds.size()]);
      values[0] = window.getString(0);
      int i = thresholds.indexOf(window.getDouble(1));
      values[1 + 2 * i] = window.get(2);
      values[2 + 2 * i] = window.get(3);
    }
    List<Row> wideRows = new ArrayList<>();
    for (Object[] values : wide.values()) {
      wideRows.add(RowFactory.create(values));
    }
    Column kind = col(RunsColumns.KIND);
    Column ts = col(RunsColumns.TS_S);
    Column driver = col(RunsColumns.SOURCE).equalTo(RunsColumns.SOURCE_DRIVER);
    Column finished = kind.equalTo(RunsColumns.TASK_FINISHED);
    Column driverTask = driver.and(finished);
    Column driverStep = driver.and(kind.equalTo(RunsColumns.STEP_COMPLETE))
        .and(col(RunsColumns.TAG_TS_S).isNotNull());
    Column evalLine = driver.and(kind.equalTo(RunsColumns.EVAL_COMPLETE));
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(max(when(col(RunsColumns.SOURCE).equalTo(RunsColumns.SOURCE_TAU2), 1)
        .otherwise(0)).as(HAS_TAU2));
    aggregates.add(max(when(finished, ts)).as(LAST_GOOD_S));
    aggregates.add(max(when(kind.equalTo(RunsColumns.STEP_COMPLETE), ts)).as(LAST_STEP_S));
    aggregates.add(max_by(when(evalLine, col(RunsColumns.FIELDS)),
        when(evalLine, col(RunsColumns.LINE_NUMBER))).as("eval"));
    aggregates.add(max(when(driver, 1).otherwise(0)).as(HAS_DRIVER));
    aggregates.add(count(when(driver.and(kind.equalTo(RunsColumns.ERROR)), 1)).as(ERROR_LINES));
    aggregates.add(min(when(driverTask, ts)).as(FIRST_TASK_S));
    aggregates.add(max(when(driverTask, ts)).as(LAST_TASK_S));
    List<Column> select = new ArrayList<>(List.of(col(RunsColumns.RUN_ID), col(HAS_TAU2),
        col(LAST_GOOD_S), col(LAST_STEP_S), col("eval").isNotNull().as(HAS_EVAL)));
    for (int f = 0; f < EVAL_FIELDS.length; f++) {
      select.add(col("eval").getItem(EVAL_FIELDS[f]).cast(EVAL_TYPES[f])
          .as("eval_" + EVAL_FIELDS[f]));
    }
    select.addAll(List.of(col(HAS_DRIVER), col(ERROR_LINES), col(FIRST_TASK_S),
        col(LAST_TASK_S)));
    Column tagTs = col(RunsColumns.TAG_TS_S);
    for (int i = 0; i < thresholds.size(); i++) {
      Column start = col(at("start", i));
      Column end = col(at("end", i));
      for (String measure : new String[] {ActiveWindows.TASKS, ActiveWindows.STEPS}) {
        Column of = measure.equals(ActiveWindows.TASKS) ? driverTask : driverStep;
        Column t = measure.equals(ActiveWindows.TASKS) ? ts : tagTs;
        aggregates.add(count(when(of.and(t.lt(start)), 1)).as(at(measure + "_before", i)));
        aggregates.add(count(when(of.and(t.geq(start)).and(t.leq(end)), 1))
            .as(at(measure + "_in", i)));
        aggregates.add(count(when(of.and(t.gt(end)), 1)).as(at(measure + "_after", i)));
        select.add(col(at(measure + "_before", i)));
        select.add(col(at(measure + "_in", i)));
        select.add(col(at(measure + "_after", i)));
      }
    }
    // Error lines of the driver log by kind: one count per kind, and the lines of any other
    // kind (none from this version's ingest), for which the caller falls back to a query.
    Column error = driver.and(kind.equalTo(RunsColumns.ERROR));
    Column errorKind = col(RunsColumns.ERROR_KIND);
    for (String known : ErrorKinds.KINDS) {
      aggregates.add(count(when(error.and(errorKind.equalTo(known)), 1)).as("errors_" + known));
      select.add(col("errors_" + known));
    }
    aggregates.add(count(when(error.and(errorKind.isNull()
        .or(not(errorKind.isin((Object[]) ErrorKinds.KINDS)))), 1)).as(OTHER_ERRORS));
    select.add(col(OTHER_ERRORS));
    aggregates.add(count(when(driverTask, 1)).as(TASKS_DONE));
    select.add(col(TASKS_DONE));
    Dataset<Row> joined = events.join(broadcast(local(spark, wideRows, wideSchema)),
        SparkValues.columns(RunsColumns.RUN_ID), "left");
    return byRun(joined.groupBy(RunsColumns.RUN_ID)
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
        .select(select.toArray(new Column[0])));
  }

  static final String OTHER_ERRORS = "errors_of_other_kinds";
  /** The driver's task completions ({@code FINISHED SIMULATION} lines with a time). */
  static final String TASKS_DONE = "tasks_done";

  /** Position of the first threshold count column in an {@link #events} row. */
  static final int FIRST_COUNT = 5 + EVAL_FIELDS.length + 4;

  /** The run errors table's columns. */
  static final StructType ERRORS_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(RunsColumns.ERROR_KIND, DataTypes.StringType)
      .add("lines", DataTypes.LongType);

  /**
   * Error lines of the driver log by kind, {@code run_id, error_kind, lines}, by run and kind,
   * from {@link #events} rows; null when a run has error lines of a kind not in {@link
   * ErrorKinds#KINDS}.
   */
  static List<Row> errors(Map<String, Row> events) {
    List<Row> rows = new ArrayList<>();
    for (String runId : new java.util.TreeSet<>(events.keySet())) {
      Row summary = events.get(runId);
      if (summary.<Long>getAs(OTHER_ERRORS) > 0) {
        return null;
      }
      for (String known : ErrorKinds.KINDS) {
        long lines = summary.getAs("errors_" + known);
        if (lines > 0) {
          rows.add(RowFactory.create(runId, known, lines));
        }
      }
    }
    return rows;
  }

  /**
   * {@link #COUNTS_SCHEMA} rows: each window with its tasks and steps before, in and after it
   * (null without a window, 0 when the run has a window but no such events) and the run's
   * first and last driver task.
   */
  static List<Row> counts(List<Row> windows, List<Double> thresholds, Map<String, Row> events) {
    List<Row> rows = new ArrayList<>();
    for (Row window : windows) {
      Row summary = events.get(window.getString(0));
      int i = thresholds.indexOf(window.getDouble(1));
      boolean hasWindow = !window.isNullAt(2);
      Object[] values = new Object[COUNTS_SCHEMA.size()];
      for (int c = 0; c < WINDOWS_SCHEMA.size(); c++) {
        values[c] = window.get(c);
      }
      for (int c = 0; c < COUNT_COLUMNS.length; c++) {
        values[WINDOWS_SCHEMA.size() + c] = !hasWindow ? null
            : summary == null ? (Object) 0L
            : (Object) summary.getLong(FIRST_COUNT + COUNT_COLUMNS.length * i + c);
      }
      values[values.length - 2] = summary == null ? null : summary.get(FIRST_COUNT - 2);
      values[values.length - 1] = summary == null ? null : summary.get(FIRST_COUNT - 1);
      rows.add(RowFactory.create(values));
    }
    return rows;
  }
}
