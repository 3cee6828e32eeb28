package dev.servelens.stats;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Exact and bounded-size distributions over Datasets: CDFs from frequency tables, exact
 * quantiles read off them, thinning to a plottable number of points, log-spaced ranks and box
 * statistics. Column names of the results: {@code series, value, count, cumulative, total,
 * cdf}.
 */
public final class Distributions {
  private Distributions() {}

  public static final String SERIES = "series";
  public static final String VALUE = "value";
  public static final String COUNT = "count";
  public static final String TOTAL = "total";
  public static final String CDF = "cdf";

  /** Points kept per series by {@link #thin}: one per 1/POINTS step of probability. */
  public static final int CDF_POINTS = 1000;
  /** Ranks kept per decade by {@link #logSpacedRanks}. */
  public static final int RANKS_PER_DECADE = 100;
  /** Rank accuracy of approximate percentiles (relative rank error 1 / this). */
  public static final int PERCENTILE_ACCURACY = 10_000;

  /**
   * The exact CDF of a value per series.
   *
   * @param values rows with columns {@code series} and {@code value} (one row per observation)
   * @return one row per (series, distinct value): {@code series, value, count, cumulative,
   *     total, cdf} where cdf = P(X <= value)
   */
  public static Dataset<Row> cdf(Dataset<Row> values, int partitions) {
    Dataset<Row> frequencies =
        values.groupBy(SERIES, VALUE).agg(count(lit(1)).as(COUNT));
    return cdfOfFrequencies(frequencies, partitions);
  }

  /** Like {@link #cdf} from a frequency table {@code series, value, count}. */
  public static Dataset<Row> cdfOfFrequencies(Dataset<Row> frequencies, int partitions) {
    Dataset<Row> totals = frequencies.groupBy(SERIES).agg(sum(COUNT).as(TOTAL));
    Dataset<Row> running =
        RunningSum.compute(
            frequencies, SERIES, List.of(frequencies.col(VALUE)), COUNT, partitions);
    return running
        .join(broadcast(totals), SERIES)
        .select(
            col(SERIES),
            col(VALUE),
            col(COUNT),
            col(RunningSum.CUMULATIVE),
            col(TOTAL),
            col(RunningSum.CUMULATIVE).divide(col(TOTAL)).as(CDF));
  }

