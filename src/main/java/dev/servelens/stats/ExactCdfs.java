package dev.servelens.stats;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.servelens.io.SparkValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Exact CDFs of many series of double values at once, whatever their size: one frequency
 * table of (series, value), cut into slices of log10(value) so no task sorts a whole series;
 * the observations per slice come to the driver, which carries each slice's start into a
 * running sum that Spark's window function computes within the slice; then one collect of the
 * few points each series needs: those a thinned CDF keeps ({@link Distributions#keepsPoint}) and those where the
 * exact quantiles are reached. Every series' total must be known beforehand (from an earlier
 * aggregation).
 */
public final class ExactCdfs {
  private ExactCdfs() {}

  /** The thinned points and exact quantiles of one series. */
  public record Result(List<Frequencies.Point<Double>> points, List<Double> quantiles) {}

  /** Slices per decade of value: the range one window task sorts. */
  static final int SLICES_PER_DECADE = 20;
  private static final String SLICE = "_slice";

  /**
   * The slice of a value: ranges of log10(value), so every slice of every series holds a
   * bounded share of its values whatever their scale; all values <= 0 share the lowest slice
   * and NaN the highest. Slices increase with the value.
   */
  static Column slice(Column value) {
    return when(value.isNaN(), lit(Long.MAX_VALUE))
        .when(value.leq(0), lit(Long.MIN_VALUE))
        .otherwise(floor(log10(value).multiply(SLICES_PER_DECADE)).cast("long"));
  }

  /**
   * @param values rows {@code series, value} (string, double), one per observation, no nulls
   * @param totals the number of rows of each series
   * @param kept receives the persisted tables, for the caller to unpersist when done
   * @param qs the quantiles wanted
   * @return the running-sum table {@code series, value, count, cumulative, total} (for
   *     average ranks; kept) and, per series, its result
   */
  public static Computed compute(Dataset<Row> values, Map<String, Long> totals,
      List<Dataset<Row>> kept, double... qs) {
    SparkSession spark = values.sparkSession();
    Dataset<Row> frequencies =
        values.groupBy(Distributions.SERIES, Distributions.VALUE)
            .agg(count(lit(1)).as(Distributions.COUNT))
            .withColumn(SLICE, slice(col(Distributions.VALUE)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    // Observations per slice, then per slice the observations of the slices before it.
    Map<String, TreeMap<Long, Long>> perSlice = new HashMap<>();
    for (Row row : frequencies.groupBy(Distributions.SERIES, SLICE)
        .agg(sum(Distributions.COUNT)).collectAsList()) {
      perSlice.computeIfAbsent(row.getString(0), k -> new TreeMap<>())
          .put(row.getLong(1), row.getLong(2));
    }
    List<Row> carryRows = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, Long>> series : perSlice.entrySet()) {
      long before = 0;
      for (Map.Entry<Long, Long> slice : series.getValue().entrySet()) {
        Long total = totals.get(series.getKey());
        if (total == null) {
          throw new IllegalStateException("no total given for series " + series.getKey());
        }
        carryRows.add(RowFactory.create(series.getKey(), slice.getKey(), before, total));
        before += slice.getValue();
      }
    }
    Dataset<Row> carries = spark.createDataFrame(carryRows, new StructType()
        .add(Distributions.SERIES, DataTypes.StringType)
        .add(SLICE, DataTypes.LongType)
        .add("_before", DataTypes.LongType)
        .add(Distributions.TOTAL, DataTypes.LongType));
    WindowSpec window = Window.partitionBy(Distributions.SERIES, SLICE)
        .orderBy(Distributions.VALUE)
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> running =
        frequencies
            .withColumn("_within", sum(Distributions.COUNT).over(window))
            .join(broadcast(carries), SparkValues.columns(Distributions.SERIES, SLICE))
            .select(col(Distributions.SERIES), col(Distributions.VALUE), col(Distributions.COUNT),
                col("_before").plus(col("_within")).as(Distributions.CUMULATIVE),
                col(Distributions.TOTAL))
            .persist(StorageLevel.MEMORY_AND_DISK());
    kept.add(running);
    Map<String, List<Row>> points = new LinkedHashMap<>();
    for (Row row : running.where(Distributions.thinnedOrQuantile(qs)).collectAsList()) {
      points.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row);
    }
    frequencies.unpersist();
    Map<String, Result> results = new HashMap<>();
    for (Map.Entry<String, List<Row>> series : points.entrySet()) {
      results.put(series.getKey(), result(series.getValue(), qs));
    }
    return new Computed(running, results);
  }


  /** The running-sum table and the results of every series that has values. */
  public record Computed(Dataset<Row> running, Map<String, Result> results) {}

  private static Result result(List<Row> rows, double... qs) {
    rows.sort((a, b) -> Double.compare(a.getDouble(1), b.getDouble(1)));
    List<Frequencies.Point<Double>> points = new ArrayList<>();
    Double[] quantiles = new Double[qs.length];
    for (Row row : rows) {
      double value = row.getDouble(1);
      long count = row.getLong(2);
      long cumulative = row.getLong(3);
      long total = row.getLong(4);
      if (Distributions.keepsPoint(cumulative, count, total)) {
        points.add(new Frequencies.Point<>(value, (double) cumulative / (double) total,
            cumulative, count));
      }
      for (int i = 0; i < qs.length; i++) {
        if (quantiles[i] == null && Distributions.reaches(cumulative, total, qs[i])) {
          quantiles[i] = value;
        }
      }
    }
    return new Result(points, Arrays.asList(quantiles));
  }
}
