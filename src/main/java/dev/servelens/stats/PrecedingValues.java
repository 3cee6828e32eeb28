package dev.servelens.stats;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.servelens.io.SparkValues;
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
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * For each row, the two preceding values of a long column within the same key, in ascending
 * order of that column: {@code lag(value, 1)} and {@code lag(value, 2)} over {@code partition
 * by key order by value}, without handing a whole key to one task. Each key is cut into
 * slices (ranges of the value, e.g. time ranges) and Spark's window functions run per (key,
 * slice); the last two values of every slice (two rows per slice) come to the driver, which
 * carries them into the first two rows of the next slice of the same key through a broadcast
 * join. One shuffle, one small collect.
 */
public final class PrecedingValues {
  private PrecedingValues() {}

  public static final String PREVIOUS = "previous";
  public static final String PREVIOUS2 = "previous2";
  private static final String SLICE = "_slice";

  /**
   * @param rows input rows
   * @param key a string column grouping the values, non-null
   * @param value a long column (e.g. epoch microseconds), non-null
   * @param slice a long column, non-decreasing in {@code value} within a key: the range the
   *     row's value falls in (a constant for keys that are small)
   * @param kept receives the persisted windowed rows, for the caller to unpersist when done
   * @return {@code rows} with nullable long columns {@link #PREVIOUS} and {@link #PREVIOUS2}
   */
  public static Dataset<Row> compute(Dataset<Row> rows, String key, String value, Column slice,
      List<Dataset<Row>> kept) {
    WindowSpec window = Window.partitionBy(col(key), col(SLICE)).orderBy(col(value));
    Dataset<Row> windowed =
        rows.withColumn(SLICE, slice)
            .withColumn("_rn", row_number().over(window))
            .withColumn("_p1", lag(col(value), 1).over(window))
            .withColumn("_p2", lag(col(value), 2).over(window))
            .withColumn("_n1", lead(col(value), 1).over(window))
            .withColumn("_n2", lead(col(value), 2).over(window))
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    kept.add(windowed);
    // The last two rows of every slice: lead(value, 2) is null only there.
    Map<String, TreeMap<Long, long[]>> tails = new HashMap<>();
    for (Row row : windowed.where(col("_n2").isNull())
        .select(col(key), col(SLICE), col(value), col("_n1").isNull()).collectAsList()) {
      long[] tail = tails.computeIfAbsent(row.getString(0), k -> new TreeMap<>())
          .computeIfAbsent(row.getLong(1), k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
      tail[row.getBoolean(3) ? 1 : 0] = row.getLong(2);
    }
    Dataset<Row> carried = windowed.sparkSession().createDataFrame(carries(tails),
        new StructType()
            .add(key, DataTypes.StringType, false)
            .add(SLICE, DataTypes.LongType, false)
            .add("_c1", DataTypes.LongType, true)
            .add("_c2", DataTypes.LongType, true));
    Column rn = col("_rn");
    return windowed
        .join(broadcast(carried), SparkValues.columns(key, SLICE), "left")
        .withColumn(PREVIOUS, when(rn.equalTo(1), col("_c1")).otherwise(col("_p1")))
        .withColumn(PREVIOUS2, when(rn.equalTo(1), col("_c2"))
            .when(rn.equalTo(2), col("_c1")).otherwise(col("_p2")))
        .drop(SLICE, "_rn", "_p1", "_p2", "_n1", "_n2", "_c1", "_c2");
  }

  /**
   * For every slice after a key's first, the last and second-to-last values of the slices
   * before it: {@code key, slice, c1, c2} (c2 null when only one value precedes).
   *
   * @param tails per key and slice: {second-to-last or MIN_VALUE when the slice has one row,
   *     last}
   */
  static List<Row> carries(Map<String, TreeMap<Long, long[]>> tails) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, long[]>> key : tails.entrySet()) {
      Long last = null;
      Long beforeLast = null;
      for (Map.Entry<Long, long[]> slice : key.getValue().entrySet()) {
        if (last != null) {
          rows.add(RowFactory.create(key.getKey(), slice.getKey(), last, beforeLast));
        }
        long[] tail = slice.getValue();
        if (tail[0] == Long.MIN_VALUE) {
          beforeLast = last;
        } else {
          beforeLast = tail[0];
        }
        last = tail[1];
      }
    }
    return rows;
  }

}
