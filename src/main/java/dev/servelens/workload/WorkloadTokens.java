package dev.servelens.workload;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import dev.servelens.stats.ExactCdfs;
import dev.servelens.stats.SparkOrder;
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
 * The token analyses (SPEC 2.W.3): exact CDFs and quantiles of input tokens, output tokens and
 * the output/input ratio, per model and for all models together (series {@code *}); the exact
 * CDFs of TTFT and duration, and the exact percentiles of every numeric column of the overview
 * (SPEC 2.W.1, with completion_tps), come from the same observations.
 */
final class WorkloadTokens {
  private WorkloadTokens() {}

  static final String RATIO = "output_input_ratio";
  static final String[] METRICS = {
    WorkloadColumns.INPUT_TOKENS, WorkloadColumns.OUTPUT_TOKENS, RATIO
  };
  static final double[] QUANTILES = {0.5, 0.9, 0.99};
  /** The request times whose exact CDFs are drawn beside the tokens' (no quantile table). */
  static final String[] LATENCIES = {WorkloadColumns.TTFT, WorkloadColumns.DURATION};

  /**
   * The series of the requests without a model: summarised in the overview, left out of the
   * token tables and figures. No model name holds this character.
   */
  static final String NO_MODEL = "\u0000";

  /** The CDF series name of a metric's series (a model, {@link #NO_MODEL} or {@code *}). */
  static String cdfSeries(String metric, String series) {
    return metric + "\u0001" + series;
  }

  private static Column value(String metric) {
    return switch (metric) {
      case RATIO -> when(col(WorkloadColumns.INPUT_TOKENS).gt(0),
          col(WorkloadColumns.OUTPUT_TOKENS).cast("double")
              .divide(col(WorkloadColumns.INPUT_TOKENS)));
      case WorkloadOverview.COMPLETION_TPS -> WorkloadOverview.completionTps();
      default -> col(metric).cast("double");
    };
  }

  /**
   * Observations of every metric, latency and completion_tps for {@link ExactCdfs}: {@code
   * series} (the metric and the model, or {@link #NO_MODEL}), {@code value}, also counted in
   * {@code all} (the metric and {@code *}). Null values are left out; the ratio leaves out
   * input_tokens = 0. Token counts (few distinct values) come as one input counted per value
   * before the sort, the nearly-distinct values as another.
   */
  static List<ExactCdfs.Values> cdfValues(Dataset<Row> requests) {
    List<String> continuous = new ArrayList<>(List.of(RATIO));
    continuous.addAll(List.of(LATENCIES));
    continuous.add(WorkloadOverview.COMPLETION_TPS);
    return List.of(
        new ExactCdfs.Values(observations(requests,
            List.of(WorkloadColumns.INPUT_TOKENS, WorkloadColumns.OUTPUT_TOKENS)), true),
        new ExactCdfs.Values(observations(requests, continuous), false));
  }

  /** One observation per metric: its model's series, also counted in the metric's {@code *}. */
  private static Dataset<Row> observations(Dataset<Row> requests, List<String> metrics) {
    List<Column> observations = new ArrayList<>();
    for (String metric : metrics) {
      observations.add(struct(
          concat(lit(cdfSeries(metric, "")),
              coalesce(col(WorkloadColumns.MODEL_ID), lit(NO_MODEL)))
              .as(Distributions.SERIES),
          value(metric).as(Distributions.VALUE),
          lit(cdfSeries(metric, WorkloadOverview.ALL)).as(ExactCdfs.ALL)));
    }
    return requests.select(explode(array(observations.toArray(new Column[0]))).as("o"))
        .select(col("o." + Distributions.SERIES).as(Distributions.SERIES),
            col("o." + Distributions.VALUE).as(Distributions.VALUE),
            col("o." + ExactCdfs.ALL).as(ExactCdfs.ALL));
  }

  /** {@code model, metric, q, value}: exact quantiles of every metric, ordered so. */
  static List<Row> quantiles(Map<String, ExactCdfs.Result> cdfs) {
    List<Row> rows = new ArrayList<>();
    List<String> metrics = new ArrayList<>(List.of(METRICS));
    metrics.sort(SparkOrder::compare);
    for (String metric : metrics) {
      List<String> models = new ArrayList<>();
      String prefix = cdfSeries(metric, "");
      for (String series : cdfs.keySet()) {
        if (series.startsWith(prefix) && !series.equals(cdfSeries(metric, NO_MODEL))) {
          models.add(series.substring(prefix.length()));
        }
      }
      models.sort(SparkOrder::compare);
      for (String model : models) {
        ExactCdfs.Result cdf = cdfs.get(prefix + model);
        for (double q : QUANTILES) {
          rows.add(RowFactory.create(model, metric, q, cdf.quantile(q)));
        }
      }
    }
    return rows;
  }

  static final StructType QUANTILES_SCHEMA =
      new StructType()
          .add("model", DataTypes.StringType)
          .add("metric", DataTypes.StringType)
          .add("q", DataTypes.DoubleType)
          .add("value", DataTypes.DoubleType);
}
