package dev.servelens.kstar;

import static dev.servelens.kstar.KstarColumns.COUNT;
import static dev.servelens.kstar.KstarColumns.GENERATED_TOKENS;
import static dev.servelens.kstar.KstarColumns.INPUT_TOKENS;
import static dev.servelens.kstar.KstarColumns.K;
import static dev.servelens.kstar.KstarColumns.KIND;
import static dev.servelens.kstar.KstarColumns.KIND_DECODE;
import static dev.servelens.kstar.KstarColumns.KIND_PREFILL;
import static dev.servelens.kstar.KstarColumns.MODEL;
import static dev.servelens.kstar.KstarColumns.N;
import static dev.servelens.kstar.KstarColumns.OUTPUT_TOKENS;
import static dev.servelens.kstar.KstarColumns.SECONDS;
import static dev.servelens.kstar.KstarColumns.THROUGHPUT;
import static dev.servelens.kstar.KstarColumns.VALUE;
import static dev.servelens.kstar.KstarColumns.X;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/** The scheduler-tuning analyses as pure Dataset functions; the job wires them together. */
final class KstarAnalytics {
  private KstarAnalytics() {}

  static final String SUM_X = "sum_x";
  static final String SUM_Y = "sum_y";
  static final String SUM_XX = "sum_xx";
  static final String SUM_XY = "sum_xy";
  static final String SUM_YY = "sum_yy";
  static final String REPEATS = "repeats";
  static final String MEAN_OUTPUT = "mean_output_tokens";
  static final String FOOTPRINT_MEAN = "footprint_mean";
  static final String FOOTPRINT_SD = "footprint_sd";
  static final String REQUESTS = "requests";
  static final String FITTED = "fitted_seconds";
  static final String THROUGHPUT_SD = "throughput_sd";
  static final String REPLICATES = "replicates";
  static final String SHORTEST_GENERATION = "shortest_generation";

  /**
   * The points each line is fitted to: prefill samples as they are, decode samples as the exact
   * median of the repeats at each batch size (mean of the middle two for an even count). Of a
   * profile with generation lengths (Splitwise), only the samples at its shortest length count:
   * the rows at longer ones sweep the generation length, whose mean step time grows with the
   * context, and repeat the base point's prefill.
   *
   * @return {@code model, kind, x, seconds, repeats}
   */
  static Dataset<Row> fitPoints(Dataset<Row> allProfiles) {
    Dataset<Row> shortest = allProfiles.groupBy(MODEL)
        .agg(min(col(GENERATED_TOKENS)).as(SHORTEST_GENERATION));
    Dataset<Row> profiles = allProfiles.join(shortest, MODEL)
        .where(col(GENERATED_TOKENS).isNull()
            .or(col(GENERATED_TOKENS).equalTo(col(SHORTEST_GENERATION))));
    Dataset<Row> prefill =
        profiles
            .where(col(KIND).equalTo(KIND_PREFILL))
            .select(col(MODEL), col(KIND), col(X), col(SECONDS), lit(1L).as(REPEATS));
    Dataset<Row> decode =
        profiles
            .where(col(KIND).equalTo(KIND_DECODE))
            .groupBy(MODEL, KIND, X)
            .agg(expr("percentile(" + SECONDS + ", 0.5)").as(SECONDS), count(lit(1)).as(REPEATS));
    return prefill.unionByName(decode);
  }

  /** @return per {@code model, kind}: the count and the sums a least-squares line needs */
  static Dataset<Row> fitSums(Dataset<Row> points) {
    return points
        .groupBy(MODEL, KIND)
        .agg(
            count(lit(1)).as(COUNT),
            sum(col(X)).as(SUM_X),
            sum(col(SECONDS)).as(SUM_Y),
            sum(col(X).multiply(col(X))).as(SUM_XX),
            sum(col(X).multiply(col(SECONDS))).as(SUM_XY),
            sum(col(SECONDS).multiply(col(SECONDS))).as(SUM_YY));
  }

