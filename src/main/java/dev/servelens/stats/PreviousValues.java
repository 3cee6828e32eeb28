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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * For each row, the two preceding values of a long column within the same key, in ascending
 * order of that column: {@code lag(value, 1)} and {@code lag(value, 2)} over {@code partition
 * by key order by value}, computed like {@link RunningSum} so that no task holds a whole key.
 * Inter-arrival gaps are {@code value - previous}; the gap before it is {@code previous -
 * previous2}.
 */
public final class PreviousValues {
  private PreviousValues() {}

  public static final String PREVIOUS = "previous";
  public static final String PREVIOUS2 = "previous2";

  /**
   * @param rows input rows
   * @param key the grouping column
   * @param value a long column (e.g. epoch microseconds), non-null
   * @param partitions number of range partitions
   * @return {@code rows} in (key, value) order with nullable long columns {@link #PREVIOUS}
   *     and {@link #PREVIOUS2}
   */
  public static Dataset<Row> compute(Dataset<Row> rows, String key, String value,
      int partitions) {
    return compute(rows, key, value, partitions, new ArrayList<>());
  }

  /**
   * Like {@link #compute(Dataset, String, String, int)}, adding the sorted rows it keeps
   * (persisted for its two passes) to {@code kept}, for the caller to unpersist when done.
   */
  public static Dataset<Row> compute(Dataset<Row> rows, String key, String value,
      int partitions, List<Dataset<Row>> kept) {
    SparkSession spark = rows.sparkSession();
    Dataset<Row> sorted = RangeScan.sorted(rows, partitions, rows.col(key), rows.col(value));
    kept.add(sorted);
    int keyIndex = Arrays.asList(sorted.columns()).indexOf(key);
    int valueIndex = Arrays.asList(sorted.columns()).indexOf(value);
    List<Tail> tails =
        sorted.javaRDD().mapPartitionsWithIndex(new LastTwo(keyIndex, valueIndex), false)
            .collect();
    Tail[] carries = carries(tails, sorted.javaRDD().getNumPartitions());
    Broadcast<Tail[]> broadcast = RangeScan.broadcast(spark, carries);
    JavaRDD<Row> withPrevious =
        sorted.javaRDD()
            .mapPartitionsWithIndex(new AddPrevious(keyIndex, valueIndex, broadcast), false);
    StructType schema =
        sorted.schema().add(PREVIOUS, DataTypes.LongType, true)
            .add(PREVIOUS2, DataTypes.LongType, true);
    return spark.createDataFrame(withPrevious, schema);
  }

  /**
   * The last key of a partition with its last two values ({@code beforeLast} null when the
   * key has one row there), or, as a carry, the last two values of a key seen so far.
   */
  record Tail(int partition, Object key, Long last, Long beforeLast) implements Serializable {}

  static Tail[] carries(List<Tail> tails, int partitions) {
    List<Tail> ordered = new ArrayList<>(tails);
    ordered.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    Tail[] carries = new Tail[partitions];
    Tail carry = null;
    for (Tail tail : ordered) {
      carries[tail.partition()] = carry;
      if (tail.beforeLast() == null && carry != null && Objects.equals(carry.key(), tail.key())) {
        carry = new Tail(tail.partition(), tail.key(), tail.last(), carry.last());
      } else {
        carry = tail;
      }
    }
    return carries;
  }

  /** First pass: the tail of each non-empty partition. */
  private static final class LastTwo implements Function2<Integer, Iterator<Row>, Iterator<Tail>> {
    private static final long serialVersionUID = 1L;
    private final int keyIndex;
    private final int valueIndex;

    LastTwo(int keyIndex, int valueIndex) {
      this.keyIndex = keyIndex;
      this.valueIndex = valueIndex;
    }

    @Override
    public Iterator<Tail> call(Integer partition, Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      Object key = null;
      Long last = null;
      Long beforeLast = null;
      boolean first = true;
      while (rows.hasNext()) {
        Row row = rows.next();
        Object rowKey = row.get(keyIndex);
        long value = row.getLong(valueIndex);
        if (first || !Objects.equals(rowKey, key)) {
          key = rowKey;
          beforeLast = null;
          first = false;
        } else {
          beforeLast = last;
        }
        last = value;
      }
      return List.of(new Tail(partition, key, last, beforeLast)).iterator();
    }
  }

  /** Second pass: each row with the two values before it in its key. */
  private static final class AddPrevious
      implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final int keyIndex;
    private final int valueIndex;
    private final Broadcast<Tail[]> carries;

    AddPrevious(int keyIndex, int valueIndex, Broadcast<Tail[]> carries) {
      this.keyIndex = keyIndex;
      this.valueIndex = valueIndex;
      this.carries = carries;
    }

    @Override
    public Iterator<Row> call(Integer partition, Iterator<Row> rows) {
      Tail carry = carries.value()[partition];
      return new Iterator<>() {
        private Object key = carry == null ? null : carry.key();
        private Long previous = carry == null ? null : carry.last();
        private Long previous2 = carry == null ? null : carry.beforeLast();
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
            previous = null;
            previous2 = null;
            started = true;
          }
          Row widened = RangeScan.append(row, previous, previous2);
          previous2 = previous;
          previous = row.getLong(valueIndex);
          return widened;
        }
      };
    }
  }
}
