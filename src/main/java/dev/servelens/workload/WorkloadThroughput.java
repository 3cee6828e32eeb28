package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Prefill and decode throughput and time per output token of each request, as the workload
 * toolkit defines them, and their means per model and hour (counted in {@link
 * WorkloadSummaries}'s per-hour aggregation):
 *
 * <ul>
 *   <li>prefill throughput = {@code input_tokens / ttft} (tokens/s), when ttft &gt; 0;
 *   <li>decode throughput = {@code output_tokens / (duration - ttft)} (tokens/s), when {@code
 *       duration - ttft} &gt; 0 and output_tokens &gt; 0;
 *   <li>TPOT = {@code (duration - ttft) / (output_tokens - 1)} (s), when output_tokens &gt; 1 and
 *       {@code duration - ttft} &ge; 0: the time of each token after the first.
 * </ul>
 *
 * A request without the values a measure needs is left out of that measure's mean (and its
 * count {@code *_n}); it still counts in {@code requests}.
 */
final class WorkloadThroughput {
  static final String PREFILL = "prefill_tps";
  static final String DECODE = "decode_tps";
  static final String TPOT = "tpot_s";
  /** The measures, in the order of their columns. */
  static final String[] MEASURES = {PREFILL, DECODE, TPOT};

  private WorkloadThroughput() {}

  /** The measures of each request, as columns named by {@link #MEASURES}. */
  static List<Column> perRequest() {
    Column ttft = col(WorkloadColumns.TTFT);
    Column input = col(WorkloadColumns.INPUT_TOKENS);
    Column output = col(WorkloadColumns.OUTPUT_TOKENS);
    Column decodeTime = col(WorkloadColumns.DURATION).minus(ttft);
    return List.of(
        when(ttft.gt(0), input.divide(ttft)).as(PREFILL),
        when(decodeTime.gt(0).and(output.gt(0)), output.divide(decodeTime)).as(DECODE),
        when(decodeTime.geq(0).and(output.gt(1)), decodeTime.divide(output.minus(1))).as(TPOT));
  }

  /**
   * {@code model_id, hour, requests}, then per measure its count and mean: one row per model and
   * hour with requests (requests without a model are left out).
   */
  static final StructType SCHEMA = schema();

  private static StructType schema() {
    StructType schema = new StructType()
        .add(WorkloadColumns.MODEL_ID, DataTypes.StringType, false)
        .add("hour", DataTypes.TimestampType, false)
        .add("requests", DataTypes.LongType, false);
    for (String measure : MEASURES) {
      schema = schema.add(measure + "_n", DataTypes.LongType, false)
          .add(mean(measure), DataTypes.DoubleType);
    }
    return schema;
  }

  /** The column of a measure's mean: {@code prefill_tps_mean}, {@code tpot_s_mean}, ... */
  static String mean(String measure) {
    return measure + "_mean";
  }

  /**
   * Figure data of one measure: the rows of {@code rows} ({@link #SCHEMA}) of the models in
   * {@code models} where the measure has a value.
   */
  static List<Row> figure(List<Row> rows, Set<String> models, String measure) {
    int index = SCHEMA.fieldIndex(mean(measure));
    List<Row> points = new ArrayList<>();
    for (Row row : rows) {
      if (models.contains(row.getString(0)) && !row.isNullAt(index)) {
        points.add(row);
      }
    }
    return points;
  }
}
