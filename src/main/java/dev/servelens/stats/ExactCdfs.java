package dev.servelens.stats;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.when;

import dev.servelens.io.SparkValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Exact CDFs of many series of double values at once, whatever their size, in one sorted
 * scan. Each series is cut into slices of log10(value), so no task sorts a whole series; an
 * aggregation counts the observations per slice (a few rows per series), from which the
 * driver numbers the slices and knows, for each, the observations of the slices before it.
 * The observations, tagged with their slice's number (a broadcast join), are then spread by
 * slice over the tasks and sorted by value, and one pass over each task's sorted rows adds up
 * equal values and carries each slice's running count: it keeps the points a thinned CDF keeps
 * ({@link Distributions#keepsPoint}) and those where the exact quantiles are reached, and, for
 * the series that need it, every distinct value with its running count. Series of few distinct
 * values (token counts) are counted per value before the sort, the others are sorted as they
 * are; an observation may also count in an all-series (every model's in the metric's {@code
 * *}) without being copied.
 */
public final class ExactCdfs {
  private ExactCdfs() {}

  /** The thinned points and exact quantiles (at {@code qs}, in order) of one series. */
  public record Result(List<Frequencies.Point<Double>> points, double[] qs,
      List<Double> quantiles) {
    /** The exact quantile q, one of the {@code qs} computed. */
    public Double quantile(double q) {
      for (int i = 0; i < qs.length; i++) {
        if (qs[i] == q) {
          return quantiles.get(i);
        }
      }
      throw new IllegalArgumentException("quantile " + q + " was not computed");
    }
  }

  /**
   * Observations {@code series, value, all} (string, double, string; rows with a null series or
   * value are left out) of series whose values are few and repeat ({@code counted}: counted
   * per value before the sort) or not. A row with a non-null {@code all} also counts in the
   * series named so (e.g. every model's series and the one of all models together): it is
   * sorted once and counted in both.
   */
  public record Values(Dataset<Row> rows, boolean counted) {}

  /** The column of {@link Values} naming the series a row also counts in (or null). */
  public static final String ALL = "all";

  /** Slices per decade of value: the range one sorted run holds. */
  static final int SLICES_PER_DECADE = 20;
  private static final String SLICE = "_slice";
  private static final String BUCKET = "_bucket";
  private static final String ALL_BUCKET = "_all_bucket";

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
   * @param values the observations; a series may appear in only one of them
   * @param fullSeries a prefix: series starting with it get their whole running-sum table
   * @param kept receives the persisted tables, for the caller to unpersist when done
   *     (the sort's partitions are {@code spark.sql.shuffle.partitions})
   * @param qs the quantiles wanted
   * @return the running-sum table {@code series, value, count, cumulative, total} of the
   *     {@code fullSeries} (for average ranks; kept) and, per series, its result
   */
  public static Computed compute(List<Values> values, String fullSeries,
      List<Dataset<Row>> kept, double... qs) {
    SparkSession spark = values.get(0).rows().sparkSession();
    List<Dataset<Row>> sliced = new ArrayList<>();
    for (Values input : values) {
      // -0.0 and 0.0 are one value, as Spark's grouping has them.
      Column value = col(Distributions.VALUE);
      sliced.add(input.rows()
          .where(col(Distributions.SERIES).isNotNull().and(value.isNotNull()))
          .select(col(Distributions.SERIES), col(ALL),
              when(value.equalTo(0), lit(0.0)).otherwise(value).as(Distributions.VALUE))
          .withColumn(SLICE, slice(col(Distributions.VALUE))));
    }
    // Observations per slice; the driver numbers the slices and carries the counts. A series
    // that others also count in has, per slice, the sum of theirs.
    Map<String, TreeMap<Long, Long>> perSlice = new HashMap<>();
    Map<String, String> allOf = new HashMap<>();
    Dataset<Row> observed = sliced.get(0);
    for (Dataset<Row> input : sliced.subList(1, sliced.size())) {
      observed = observed.unionByName(input);
    }
    for (Row row : observed.groupBy(Distributions.SERIES, ALL, SLICE).agg(count(lit(1)))
        .collectAsList()) {
      perSlice.computeIfAbsent(row.getString(0), k -> new TreeMap<>())
          .merge(row.getLong(2), row.getLong(3), Long::sum);
      if (!row.isNullAt(1)) {
        allOf.put(row.getString(0), row.getString(1));
        perSlice.computeIfAbsent(row.getString(1), k -> new TreeMap<>())
            .merge(row.getLong(2), row.getLong(3), Long::sum);
      }
    }
    Map<Long, Bucket> buckets = new HashMap<>();
    Map<String, Map<Long, Long>> bucketOf = new HashMap<>();
    for (Map.Entry<String, TreeMap<Long, Long>> series : perSlice.entrySet()) {
      long total = 0;
      for (long observations : series.getValue().values()) {
        total += observations;
      }
      long before = 0;
      boolean full = series.getKey().startsWith(fullSeries);
      for (Map.Entry<Long, Long> slice : series.getValue().entrySet()) {
        long id = buckets.size();
        buckets.put(id, new Bucket(series.getKey(), before, total, full));
        bucketOf.computeIfAbsent(series.getKey(), k -> new HashMap<>()).put(slice.getKey(), id);
        before += slice.getValue();
      }
    }
    List<Row> bucketRows = new ArrayList<>();
    for (Map.Entry<String, Map<Long, Long>> series : bucketOf.entrySet()) {
      String all = allOf.get(series.getKey());
      for (Map.Entry<Long, Long> slice : series.getValue().entrySet()) {
        bucketRows.add(RowFactory.create(series.getKey(), slice.getKey(), slice.getValue(),
            all == null ? null : bucketOf.get(all).get(slice.getKey())));
      }
    }
    Dataset<Row> bucketIds = broadcast(spark.createDataFrame(bucketRows, new StructType()
        .add(Distributions.SERIES, DataTypes.StringType)
        .add(SLICE, DataTypes.LongType)
        .add(BUCKET, DataTypes.LongType)
        .add(ALL_BUCKET, DataTypes.LongType)));
    Dataset<Row> observations = null;
    for (int i = 0; i < sliced.size(); i++) {
      Dataset<Row> tagged = sliced.get(i)
          .join(bucketIds, SparkValues.columns(Distributions.SERIES, SLICE))
          .select(col(BUCKET), col(ALL_BUCKET), col(Distributions.VALUE));
      tagged = values.get(i).counted()
          ? tagged.groupBy(BUCKET, ALL_BUCKET, Distributions.VALUE)
              .agg(count(lit(1)).as(Distributions.COUNT))
          : tagged.withColumn(Distributions.COUNT, lit(1L));
      observations = observations == null ? tagged : observations.unionByName(tagged);
    }
    Dataset<Row> scanned =
        // A row and its all-series' row go to one task: spread by the latter when there is one.
        observations.repartition(coalesce(col(ALL_BUCKET), col(BUCKET)))
            .sortWithinPartitions(Distributions.VALUE)
            .mapPartitions(new RunningCounts(buckets, qs), Encoders.row(SCANNED_SCHEMA))
            .persist(StorageLevel.MEMORY_AND_DISK());
    kept.add(scanned);
    Map<String, List<Row>> points = new LinkedHashMap<>();
    for (Row row : scanned.where(col(POINT)).collectAsList()) {
      points.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row);
    }
    Map<String, Result> results = new HashMap<>();
    for (Map.Entry<String, List<Row>> series : points.entrySet()) {
      results.put(series.getKey(), result(series.getValue(), qs));
    }
    Dataset<Row> running = scanned.where(col(FULL)).drop(POINT, FULL);
    return new Computed(running, results);
  }

  private static final String POINT = "_point";
  private static final String FULL = "_full";
  private static final StructType SCANNED_SCHEMA = new StructType()
      .add(Distributions.SERIES, DataTypes.StringType, false)
      .add(Distributions.VALUE, DataTypes.DoubleType, false)
      .add(Distributions.COUNT, DataTypes.LongType, false)
      .add(Distributions.CUMULATIVE, DataTypes.LongType, false)
      .add(Distributions.TOTAL, DataTypes.LongType, false)
      .add(POINT, DataTypes.BooleanType, false)
      .add(FULL, DataTypes.BooleanType, false);

  /** A slice of a series: its name, the observations before the slice, the series' total. */
  private record Bucket(String series, long before, long total, boolean full)
      implements java.io.Serializable {}

  /**
   * One pass over a task's rows {@code bucket, all-series bucket (or null), value, count},
   * sorted by value only (a sort on one double, whose prefix decides nearly every comparison),
   * every bucket's rows in this task, each row counted in its bucket and its all-series one:
   * per bucket, one row per distinct value with its running count, of which it returns the
   * thinned CDF's and the quantiles' points, and every one of a full series. A value's rows are
   * added up when the next value begins.
   */
  private static final class RunningCounts implements MapPartitionsFunction<Row, Row> {
    private final Map<Long, Bucket> buckets;
    private final double[] qs;

    RunningCounts(Map<Long, Bucket> buckets, double[] qs) {
      this.buckets = buckets;
      this.qs = qs;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new QueuedRows() {
        /** Per bucket: the running count before the current value, the current value's. */
        private final Map<Long, long[]> counts = new HashMap<>();
        /** The buckets that have rows of the current value. */
        private final List<Long> touched = new ArrayList<>();
        private double current;

        @Override
        protected void fill() {
          while (ready.isEmpty() && rows.hasNext()) {
            Row row = rows.next();
            double value = row.getDouble(2);
            if (!touched.isEmpty() && Double.compare(value, current) != 0) {
              close();
            }
            current = value;
            add(row.getLong(0), row.getLong(3));
            if (!row.isNullAt(1)) {
              add(row.getLong(1), row.getLong(3));
            }
          }
          if (ready.isEmpty() && !touched.isEmpty()) {
            close();
          }
        }

        private void add(long id, long observations) {
          long[] count = counts.computeIfAbsent(id,
              k -> new long[] {buckets.get(k).before(), 0});
          if (count[1] == 0) {
            touched.add(id);
          }
          count[1] += observations;
        }

        /** Adds the current value's count to every bucket that has it; queues their rows. */
        private void close() {
          for (long id : touched) {
            Bucket bucket = buckets.get(id);
            long[] count = counts.get(id);
            long cumulative = count[0] + count[1];
            boolean point =
                Distributions.thinnedOrQuantile(cumulative, count[1], bucket.total(), qs);
            if (point || bucket.full()) {
              ready.add(RowFactory.create(bucket.series(), current, count[1], cumulative,
                  bucket.total(), point, bucket.full()));
            }
            count[0] = cumulative;
            count[1] = 0;
          }
          touched.clear();
        }
      };
    }
  }

  /** The running-sum table of the full series and the results of every series with values. */
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
    return new Result(points, qs, Arrays.asList(quantiles));
  }
}
