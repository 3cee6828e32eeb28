package dev.servelens.workload;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import dev.servelens.stats.SparkOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * TTFT against prompt length, as the workload toolkit draws it: a box of TTFT per bucket of
 * 1,000 input tokens ({@code input_k} = 0 for 0-999 tokens, 1 for 1,000-1,999, ...; the last
 * bucket, {@link #LAST_BUCKET}, holds every longer prompt), per shown model and over every
 * model ({@code *}). Requests without TTFT or input tokens, or with a negative TTFT, are left
 * out. The box percentiles are approximate (rank error 1e-4), like the other boxes; one
 * aggregation.
 */
final class WorkloadTtftByInput {
  static final String KEY = "input_k";
  /** Prompts of {@code LAST_BUCKET} thousand tokens and more share the last bucket. */
  static final int LAST_BUCKET = 128;
  private static final String[] BOX = {"p5", "p25", "p50", "p75", "p95"};
  private static final double[] LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};

  private WorkloadTtftByInput() {}

  /**
   * {@code series, input_k, p5, p25, p50, p75, p95, mean, n}, by series ({@code *} among them)
   * then bucket; {@code models} are the shown models (any {@code *} in it is ignored).
   */
  static List<Row> boxes(Dataset<Row> requests, List<String> models) {
    Column model = col(WorkloadColumns.MODEL_ID);
    Column shown = lit(false);
    for (String name : models) {
      if (!WorkloadOverview.ALL.equals(name)) {
        shown = shown.or(model.equalTo(name));
      }
    }
    Column ttft = col(WorkloadColumns.TTFT);
    Column bucket = least(floor(col(WorkloadColumns.INPUT_TOKENS).divide(1000)),
        lit(LAST_BUCKET)).cast(DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (Row row : requests
        .where(ttft.geq(0).and(col(WorkloadColumns.INPUT_TOKENS).isNotNull()))
        .select(explode(array(lit(WorkloadOverview.ALL), when(shown, model))).as("series"),
            bucket.as(KEY), ttft.as("ttft"))
        .where(col("series").isNotNull())
        .groupBy("series", KEY)
        .agg(Distributions.percentiles(col("ttft"), LEVELS), avg("ttft"), count(lit(1)))
        .collectAsList()) {
      Object[] values = new Object[SCHEMA.size()];
      values[0] = row.getString(0);
      values[1] = row.getInt(1);
      List<Double> quantiles = row.getList(2);
      for (int i = 0; i < BOX.length; i++) {
        values[2 + i] = quantiles.get(i);
      }
      values[2 + BOX.length] = row.getDouble(3);
      values[3 + BOX.length] = row.getLong(4);
      rows.add(RowFactory.create(values));
    }
    rows.sort((a, b) -> {
      int bySeries = SparkOrder.compare(a.getString(0), b.getString(0));
      return bySeries != 0 ? bySeries : Integer.compare(a.getInt(1), b.getInt(1));
    });
    return rows;
  }

  static final StructType SCHEMA = WorkloadInterArrival.boxSchema(KEY, DataTypes.IntegerType);
}
