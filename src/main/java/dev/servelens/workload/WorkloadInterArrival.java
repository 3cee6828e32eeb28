package dev.servelens.workload;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import dev.servelens.stats.PreviousValues;
import dev.servelens.stats.RunningSum;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The inter-arrival analyses (SPEC 2.W.4): gaps between consecutive request starts within a
 * series (a model, all requests, or a user), raised to at least 1 ms; their exact CDF and
 * quantiles, box statistics per hour of day and per date, lag-1 Pearson and Spearman
 * correlation, and the heatmap of consecutive pairs. Consecutive requests are found with
 * {@link PreviousValues}, so a model holding most of the traffic is spread over many tasks.
 */
final class WorkloadInterArrival {
  private WorkloadInterArrival() {}

  static final String GAP = "gap_s";
  static final String PREVIOUS_GAP = "previous_gap_s";
  static final String STARTED_US = "started_us";
  /** Gaps are raised to this, in microseconds (1 ms), so log scales work. */
  static final long MIN_GAP_MICROS = 1_000L;
  static final double HEATMAP_MIN_S = 1e-3;
  static final double HEATMAP_MAX_S = 1e4;
  static final int HEATMAP_BINS = 50;

  /**
   * One row per request that has a predecessor in its series: {@code series, started_us,
   * gap_s, previous_gap_s (null for the first gap), hour, date}.
   *
   * @param series the series expression, e.g. the model column or {@code lit("*")}
   */
  static Dataset<Row> gaps(Dataset<Row> requests, Column series, int partitions) {
    Dataset<Row> starts =
        requests
            .select(series.as(Distributions.SERIES),
                expr("unix_micros(" + WorkloadColumns.STARTED_AT + ")").as(STARTED_US))
            .where(col(Distributions.SERIES).isNotNull().and(col(STARTED_US).isNotNull()));
    Dataset<Row> withPrevious =
        PreviousValues.compute(starts, Distributions.SERIES, STARTED_US, partitions);
    Column previous = col(PreviousValues.PREVIOUS);
    Column previous2 = col(PreviousValues.PREVIOUS2);
    return withPrevious
        .where(previous.isNotNull())
        .select(
            col(Distributions.SERIES),
            col(STARTED_US),
            previous,
            greatest(col(STARTED_US).minus(previous), lit(MIN_GAP_MICROS)).divide(1e6).as(GAP),
            when(previous2.isNotNull(),
                greatest(previous.minus(previous2), lit(MIN_GAP_MICROS)).divide(1e6))
                .as(PREVIOUS_GAP))
        .withColumn("hour", hour(expr("timestamp_micros(" + STARTED_US + ")")))
        .withColumn(WorkloadColumns.DATE, to_date(expr("timestamp_micros(" + STARTED_US + ")")));
  }

  /** The exact CDF of the gaps per series. */
  static Dataset<Row> cdf(Dataset<Row> gaps, int partitions) {
    return Distributions.cdf(
        gaps.select(col(Distributions.SERIES), col(GAP).as(Distributions.VALUE)), partitions);
  }

  /**
   * {@code model, n_gaps, mean_s, p50_s, p90_s, p99_s, cv, pearson_lag1, spearman_lag1}. The
   * correlations pair each gap with the next one (x = gaps[0..n-2], y = gaps[1..n-1]);
   * Spearman ranks x and y separately with ties given their average rank.
   */
  static Dataset<Row> stats(Dataset<Row> gaps, Dataset<Row> cdf) {
    Dataset<Row> moments =
        gaps.groupBy(Distributions.SERIES)
            .agg(count(lit(1)).as("n_gaps"), avg(GAP).as("mean_s"),
                stddev_pop(GAP).as("std_s"), corr(PREVIOUS_GAP, GAP).as("pearson_lag1"));
    Dataset<Row> quantiles =
        Distributions.quantiles(cdf, 0.5, 0.9, 0.99)
            .groupBy(Distributions.SERIES)
            .pivot("q", java.util.List.of(0.5, 0.9, 0.99))
            .agg(expr("first(value)"));
    quantiles = quantiles.toDF(Distributions.SERIES, "p50_s", "p90_s", "p99_s");
    return moments
        .join(quantiles, Distributions.SERIES)
        .join(spearman(gaps, cdf), scalaSeq(Distributions.SERIES), "left")
        .select(
            col(Distributions.SERIES).as("model"), col("n_gaps"), col("mean_s"), col("p50_s"),
            col("p90_s"), col("p99_s"), col("std_s").divide(col("mean_s")).as("cv"),
            col("pearson_lag1"), col("spearman_lag1"))
        .orderBy("model");
  }