  /**
   * Figure data: the fitted points of one kind with the fitted line's value at each x.
   *
   * @param fits {@code model, kind, alpha, beta}
   */
  static Dataset<Row> fittedLine(Dataset<Row> points, Dataset<Row> fits, String kind) {
    return points
        .where(col(KIND).equalTo(kind))
        .join(fits, JavaConverters.asScalaBuffer(List.of(MODEL, KIND)).toSeq())
        .select(col(MODEL), col(X), col(SECONDS), col(REPEATS),
            col("alpha").plus(col("beta").multiply(col(X))).as(FITTED))
        .orderBy(MODEL, X);
  }

  /**
   * The requests the analysis uses: those with a positive output length (a request that produced
   * nothing has no decode steps and says nothing about p). Missing input counts are taken as 0.
   *
   * @return {@code model, input_tokens, output_tokens, completed_at}
   */
  static Dataset<Row> outputSamples(Dataset<Row> requests) {
    return requests
        .where(col(KstarColumns.WORKLOAD_OUTPUT_TOKENS).gt(0))
        .select(
            col(KstarColumns.WORKLOAD_MODEL).as(MODEL),
            coalesce(col(KstarColumns.WORKLOAD_INPUT_TOKENS), lit(0L)).as(INPUT_TOKENS),
            col(KstarColumns.WORKLOAD_OUTPUT_TOKENS).as(OUTPUT_TOKENS),
            coalesce(col(KstarColumns.WORKLOAD_COMPLETED_AT),
                col(KstarColumns.WORKLOAD_STARTED_AT)).as("completed_at"));
  }

  /**
   * Per model: requests, mean output length (p = 1 / it) and the mean and standard deviation of
   * a request's KV footprint, input + output tokens (for N*).
   */
  static Dataset<Row> lengthStats(Dataset<Row> samples) {
    Column footprint = col(INPUT_TOKENS).plus(col(OUTPUT_TOKENS));
    return samples
        .groupBy(MODEL)
        .agg(
            count(lit(1)).as(REQUESTS),
            avg(col(OUTPUT_TOKENS)).as(MEAN_OUTPUT),
            avg(footprint).as(FOOTPRINT_MEAN),
            stddev_pop(footprint).as(FOOTPRINT_SD));
  }

  /**
   * A bounded histogram of one token column per model: exact {@code value -> count} when the
   * model has at most {@code maxValues} distinct values, otherwise equal-width bins of width
   * {@code ceil((max + 1) / maxValues)}, each bin represented by the rounded mean of its values.
   *
   * @return {@code model, value, count}, at most {@code maxValues} rows per model
   */
  static Dataset<Row> histogram(Dataset<Row> samples, String column, int maxValues) {
    Dataset<Row> widths =
        samples
            .groupBy(MODEL)
            .agg(countDistinct(col(column)).as("distinct"), max(col(column)).as("max"))
            .select(col(MODEL),
                when(col("distinct").leq(maxValues), lit(1L))
                    .otherwise(ceil(col("max").plus(1).divide(maxValues)).cast("long"))
                    .as("width"));
    return samples
        .join(widths, MODEL)
        .groupBy(col(MODEL), floor(col(column).divide(col("width"))).as("bin"))
        .agg(count(lit(1)).as(COUNT), avg(col(column)).as("mean"))
        .select(col(MODEL), greatest(lit(0L), round(col("mean")).cast("long")).as(VALUE),
            col(COUNT))
        .groupBy(MODEL, VALUE)
        .agg(sum(col(COUNT)).as(COUNT));
  }

  /**
   * Mean simulated throughput per {@code model, n, k} over the replicates (unordered).
   *
   * @param simulated rows of {@link KstarColumns#SIMULATION_RESULT_SCHEMA}
   */
  static Dataset<Row> throughputCurve(Dataset<Row> simulated) {
    return simulated
        .groupBy(MODEL, N, K)
        .agg(avg(col(THROUGHPUT)).as(THROUGHPUT), stddev_pop(col(THROUGHPUT)).as(THROUGHPUT_SD),
            count(lit(1)).as(REPLICATES));
  }
}
