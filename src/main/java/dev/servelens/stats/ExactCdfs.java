package dev.servelens.stats;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Exact CDFs of many series of double values at once, whatever their size: one frequency
 * table of (series, value), one {@link RunningSum} over it, and one collect of the few points
 * each series needs: those {@link Distributions#thin} keeps and those where the exact
 * quantiles are reached. Every series' total must be known beforehand (from an earlier
 * aggregation), so no job computes them.
 */
public final class ExactCdfs {
  private ExactCdfs() {}

  /** The thinned points and exact quantiles of one series. */
  public record Result(List<Frequencies.Point<Double>> points, List<Double> quantiles) {}

  /**
   * @param values rows {@code series, value} (string, double), one per observation, no nulls
   * @param totals the number of rows of each series
   * @param kept receives the persisted sort, for the caller to unpersist when done
   * @param qs the quantiles wanted
   * @return the running-sum table {@code series, value, count, cumulative, total} (for
   *     average ranks; computed again from the kept sort when read) and, per series, its
   *     result
   */
  public static Computed compute(Dataset<Row> values, Map<String, Long> totals, int partitions,
      List<Dataset<Row>> kept, double... qs) {
    SparkSession spark = values.sparkSession();
    Dataset<Row> frequencies =
        values.groupBy(Distributions.SERIES, Distributions.VALUE)
            .agg(count(lit(1)).as(Distributions.COUNT));
    List<Row> totalRows = new ArrayList<>();
    for (Map.Entry<String, Long> total : totals.entrySet()) {
      totalRows.add(RowFactory.create(total.getKey(), total.getValue()));
    }
    Dataset<Row> totalTable = spark.createDataFrame(totalRows, new StructType()
        .add(Distributions.SERIES, DataTypes.StringType)
        .add(Distributions.TOTAL, DataTypes.LongType));
    Dataset<Row> running =
        RunningSum.compute(frequencies, Distributions.SERIES,
                List.of(frequencies.col(Distributions.VALUE)), Distributions.COUNT, partitions,
                kept)
            .join(broadcast(totalTable), Distributions.SERIES);
    Map<String, List<Row>> points = new LinkedHashMap<>();
    for (Row row : running.where(Distributions.thinnedOrQuantile(qs))
        .select(Distributions.SERIES, Distributions.VALUE, Distributions.COUNT,
            RunningSum.CUMULATIVE, Distributions.TOTAL)
        .collectAsList()) {
      points.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row);
    }
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