  /** {@code series, spearman_lag1}, from average ranks read off the exact CDF. */
  static Dataset<Row> spearman(Dataset<Row> gaps, Dataset<Row> cdf) {
    Dataset<Row> ends =
        gaps.groupBy(Distributions.SERIES)
            .agg(
                max_by(col(GAP), when(col(PREVIOUS_GAP).isNull(), 1).otherwise(0)).as("g_first"),
                max_by(col(GAP), struct(col(STARTED_US), col(PreviousValues.PREVIOUS)))
                    .as("g_last"));
    Dataset<Row> ranks =
        cdf.select(
                col(Distributions.SERIES),
                col(Distributions.VALUE),
                col(RunningSum.CUMULATIVE).minus(col(Distributions.COUNT)).as("less"),
                col(Distributions.COUNT).as("equal"))
            .join(broadcast(ends), Distributions.SERIES);
    Dataset<Row> rankX = ranks.select(col(Distributions.SERIES), col(Distributions.VALUE)
        .as("x"), averageRank("g_last").as("rank_x"));
    Dataset<Row> rankY = ranks.select(col(Distributions.SERIES), col(Distributions.VALUE)
        .as("y"), averageRank("g_first").as("rank_y"));
    Dataset<Row> pairs =
        gaps.where(col(PREVIOUS_GAP).isNotNull())
            .select(col(Distributions.SERIES), col(PREVIOUS_GAP).as("x"), col(GAP).as("y"));
    return pairs
        .join(rankX, scalaSeq(Distributions.SERIES, "x"))
        .join(rankY, scalaSeq(Distributions.SERIES, "y"))
        .groupBy(Distributions.SERIES)
        .agg(corr("rank_x", "rank_y").as("spearman_lag1"));
  }

  /** The average rank of a value among all gaps but the one named by {@code excluded}. */
  private static Column averageRank(String excluded) {
    Column value = col(Distributions.VALUE);
    Column less = col("less").minus(when(col(excluded).lt(value), 1).otherwise(0));
    Column equal = col("equal").minus(when(col(excluded).equalTo(value), 1).otherwise(0));
    return less.plus(equal.plus(1).divide(2.0));
  }

  private static scala.collection.Seq<String> scalaSeq(String... names) {
    return scala.collection.JavaConverters.asScalaBuffer(java.util.List.of(names)).toSeq();
  }

  /**
   * The heatmap of (gap, next gap): both clipped to [1e-3, 1e4] s, binned on log10 of
   * milliseconds into 50 x 50 bins. {@code series, x_bin, y_bin, x_lo, x_hi, y_lo, y_hi}
   * (bin edges in seconds), {@code count, probability} (joint, sums to 1 per series) and
   * {@code conditional_probability} = P(next bin | current bin). Empty bins are left out.
   */
  static Dataset<Row> heatmap(Dataset<Row> gaps) {
    double lowLog = Math.log10(HEATMAP_MIN_S * 1000);
    double width = (Math.log10(HEATMAP_MAX_S * 1000) - lowLog) / HEATMAP_BINS;
    Dataset<Row> binned =
        gaps.where(col(PREVIOUS_GAP).isNotNull())
            .select(col(Distributions.SERIES), bin(col(PREVIOUS_GAP), lowLog, width).as("x_bin"),
                bin(col(GAP), lowLog, width).as("y_bin"));
    Dataset<Row> counts = binned.groupBy(Distributions.SERIES, "x_bin", "y_bin")
        .agg(count(lit(1)).as("count"));
    Dataset<Row> totals = counts.groupBy(Distributions.SERIES).agg(sum("count").as("pairs"));
    Dataset<Row> rows = counts.groupBy(Distributions.SERIES, "x_bin")
        .agg(sum("count").as("row_pairs"));
    return counts
        .join(broadcast(totals), Distributions.SERIES)
        .join(rows, scalaSeq(Distributions.SERIES, "x_bin"))
        .select(
            col(Distributions.SERIES), col("x_bin"), col("y_bin"),
            edge(col("x_bin"), lowLog, width).as("x_lo"),
            edge(col("x_bin").plus(1), lowLog, width).as("x_hi"),
            edge(col("y_bin"), lowLog, width).as("y_lo"),
            edge(col("y_bin").plus(1), lowLog, width).as("y_hi"),
            col("count"),
            col("count").divide(col("pairs")).as("probability"),
            col("count").divide(col("row_pairs")).as("conditional_probability"))
        .orderBy(Distributions.SERIES, "x_bin", "y_bin");
  }

  private static Column bin(Column seconds, double lowLog, double width) {
    Column clipped = least(greatest(seconds, lit(HEATMAP_MIN_S)), lit(HEATMAP_MAX_S));
    Column logMillis = log10(clipped.multiply(1000));
    return least(floor(logMillis.minus(lowLog).divide(width)), lit(HEATMAP_BINS - 1L))
        .cast("int");
  }

  private static Column edge(Column bin, double lowLog, double width) {
    return pow(lit(10.0), bin.multiply(width).plus(lowLog)).divide(1000);
  }
}
