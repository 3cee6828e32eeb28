package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The token analyses (SPEC 2.W.3): exact CDFs and quantiles of input tokens, output tokens and
 * the output/input ratio, per model and for all models together (series {@code *}).
 */
final class WorkloadTokens {
  private WorkloadTokens() {}

  static final String RATIO = "output_input_ratio";
  static final String[] METRICS = {
    WorkloadColumns.INPUT_TOKENS, WorkloadColumns.OUTPUT_TOKENS, RATIO
  };
  static final double[] QUANTILES = {0.5, 0.9, 0.99};

  /**
   * Observations of one metric: {@code series, value} with series = model, plus every row again
   * under series {@code *}. Nulls are left out; the ratio leaves out input_tokens = 0.
   */
  static Dataset<Row> values(Dataset<Row> requests, String metric) {
    Column value =
        metric.equals(RATIO)
            ? when(col(WorkloadColumns.INPUT_TOKENS).gt(0),
                col(WorkloadColumns.OUTPUT_TOKENS).cast("double")
                    .divide(col(WorkloadColumns.INPUT_TOKENS)))
            : col(metric).cast("double");
    Dataset<Row> perModel =
        requests.select(col(WorkloadColumns.MODEL_ID).as(Distributions.SERIES),
            value.as(Distributions.VALUE));
    Dataset<Row> all =
        requests.select(lit(WorkloadOverview.ALL).as(Distributions.SERIES),
            value.as(Distributions.VALUE));
    return perModel.unionByName(all).where(col(Distributions.VALUE).isNotNull()
        .and(col(Distributions.SERIES).isNotNull()));
  }

  /** {@code model, metric, q, value}: exact quantiles of every metric. */
  static Dataset<Row> quantiles(Dataset<Row> cdfByMetric, String metric) {
    return Distributions.quantiles(cdfByMetric, QUANTILES)
        .select(col(Distributions.SERIES).as("model"), lit(metric).as("metric"), col("q"),
            col(Distributions.VALUE).as("value"));
  }

  /** {@code model, requests, zero_input_excluded}: rows left out of the ratio, per model. */
  static Dataset<Row> ratioExclusions(Dataset<Row> requests) {
    return requests.groupBy(col(WorkloadColumns.MODEL_ID).as("model"))
        .agg(count(lit(1)).as("requests"),
            sum(when(col(WorkloadColumns.INPUT_TOKENS).equalTo(0), 1).otherwise(0)).cast("long")
                .as("zero_input_excluded"),
            sum(when(col(WorkloadColumns.INPUT_TOKENS).isNull()
                .or(col(WorkloadColumns.OUTPUT_TOKENS).isNull()), 1).otherwise(0)).cast("long")
                .as("missing_tokens"))
        .orderBy("model");
  }
}
