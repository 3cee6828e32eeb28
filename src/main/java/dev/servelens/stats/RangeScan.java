package dev.servelens.stats;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * What {@link RunningSum} needs: rows range-partitioned and sorted
 * so that partition i precedes partition i + 1, kept for the two passes over them, a broadcast
 * of the values carried across partition boundaries, and rows widened by computed columns.
 */
final class RangeScan {
  private RangeScan() {}

  /** {@code rows} in {@code sort} order across {@code partitions} ordered partitions, kept. */
  static Dataset<Row> sorted(Dataset<Row> rows, int partitions, Column... sort) {
    return rows.repartitionByRange(partitions, sort)
        .sortWithinPartitions(sort)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  static <T> Broadcast<T> broadcast(SparkSession spark, T value) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(value);
  }

  /** {@code row} with {@code values} appended. */
  static Row append(Row row, Object... values) {
    Object[] all = new Object[row.length() + values.length];
    for (int i = 0; i < row.length(); i++) {
      all[i] = row.get(i);
    }
    System.arraycopy(values, 0, all, row.length(), values.length);
    return RowFactory.create(all);
  }
}
