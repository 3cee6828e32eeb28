package dev.servelens.workload;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Per-user model diversity (SPEC 2.W.5): each user's requests in time order are cut into
 * consecutive windows of W requests (the last, partial window counts) and the distinct models
 * of each window are counted. The histogram over all windows and the box statistics of the top
 * users come from one aggregation over the windows.
 */
final class WorkloadDiversity {
  private WorkloadDiversity() {}

  static final String WINDOW = "window";
  static final String MODELS_IN_WINDOW = "models_in_window";
  static final String REQUESTS_IN_WINDOW = "requests_in_window";
  private static final int HISTOGRAM = 0;
  private static final int TOP_USER = 1;
  private static final String[] BOX = {"p5", "p25", "p50", "p75", "p95"};

  /** {@code user_id, window, models_in_window, requests_in_window}. */
  static Dataset<Row> windows(Dataset<Row> requests, int windowSize) {
    Column sequence = row_number().over(Window.partitionBy(WorkloadColumns.USER_ID)
        .orderBy(WorkloadColumns.STARTED_AT, WorkloadColumns.MODEL_ID));
    return requests
        .where(col(WorkloadColumns.USER_ID).isNotNull())
        .select(col(WorkloadColumns.USER_ID), col(WorkloadColumns.MODEL_ID),
            floor(sequence.minus(1).divide(windowSize)).cast("long").as(WINDOW))
        .groupBy(WorkloadColumns.USER_ID, WINDOW)
        .agg(countDistinct(WorkloadColumns.MODEL_ID).as(MODELS_IN_WINDOW),
            count(lit(1)).as(REQUESTS_IN_WINDOW));
  }

  /** The histogram and top-user rows, computed by {@link #summarise}. */
  record Results(List<Row> histogram, List<Row> topUsers) {}

  /**
   * One aggregation over {@code windows}: windows per models-in-window count, and box
   * statistics of models per window for the users of {@code topUsers} ({@code user_id,
   * requests, distinct_models, rank} rows, in rank order).
   */
  static Results summarise(Dataset<Row> windows, List<Row> topUsers) {
    List<String> ids = new ArrayList<>();
    for (Row user : topUsers) {
      ids.add(user.getString(0));
    }
    Column top = ids.isEmpty() ? lit(false) : col(WorkloadColumns.USER_ID).isin(ids.toArray());
    Column v = col(MODELS_IN_WINDOW);
    Column boxed = when(col("k.kind").equalTo(TOP_USER), v);
    List<Row> rows =
        windows.select(v, explode(array(
                struct(lit(HISTOGRAM).as("kind"), v.cast("string").as("key")),
                when(top, struct(lit(TOP_USER).as("kind"),
                    col(WorkloadColumns.USER_ID).as("key"))))).as("k"))
            .where(col("k").isNotNull())
            .groupBy(col("k.kind"), col("k.key"))
            .agg(count(lit(1)).as("windows"),
                Distributions.percentiles(boxed, 0.05, 0.25, 0.50, 0.75, 0.95).as("p"),
                avg(boxed).as("mean"), count(boxed).as("n"))
            .collectAsList();
    TreeMap<Long, Long> histogram = new TreeMap<>();
    Map<String, Row> boxes = new HashMap<>();
    for (Row row : rows) {
      if (row.getInt(0) == HISTOGRAM) {
        histogram.put(Long.parseLong(row.getString(1)), row.getLong(2));
      } else {
        boxes.put(row.getString(1), row);
      }
    }
    return new Results(histogramRows(histogram), topUserRows(topUsers, boxes));
  }

  /** {@code models_in_window, windows, share, cdf}. */
  private static List<Row> histogramRows(TreeMap<Long, Long> histogram) {
    long total = 0;
    for (long windows : histogram.values()) {
      total += windows;
    }
    List<Row> rows = new ArrayList<>();
    long cumulative = 0;
    for (Map.Entry<Long, Long> entry : histogram.entrySet()) {
      cumulative += entry.getValue();
      rows.add(RowFactory.create(entry.getKey(), entry.getValue(),
          (double) entry.getValue() / (double) total, (double) cumulative / (double) total));
    }
    return rows;
  }

  static final StructType HISTOGRAM_SCHEMA = new StructType()
      .add(MODELS_IN_WINDOW, DataTypes.LongType, false)
      .add("windows", DataTypes.LongType, false)
      .add("share", DataTypes.DoubleType)
      .add("cdf", DataTypes.DoubleType);

  /** {@code user_id, rank, requests, p5, p25, p50, p75, p95, mean, n}, in rank order. */
  private static List<Row> topUserRows(List<Row> topUsers, Map<String, Row> boxes) {
    List<Row> rows = new ArrayList<>();
    for (Row user : topUsers) {
      Row box = boxes.get(user.getString(0));
      if (box == null) {
        continue;
      }
      Object[] values = new Object[3 + BOX.length + 2];
      values[0] = user.getString(0);
      values[1] = user.getLong(3);
      values[2] = user.getLong(1);
      List<Long> quantiles = box.getList(3);
      for (int i = 0; i < BOX.length; i++) {
        values[3 + i] = quantiles.get(i);
      }
      values[3 + BOX.length] = box.isNullAt(4) ? null : box.getDouble(4);
      values[4 + BOX.length] = box.getLong(5);
      rows.add(RowFactory.create(values));
    }
    return rows;
  }

  static final StructType TOP_USERS_SCHEMA = topUsersSchema();

  private static StructType topUsersSchema() {
    StructType schema = new StructType()
        .add(WorkloadColumns.USER_ID, DataTypes.StringType)
        .add(WorkloadUsers.RANK, DataTypes.LongType)
        .add(WorkloadUsers.REQUESTS, DataTypes.LongType);
    for (String name : BOX) {
      schema = schema.add(name, DataTypes.LongType);
    }
    return schema.add("mean", DataTypes.DoubleType).add("n", DataTypes.LongType);
  }
}
