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
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

  /** {@code run_id, edge, steps_in_window, steps_per_s, window_s, source}; edge {@code all} too. */
  static Dataset<Row> edges(Dataset<Row> inWindow) {
    Dataset<Row> steps = inWindow.where(col(RunsColumns.KIND).equalTo(RunsColumns.STEP_COMPLETE));
    Dataset<Row> byEdge = steps.groupBy(col(RunsColumns.RUN_ID), col(RunsColumns.EDGE),
        col(ActiveWindows.WINDOW_S), col("bottleneck_source")).agg(count(lit(1)).as("n"));
    Dataset<Row> all = steps.groupBy(col(RunsColumns.RUN_ID), lit("all").as(RunsColumns.EDGE),
        col(ActiveWindows.WINDOW_S), col("bottleneck_source")).agg(count(lit(1)).as("n"));
    Column windowS = col(ActiveWindows.WINDOW_S).cast("double");
    return byEdge.unionByName(all).select(col(RunsColumns.RUN_ID), col(RunsColumns.EDGE),
        col("n").as("steps_in_window"),
        when(windowS.gt(0), col("n").divide(windowS)).as("steps_per_s"),
        col(ActiveWindows.WINDOW_S), col("bottleneck_source").as(RunsColumns.SOURCE));
  }

  /**
   * {@code run_id, kind, n, mean_s, p50_s, p90_s, p99_s, max_s, over_<tail>s..., source} for
   * the latency kinds; calls without a duration are skipped.
   */
  static Dataset<Row> latency(Dataset<Row> inWindow, List<Double> tails) {
    Dataset<Row> calls = calls(inWindow);
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(avg(RunsColumns.DURATION_S).as("mean_s"));
    aggregates.add(expr("percentile(" + RunsColumns.DURATION_S + ", array(0.5, 0.9, 0.99))")
        .as("q"));
    aggregates.add(max(RunsColumns.DURATION_S).as("max_s"));
    for (double tail : tails) {
      aggregates.add(sum(when(col(RunsColumns.DURATION_S).gt(tail), 1).otherwise(0))
          .as(tailColumn(tail)));
    }
    Dataset<Row> grouped = calls.groupBy(col(RunsColumns.RUN_ID), col(RunsColumns.KIND),
        col("bottleneck_source")).agg(count(lit(1)).as("n"), aggregates.toArray(new Column[0]));
    List<Column> select = new ArrayList<>(List.of(col(RunsColumns.RUN_ID), col(RunsColumns.KIND),
        col("n"), col("mean_s"), col("q").getItem(0).as("p50_s"),
        col("q").getItem(1).as("p90_s"), col("q").getItem(2).as("p99_s"), col("max_s")));
    for (double tail : tails) {
      select.add(col(tailColumn(tail)).cast("long"));
    }
    select.add(col("bottleneck_source").as(RunsColumns.SOURCE));
    return grouped.select(select.toArray(new Column[0]));
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
