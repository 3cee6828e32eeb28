package dev.servelens.workload;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

  private WorkloadTtftByInput() {}

  /**
   * {@code series, input_k, p5, p25, p50, p75, p95, mean, n}, by series ({@code *} among them)
   * then bucket; {@code models} are the shown models (any {@code *} in it is ignored).
   */
  static List<Row> boxes(Dataset<Row> requests, List<String> models) {
    Column model = col(WorkloadColumns.MODEL_ID);
    List<String> named = new ArrayList<>(models);
    named.remove(WorkloadOverview.ALL);
    Column shown = model.isin(named.toArray());
    Column ttft = col(WorkloadColumns.TTFT);
    Column bucket = least(floor(col(WorkloadColumns.INPUT_TOKENS).divide(1000)),
        lit(LAST_BUCKET)).cast(DataTypes.IntegerType);
    List<Column> boxes = WorkloadInterArrival.boxAggregates(col("ttft"));
    List<Row> rows = new ArrayList<>();
    for (Row row : requests
        .where(ttft.geq(0).and(col(WorkloadColumns.INPUT_TOKENS).isNotNull()))
        .select(explode(array(lit(WorkloadOverview.ALL), when(shown, model))).as("series"),
            bucket.as(KEY), ttft.as("ttft"))
        .where(col("series").isNotNull())
        .groupBy("series", KEY)
        .agg(boxes.get(0), boxes.subList(1, boxes.size()).toArray(new Column[0]))
        .collectAsList()) {
      rows.add(WorkloadInterArrival.box(row.getString(0), row.getInt(1), row, 2));
    }
    rows.sort(WorkloadInterArrival::bySeriesThenKey);
    return rows;
  }

  static final StructType SCHEMA = WorkloadInterArrival.boxSchema(KEY, DataTypes.IntegerType);
}
