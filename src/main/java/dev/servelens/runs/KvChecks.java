package dev.servelens.runs;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** KV usage checks and figure data: the after-cutoff check and the thinned usage series. */
final class KvChecks {
  private KvChecks() {}

  /** Points per run in the usage figure at most. */
  static final int FIGURE_POINTS = 2000;
  /** Points of the usage figure in all at most (about): many runs get fewer points each. */
  static final int FIGURE_TOTAL_POINTS = 100_000;
  /** Points per run at least, however many runs. */
  static final int FIGURE_MIN_POINTS = 20;

  /** Points per run for {@code runs} runs: bounded in all (the figure's data is). */
  static int pointsPerRun(long runs) {
    long share = FIGURE_TOTAL_POINTS / Math.max(1, runs);
    return (int) Math.max(FIGURE_MIN_POINTS, Math.min(FIGURE_POINTS, share));
  }

  /**
   * Did usage exceed T at or after the cutoff? One row per run with KV samples: {@code run_id,
   * cutoff, threshold_pct, samples_after, samples_above_after, max_usage_pct_after,
   * first_above_after, last_above_after, exceeded}.
   */
  static Dataset<Row> afterCutoff(Dataset<Row> usage, long cutoffSeconds, double threshold) {
    Column after = col(RunsColumns.TS_UNIX).geq(cutoffSeconds);
    Column aboveAfter = after.and(ActiveWindows.above(col(RunsColumns.VALUE), lit(threshold)));
    Column valid = not(isnan(col(RunsColumns.VALUE)));
    return usage.groupBy(RunsColumns.RUN_ID).agg(
            count(when(after, 1)).as("samples_after"),
            count(when(aboveAfter, 1)).as("samples_above_after"),
            max(when(after.and(valid), col(RunsColumns.VALUE).multiply(100)))
                .as("max_usage_pct_after"),
            min(when(aboveAfter, col(RunsColumns.TS_UNIX))).as("first_above_s"),
            max(when(aboveAfter, col(RunsColumns.TS_UNIX))).as("last_above_s"))
        .select(col(RunsColumns.RUN_ID), timestamp_seconds(lit(cutoffSeconds)).as("cutoff"),
            lit(threshold).as(ActiveWindows.THRESHOLD), col("samples_after"),
            col("samples_above_after"), col("max_usage_pct_after"),
            timestamp_seconds(col("first_above_s")).as("first_above_after"),
            timestamp_seconds(col("last_above_s")).as("last_above_after"),
            col("samples_above_after").gt(0).as("exceeded"))
        .orderBy(RunsColumns.RUN_ID);
  }

  /**
   * KV usage over time per run, every k-th sample so a run has at most about {@code points}
   * points, plus its last: {@code run_id, t_s} (seconds since the run's first sample), {@code
   * usage_pct, port}. NaN samples are left out.
   */
  static Dataset<Row> usageFigure(Dataset<Row> usage, int points) {
    Dataset<Row> valid = usage.where(not(isnan(col(RunsColumns.VALUE))));
    Column order = row_number().over(Window.partitionBy(RunsColumns.RUN_ID)
        .orderBy(RunsColumns.TS_UNIX, RunsColumns.PORT, RunsColumns.LINE_NUMBER));
    Dataset<Row> counts = valid.groupBy(RunsColumns.RUN_ID).agg(count(lit(1)).as("n"),
        min(RunsColumns.TS_UNIX).as("first_s"));
    Column every = ceil(col("n").divide(points));
    return valid.withColumn("i", order).join(counts, RunsColumns.RUN_ID)
        .where(col("i").minus(1).mod(every).equalTo(0).or(col("i").equalTo(col("n"))))
        .select(col(RunsColumns.RUN_ID), col(RunsColumns.TS_UNIX).minus(col("first_s")).as("t_s"),
            col(RunsColumns.VALUE).multiply(100).as("usage_pct"), col(RunsColumns.PORT))
        .orderBy(RunsColumns.RUN_ID, "t_s");
  }
}
