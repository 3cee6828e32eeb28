package dev.servelens.stats;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import dev.servelens.io.SparkValues;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * For each row, the two preceding values of a long column within the same key, in ascending
 * order of that column: {@code lag(value, 1)} and {@code lag(value, 2)} over {@code partition
 * by key order by value}, without handing a whole key to one task. Each key is cut into
 * slices (ranges of the value, e.g. time ranges); the rows are spread by (key, slice) over the
 * tasks and sorted by the value alone (a sort on one long, whose prefix decides nearly every
 * comparison), and one pass over each task's rows keeps the last two values of every (key,
 * slice) it holds. The last two values of every slice (two rows per slice) come to the driver,
 * which carries them into the first two rows of the next slice of the same key through a
 * broadcast join. One shuffle, one small collect.
 */
public final class PrecedingValues {
  private PrecedingValues() {}

  public static final String PREVIOUS = "previous";
  public static final String PREVIOUS2 = "previous2";
  private static final String SLICE = "_slice";
  /** The row's place in its slice: 1, 2, or 3 for every later one. */
  private static final String PLACE = "_place";
  private static final String P1 = "_p1";
  private static final String P2 = "_p2";
  /** 2 on a slice's last row, 1 on the one before it, else 0. */
  private static final String TAIL = "_tail";

  /**
   * @param rows input rows
   * @param key a string column grouping the values, non-null
   * @param value a long column (e.g. epoch microseconds), non-null
   * @param slice a long column, non-decreasing in {@code value} within a key: the range the
   *     row's value falls in (a constant for keys that are small)
   * @param kept receives the persisted scanned rows, for the caller to unpersist when done
   * @return {@code rows} with nullable long columns {@link #PREVIOUS} and {@link #PREVIOUS2}
   */
  public static Dataset<Row> compute(Dataset<Row> rows, String key, String value, Column slice,
      List<Dataset<Row>> kept) {
    Dataset<Row> sliced = rows.withColumn(SLICE, slice);
    StructType schema = sliced.schema()
        .add(PLACE, DataTypes.IntegerType, false)
        .add(P1, DataTypes.LongType, true)
        .add(P2, DataTypes.LongType, true)
        .add(TAIL, DataTypes.IntegerType, false);
    Dataset<Row> scanned =
        sliced.repartition(col(key), col(SLICE))
            .sortWithinPartitions(value)
            .mapPartitions(new Lags(sliced.schema().fieldIndex(key),
                sliced.schema().fieldIndex(SLICE), sliced.schema().fieldIndex(value)),
                Encoders.row(schema))
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    kept.add(scanned);
    // The last two rows of every slice.
    Map<String, TreeMap<Long, long[]>> tails = new HashMap<>();
    for (Row row : scanned.where(col(TAIL).gt(0))
        .select(col(key), col(SLICE), col(value), col(TAIL).equalTo(2)).collectAsList()) {
      long[] tail = tails.computeIfAbsent(row.getString(0), k -> new TreeMap<>())
          .computeIfAbsent(row.getLong(1), k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
      tail[row.getBoolean(3) ? 1 : 0] = row.getLong(2);
    }
    Dataset<Row> carried = scanned.sparkSession().createDataFrame(carries(tails),
        new StructType()
            .add(key, DataTypes.StringType, false)
            .add(SLICE, DataTypes.LongType, false)
            .add("_c1", DataTypes.LongType, true)
            .add("_c2", DataTypes.LongType, true));
    Column place = col(PLACE);
    return scanned
        .join(broadcast(carried), SparkValues.columns(key, SLICE), "left")
        .withColumn(PREVIOUS, when(place.equalTo(1), col("_c1")).otherwise(col(P1)))
        .withColumn(PREVIOUS2, when(place.equalTo(1), col("_c2"))
            .when(place.equalTo(2), col("_c1")).otherwise(col(P2)))
        .drop(SLICE, PLACE, P1, P2, TAIL, "_c1", "_c2");
  }

  /**
   * One pass over a task's rows, sorted by the value, every (key, slice) whole in the task:
   * each row with its place in its slice and the slice's two values before it; a slice's last
   * two rows are held back to the end and marked.
   */
  private static final class Lags implements MapPartitionsFunction<Row, Row> {
    private final int key;
    private final int slice;
    private final int value;

    Lags(int key, int slice, int value) {
      this.key = key;
      this.slice = slice;
      this.value = value;
    }

    /** A slice's rows so far: how many, its last two values, its last two rows unsent. */
    private static final class Seen {
      long rows;
      long last;
      long beforeLast;
      final ArrayDeque<Object[]> held = new ArrayDeque<>(3);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      Map<List<Object>, Seen> slices = new HashMap<>();
      return new QueuedRows() {
        private boolean ended;

        @Override
        protected void fill() {
          while (ready.isEmpty() && input.hasNext()) {
            Row row = input.next();
            Seen seen = slices.computeIfAbsent(List.of(row.get(key), row.get(slice)),
                k -> new Seen());
            long v = row.getLong(value);
            Object[] values = new Object[row.size() + 4];
            for (int i = 0; i < row.size(); i++) {
              values[i] = row.get(i);
            }
            values[row.size()] = (int) Math.min(seen.rows + 1, 3);
            values[row.size() + 1] = seen.rows >= 1 ? seen.last : null;
            values[row.size() + 2] = seen.rows >= 2 ? seen.beforeLast : null;
            values[row.size() + 3] = 0;
            seen.beforeLast = seen.last;
            seen.last = v;
            seen.rows++;
            seen.held.add(values);
            if (seen.held.size() > 2) {
              ready.add(RowFactory.create(seen.held.poll()));
            }
          }
          if (ready.isEmpty() && !ended) {
            ended = true;
            for (Seen seen : slices.values()) {
              int mark = 3 - seen.held.size();
              for (Object[] values : seen.held) {
                values[values.length - 1] = mark++;
                ready.add(RowFactory.create(values));
              }
            }
            slices.clear();
          }
        }
      };
    }
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