  /**
   * Exact quantiles: for each q, the smallest value v with CDF(v) >= q.
   *
   * @return {@code series, q, value}, one row per series and q
   */
  public static Dataset<Row> quantiles(Dataset<Row> cdf, double... qs) {
    List<Column> aggregates = new ArrayList<>();
    for (int i = 0; i < qs.length; i++) {
      aggregates.add(
          min(when(col(RunningSum.CUMULATIVE).geq(col(TOTAL).multiply(qs[i])), col(VALUE)))
              .as("q" + i));
    }
    Dataset<Row> wide =
        cdf.groupBy(SERIES).agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
            .toArray(new Column[0]));
    Dataset<Row> result = null;
    for (int i = 0; i < qs.length; i++) {
      Dataset<Row> one = wide.select(col(SERIES), lit(qs[i]).as("q"), col("q" + i).as(VALUE));
      result = result == null ? one : result.unionByName(one);
    }
    return result;
  }

  /**
   * At most about {@link #CDF_POINTS} points per series: the first point, and each point whose
   * CDF crosses into a new 1/{@link #CDF_POINTS} step (so the last point, CDF 1, is kept).
   */
  public static Dataset<Row> thin(Dataset<Row> cdf) {
    Column step = floor(col(CDF).multiply(CDF_POINTS));
    Column previousStep =
        floor(col(RunningSum.CUMULATIVE).minus(col(COUNT)).divide(col(TOTAL)).multiply(CDF_POINTS));
    return cdf.where(step.notEqual(previousStep).or(col(RunningSum.CUMULATIVE).equalTo(col(COUNT))));
  }

  /**
   * Whether {@link #thin} keeps the point of a value whose count is {@code count} and whose
   * running count is {@code cumulative}, of {@code total} observations: the same arithmetic.
   */
  public static boolean keepsPoint(long cumulative, long count, long total) {
    double step = Math.floor((double) cumulative / (double) total * CDF_POINTS);
    double previousStep = Math.floor((double) (cumulative - count) / (double) total * CDF_POINTS);
    return step != previousStep || cumulative == count;
  }

  /** Whether a running count of {@code cumulative} reaches quantile q of {@code total}. */
  public static boolean reaches(long cumulative, long total, double q) {
    return (double) cumulative >= (double) total * q;
  }

  /**
   * A Spark condition on a CDF ({@code count, cumulative, total}): the points {@link #thin}
   * keeps, and for each q the point where the running count first reaches q of the total
   * (the exact quantile). Few rows per series pass it, so they can be collected.
   */
  public static Column thinnedOrQuantile(double... qs) {
    Column cumulative = col(RunningSum.CUMULATIVE);
    Column before = cumulative.minus(col(COUNT));
    Column step = floor(cumulative.divide(col(TOTAL)).multiply(CDF_POINTS));
    Column previousStep = floor(before.divide(col(TOTAL)).multiply(CDF_POINTS));
    Column keep = step.notEqual(previousStep).or(cumulative.equalTo(col(COUNT)));
    for (double q : qs) {
      Column threshold = col(TOTAL).multiply(q);
      keep = keep.or(cumulative.geq(threshold).and(before.lt(threshold)));
    }
    return keep;
  }

  /** Whether {@link #logSpacedRanks} keeps {@code rank} of {@code lastRank} ranks. */
  public static boolean keepsRank(long rank, long lastRank) {
    if (rank == 1 || rank == lastRank) {
      return true;
    }
    return Math.floor(StrictMath.log10(rank) * RANKS_PER_DECADE)
        != Math.floor(StrictMath.log10(rank - 1) * RANKS_PER_DECADE);
  }

  /**
   * A rank after {@code rank} and no later than the next rank {@link #keepsRank} keeps on
   * account of its log bucket (a little before the bucket boundary, so rounding cannot skip it).
   */
  static long nextRankCandidate(long rank) {
    double bucket = Math.floor(StrictMath.log10(rank) * RANKS_PER_DECADE);
    long boundary = (long) Math.floor(StrictMath.pow(10, (bucket + 1) / RANKS_PER_DECADE));
    return Math.max(rank + 1, boundary - 2);
  }

  /**
   * Keeps rank 1, the last rank and about {@link #RANKS_PER_DECADE} ranks per decade between
   * them, so a rank plot stays small on log axes whatever the number of ranks.
   */
  public static Dataset<Row> logSpacedRanks(Dataset<Row> ranked, String rank, long lastRank) {
    Column bucket = floor(log10(col(rank)).multiply(RANKS_PER_DECADE));
    Column previousBucket = floor(log10(col(rank).minus(1)).multiply(RANKS_PER_DECADE));
    return ranked.where(
        col(rank).equalTo(1).or(col(rank).equalTo(lastRank)).or(bucket.notEqual(previousBucket)));
  }

  /**
   * Box statistics of {@code value} per group: {@code p5, p25, p50, p75, p95} (approximate
   * percentiles, relative rank error 1/{@link #PERCENTILE_ACCURACY}, exact for small groups),
   * {@code mean} and {@code n}.
   */
  public static Dataset<Row> boxStats(Dataset<Row> rows, String value, String... groups) {
    Column[] groupColumns = new Column[groups.length];
    for (int i = 0; i < groups.length; i++) {
      groupColumns[i] = col(groups[i]);
    }
    Column v = col(value);
    Dataset<Row> aggregated =
        rows.groupBy(groupColumns)
            .agg(percentiles(v, 0.05, 0.25, 0.50, 0.75, 0.95).as("_p"), avg(v).as("mean"),
                count(v).as("n"));
    List<Column> select = new ArrayList<>();
    for (String group : groups) {
      select.add(col(group));
    }
    String[] names = {"p5", "p25", "p50", "p75", "p95"};
    for (int i = 0; i < names.length; i++) {
      select.add(col("_p").getItem(i).as(names[i]));
    }
    select.add(col("mean"));
    select.add(col("n"));
    return aggregated.select(select.toArray(new Column[0]));
  }

  /**
   * Approximate percentiles at {@link #PERCENTILE_ACCURACY} as one array column: one sketch
   * serves every q, which is much cheaper than one aggregate per q.
   */
  public static Column percentiles(Column value, double... qs) {
    Column[] levels = new Column[qs.length];
    for (int i = 0; i < qs.length; i++) {
      levels[i] = lit(qs[i]);
    }
    return percentile_approx(value, array(levels), lit(PERCENTILE_ACCURACY));
  }
}
