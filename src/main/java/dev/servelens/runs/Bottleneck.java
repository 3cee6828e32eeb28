package dev.servelens.runs;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bottleneck inside each run's active window: steps per second by role edge, latency
 * distributions of the orchestrator, user-simulator and expert calls, and the slowest calls.
 * Events come from {@code logs/tau2_global.log} at the first timestamp of their line; a run
 * without that log falls back to {@code driver.log}, and the {@code source} column says so.
 * Quantiles interpolate linearly between order statistics (numpy's default).
 */
final class Bottleneck {
  private Bottleneck() {}

  static final String[] LATENCY_KINDS = {RunsColumns.LLM_CALL, RunsColumns.USER_SIM,
      RunsColumns.EXPERT_CALL};
  static final String FALLBACK = "driver (no tau2_global.log)";

  /** Columns of the windows {@link #inWindow} takes. */
  static final StructType WINDOWS_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(ActiveWindows.START_S, DataTypes.LongType)
      .add(ActiveWindows.END_S, DataTypes.LongType)
      .add(ActiveWindows.WINDOW_S, DataTypes.LongType)
      .add(RunSummaries.HAS_TAU2, DataTypes.IntegerType);

  /**
   * Events of each run's bottleneck source inside its window.
   *
   * @param windows {@link #WINDOWS_SCHEMA}: the window of each run with one at the main
   *     threshold and events, and whether it has tau2_global.log events (1) or not (0); a few
   *     rows per run, broadcast
   * @return the events plus {@code window_s} and {@code bottleneck_source}
   */
  static Dataset<Row> inWindow(Dataset<Row> events, Dataset<Row> windows) {
    Column tau2 = col(RunSummaries.HAS_TAU2).equalTo(1);
    return events.join(broadcast(windows), RunsColumns.RUN_ID)
        .where(col(RunsColumns.SOURCE).equalTo(when(tau2, lit(RunsColumns.SOURCE_TAU2))
            .otherwise(lit(RunsColumns.SOURCE_DRIVER))))
        .where(col(RunsColumns.TS_S).between(col(ActiveWindows.START_S),
            col(ActiveWindows.END_S)))
        .withColumn("bottleneck_source", when(tau2, lit(RunsColumns.SOURCE_TAU2))
            .otherwise(lit(FALLBACK)));
  }

  /**
   * Steps by edge and the latency aggregates of the calls in one aggregation over the events in
   * the window (one pass for both tables): per run, kind and edge (null for calls) {@code
   * run_id, kind, edge, window_s, bottleneck_source, n, mean_s, q (p50, p90, p99), max_s,
   * over_<tail>s...}; the duration aggregates of step rows are null. A few rows per run.
   */
  static Dataset<Row> stepsAndLatency(Dataset<Row> inWindow, List<Double> tails) {
    Column kind = col(RunsColumns.KIND);
    Column isCall = kind.isin((Object[]) LATENCY_KINDS);
    Column duration = when(isCall, col(RunsColumns.DURATION_S));
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(avg(duration).as("mean_s"));
    aggregates.add(expr("percentile(CASE WHEN " + RunsColumns.KIND + " != '"
        + RunsColumns.STEP_COMPLETE + "' THEN " + RunsColumns.DURATION_S
        + " END, array(0.5, 0.9, 0.99))").as("q"));
    aggregates.add(max(duration).as("max_s"));
    for (double tail : tails) {
      aggregates.add(sum(when(duration.gt(tail), 1).otherwise(0)).cast("long")
          .as(tailColumn(tail)));
    }
    return inWindow.where(kind.equalTo(RunsColumns.STEP_COMPLETE)
            .or(isCall.and(col(RunsColumns.DURATION_S).isNotNull())))
        .groupBy(col(RunsColumns.RUN_ID), kind, col(RunsColumns.EDGE),
            col(ActiveWindows.WINDOW_S), col("bottleneck_source"))
        .agg(count(lit(1)).as("n"), aggregates.toArray(new Column[0]));
  }

  /** The edges table's columns. */
  static final StructType EDGES_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(RunsColumns.EDGE, DataTypes.StringType)
      .add("steps_in_window", DataTypes.LongType)
      .add("steps_per_s", DataTypes.DoubleType)
      .add(ActiveWindows.WINDOW_S, DataTypes.LongType)
      .add(RunsColumns.SOURCE, DataTypes.StringType);

  /**
   * {@code run_id, edge, steps_in_window, steps_per_s, window_s, source} with edge {@code all}
   * too, by run and edge, from {@link #stepsAndLatency} rows.
   */
  static List<Row> edges(List<Row> summary) {
    Map<String, Row> all = new TreeMap<>();
    Map<String, Long> allSteps = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (Row row : summary) {
      if (!RunsColumns.STEP_COMPLETE.equals(row.getString(1))) {
        continue;
      }
      String runId = row.getString(0);
      long n = row.getLong(5);
      rows.add(edge(runId, row.getString(2), n, row));
      all.putIfAbsent(runId, row);
      allSteps.merge(runId, n, Long::sum);
    }
    for (Map.Entry<String, Row> entry : all.entrySet()) {
      rows.add(edge(entry.getKey(), "all", allSteps.get(entry.getKey()), entry.getValue()));
    }
    return RunsAnalyzeJob.sorted(rows, 0, 1);
  }

  private static Row edge(String runId, String edge, long n, Row row) {
    Long windowS = row.isNullAt(3) ? null : row.getLong(3);
    return RowFactory.create(runId, edge, n,
        windowS != null && windowS > 0 ? (Double) (n / windowS.doubleValue()) : null, windowS,
        row.getString(4));
  }

  /** The latency table's columns for {@code tails}. */
  static StructType latencySchema(List<Double> tails) {
    StructType schema = new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType)
        .add(RunsColumns.KIND, DataTypes.StringType)
        .add("n", DataTypes.LongType)
        .add("mean_s", DataTypes.DoubleType)
        .add("p50_s", DataTypes.DoubleType)
        .add("p90_s", DataTypes.DoubleType)
        .add("p99_s", DataTypes.DoubleType)
        .add("max_s", DataTypes.DoubleType);
    for (double tail : tails) {
      schema = schema.add(tailColumn(tail), DataTypes.LongType);
    }
    return schema.add(RunsColumns.SOURCE, DataTypes.StringType);
  }

  /**
   * {@code run_id, kind, n, mean_s, p50_s, p90_s, p99_s, max_s, over_<tail>s..., source} for
   * the latency kinds, by run and kind, from {@link #stepsAndLatency} rows.
   */
  static List<Row> latency(List<Row> summary, int tails) {
    List<Row> rows = new ArrayList<>();
    for (Row row : summary) {
      if (RunsColumns.STEP_COMPLETE.equals(row.getString(1))) {
        continue;
      }
      List<Object> q = row.isNullAt(7) ? null : row.getList(7);
      Object[] values = new Object[9 + tails];
      values[0] = row.getString(0);
      values[1] = row.getString(1);
      values[2] = row.getLong(5);
      values[3] = row.get(6);
      for (int k = 0; k < 3; k++) {
        values[4 + k] = q == null ? null : q.get(k);
      }
      values[7] = row.get(8);
      for (int t = 0; t < tails; t++) {
        values[8 + t] = row.get(9 + t);
      }
      values[8 + tails] = row.getString(4);
      rows.add(RowFactory.create(values));
    }
    return RunsAnalyzeJob.sorted(rows, 0, 1);
  }

  /** {@code over_300s} for 300, {@code over_2.5s} for 2.5. */
  static String tailColumn(double tail) {
    return "over_" + (tail == Math.rint(tail) ? String.valueOf((long) tail)
        : String.valueOf(tail)) + "s";
  }

  /** The {@code topN} slowest calls per run and kind, slowest first. */
  static Dataset<Row> slowest(Dataset<Row> inWindow, int topN) {
    Column rank = row_number().over(Window.partitionBy(RunsColumns.RUN_ID, RunsColumns.KIND)
        .orderBy(col(RunsColumns.DURATION_S).desc(), col(RunsColumns.LINE_NUMBER)));
    return calls(inWindow).withColumn("rank", rank).where(col("rank").leq(topN))
        .select(col(RunsColumns.RUN_ID), col(RunsColumns.KIND), col("rank"),
            col(RunsColumns.DURATION_S), col(RunsColumns.TASK), col(RunsColumns.STEP),
            timestamp_seconds(col(RunsColumns.TS_S)).as(RunsColumns.TS), col(RunsColumns.MODEL),
            col(RunsColumns.CALL_TYPE), col("bottleneck_source").as(RunsColumns.SOURCE),
            col(RunsColumns.LINE_NUMBER));
  }

  private static Dataset<Row> calls(Dataset<Row> inWindow) {
    return inWindow.where(col(RunsColumns.KIND).isin((Object[]) LATENCY_KINDS)
        .and(col(RunsColumns.DURATION_S).isNotNull()));
  }
}
