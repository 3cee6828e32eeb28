package dev.servelens.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The running sum of a weight within each key, in a given order, computed without putting a
 * whole key in one task. A window function partitioned by key would hand all of a key's rows to
 * one task, which fails when one model holds most of the traffic. Here the rows are
 * range-partitioned on (key, order) so a big key spans many balanced partitions; each
 * partition reports its first and last key and their sums (one small row per partition), the
 * driver carries sums across partition boundaries, and a second pass adds the carried sum.
 *
 * <p>Used for exact CDFs (running count over sorted distinct values), ranks (running count in
 * rank order) and sequence numbers (running count in time order).
 */
public final class RunningSum {
  private RunningSum() {}

  /** The column holding the running sum, the current row's weight included. */
  public static final String CUMULATIVE = "cumulative";

  /**
   * @param rows input rows
   * @param key the column grouping the sums (its values are compared with {@code equals})
   * @param order the order inside a key (ascending or descending column expressions)
   * @param weight a long column added up
   * @param partitions number of range partitions
   * @return {@code rows} with a long column {@link #CUMULATIVE}
   */
  public static Dataset<Row> compute(
      Dataset<Row> rows, String key, List<Column> order, String weight, int partitions) {
    return compute(rows, key, order, weight, partitions, new ArrayList<>());
  }

  /**
   * Like {@link #compute(Dataset, String, List, String, int)}, adding the sorted rows it keeps
   * (persisted for its two passes) to {@code kept}, for the caller to unpersist when done.
   */
  public static Dataset<Row> compute(Dataset<Row> rows, String key, List<Column> order,
      String weight, int partitions, List<Dataset<Row>> kept) {
    SparkSession spark = rows.sparkSession();
    List<Column> sortColumns = new ArrayList<>();
    sortColumns.add(rows.col(key));
    sortColumns.addAll(order);
    Column[] sort = sortColumns.toArray(new Column[0]);
    Dataset<Row> sorted = RangeScan.sorted(rows, partitions, sort);
    kept.add(sorted);
    int keyIndex = Arrays.asList(sorted.columns()).indexOf(key);
    int weightIndex = Arrays.asList(sorted.columns()).indexOf(weight);
    List<PartitionSums> summaries =
        sorted
            .javaRDD()
            .mapPartitionsWithIndex(new Summarize(keyIndex, weightIndex), false)
            .collect();
    Carry[] carries = carries(summaries, sorted.javaRDD().getNumPartitions());
    Broadcast<Carry[]> broadcast = RangeScan.broadcast(spark, carries);
    JavaRDD<Row> withSums =
        sorted
            .javaRDD()
            .mapPartitionsWithIndex(new AddSums(keyIndex, weightIndex, broadcast), false);
    StructType schema = sorted.schema().add(CUMULATIVE, DataTypes.LongType, false);
    return spark.createDataFrame(withSums, schema);
  }

  /** What the driver learns of one partition. */
  record PartitionSums(int partition, Object lastKey, long lastKeySum, boolean singleKey)
      implements Serializable {}

  /** The sum carried into a partition for the key it starts with. */
  record Carry(Object key, long sum) implements Serializable {}

  static Carry[] carries(List<PartitionSums> summaries, int partitions) {
    List<PartitionSums> ordered = new ArrayList<>(summaries);
    ordered.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    Carry[] carries = new Carry[partitions];
    Carry carry = null;
    for (PartitionSums summary : ordered) {
      carries[summary.partition()] = carry;
      if (summary.singleKey() && carry != null && Objects.equals(carry.key(), summary.lastKey())) {
        carry = new Carry(carry.key(), carry.sum() + summary.lastKeySum());
      } else {
        carry = new Carry(summary.lastKey(), summary.lastKeySum());
      }
    }
    return carries;
  }

  /** First pass: one summary per non-empty partition. */
  private static final class Summarize
      implements Function2<Integer, Iterator<Row>, Iterator<PartitionSums>> {
    private static final long serialVersionUID = 1L;
    private final int keyIndex;
    private final int weightIndex;

    Summarize(int keyIndex, int weightIndex) {
      this.keyIndex = keyIndex;
      this.weightIndex = weightIndex;
    }

    @Override
    public Iterator<PartitionSums> call(Integer partition, Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      Row first = rows.next();
      Object lastKey = first.get(keyIndex);
      long lastSum = first.getLong(weightIndex);
      boolean single = true;
      while (rows.hasNext()) {
        Row row = rows.next();
        Object key = row.get(keyIndex);
        long weight = row.getLong(weightIndex);
        if (Objects.equals(key, lastKey)) {
          lastSum += weight;
        } else {
          single = false;
          lastKey = key;
          lastSum = weight;
        }
      }
      return List.of(new PartitionSums(partition, lastKey, lastSum, single))
          .iterator();
    }
  }

  /** Second pass: the running sum, starting from the carried sum. */
  private static final class AddSums implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final int keyIndex;
    private final int weightIndex;
    private final Broadcast<Carry[]> carries;

    AddSums(int keyIndex, int weightIndex, Broadcast<Carry[]> carries) {
      this.keyIndex = keyIndex;
      this.weightIndex = weightIndex;
      this.carries = carries;
    }

    @Override
    public Iterator<Row> call(Integer partition, Iterator<Row> rows) {
      Carry carry = carries.value()[partition];
      return new Iterator<>() {
        private Object key = carry == null ? null : carry.key();
        private long sum = carry == null ? 0 : carry.sum();
        private boolean started = carry != null;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          Object rowKey = row.get(keyIndex);
          if (!started || !Objects.equals(rowKey, key)) {
            key = rowKey;
            sum = 0;
            started = true;
          }
          sum += row.getLong(weightIndex);
          return RangeScan.append(row, sum);
        }
      };
    }
  }
}
