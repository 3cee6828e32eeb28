package dev.servelens.workload;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.servelens.io.SparkValues;
import dev.servelens.stats.Distributions;
import dev.servelens.stats.ExactCdfs;
import dev.servelens.stats.PrecedingValues;
import dev.servelens.stats.SparkOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The inter-arrival analyses (SPEC 2.W.4): gaps between consecutive request starts within a
 * series (a model, all requests, or a user), raised to at least 1 ms; their exact CDF and
 * quantiles, box statistics per hour of day and per date, lag-1 Pearson and Spearman
 * correlation, and the heatmap of consecutive pairs with a bounded sample of them for the lag-1
 * scatter. Consecutive requests are found with
 * {@link PrecedingValues} over time slices, so a model holding most of the traffic is spread
 * over many tasks.
 */
final class WorkloadInterArrival {
  private WorkloadInterArrival() {}

  static final String GAP = "gap_s";
  static final String PREVIOUS_GAP = "previous_gap_s";
  static final String STARTED_US = "started_us";
  /** Gaps are raised to this, in microseconds (1 ms), so log scales work. */
  static final long MIN_GAP_MICROS = 1_000L;
  static final double HEATMAP_MIN_S = 1e-3;
  static final double HEATMAP_MAX_S = 1e4;
  static final int HEATMAP_BINS = 50;

  static final String KEY = "_key";
  static final String KIND = "kind";
  /** Gaps within a model, or within all requests ({@code *}). */
  static final int MODEL_GAP = 0;
  /** Gaps within a user's requests (series {@code *}). */
  static final int USER_GAP = 1;

  /**
   * One row per request that has a predecessor in its series: {@code kind, series, started_us,
   * previous, gap_s, previous_gap_s (null for the first gap), hour, date}. The series are every
   * model and {@code *} (kind {@link #MODEL_GAP}), and with {@code perUser} every user, whose
   * gaps are pooled under series {@code *} (kind {@link #USER_GAP}). All of them come from one
   * {@link PrecedingValues} scan, models cut into slices of {@code sliceMicros}.
   */
  static Dataset<Row> gaps(Dataset<Row> requests, boolean perUser, long sliceMicros,
      List<Dataset<Row>> kept) {
    Column startedUs = expr("unix_micros(" + WorkloadColumns.STARTED_AT + ")");
    Dataset<Row> starts =
        requests.select(
                startedUs.as(STARTED_US),
                explode(array(
                    series(MODEL_GAP, lit("m"), col(WorkloadColumns.MODEL_ID),
                        col(WorkloadColumns.MODEL_ID)),
                    series(MODEL_GAP, lit("*"), lit(""), lit(WorkloadOverview.ALL)),
                    perUser
                        ? series(USER_GAP, lit("u"), col(WorkloadColumns.USER_ID),
                            lit(WorkloadOverview.ALL))
                        : lit(null))).as("s"))
            .where(col("s").isNotNull().and(col(STARTED_US).isNotNull())
                .and(col("s." + KEY).isNotNull()))
            .select(col("s." + KEY).as(KEY), col("s." + KIND).as(KIND),
                col("s." + Distributions.SERIES).as(Distributions.SERIES), col(STARTED_US));
    // Models and all requests are cut into time slices (a model may hold most of the rows);
    // a user's requests stay together.
    Column slice = when(col(KIND).equalTo(MODEL_GAP),
        floor(col(STARTED_US).divide(sliceMicros)).cast("long")).otherwise(lit(0L));
    Dataset<Row> withPrevious =
        PrecedingValues.compute(starts, KEY, STARTED_US, slice, kept);
    Column previous = col(PrecedingValues.PREVIOUS);
    Column previous2 = col(PrecedingValues.PREVIOUS2);
    return withPrevious
        .where(previous.isNotNull())
        .select(
            col(KIND),
            col(Distributions.SERIES),
            col(STARTED_US),
            previous,
            greatest(col(STARTED_US).minus(previous), lit(MIN_GAP_MICROS)).divide(1e6).as(GAP),
            when(previous2.isNotNull(),
                greatest(previous.minus(previous2), lit(MIN_GAP_MICROS)).divide(1e6))
                .as(PREVIOUS_GAP))
        .withColumn("hour", hour(expr("timestamp_micros(" + STARTED_US + ")")))
        .withColumn(WorkloadColumns.DATE, to_date(expr("timestamp_micros(" + STARTED_US + ")")));
  }

  /** The scan key (a prefix, so models, users and all never collide) and series label. */
  private static Column series(int kind, Column prefix, Column id, Column label) {
    return struct(concat(prefix, id).as(KEY), lit(kind).as(KIND),
        label.as(Distributions.SERIES));
  }

  /** The gap values of {@link #gaps} for {@link dev.servelens.stats.ExactCdfs}. */
  static Dataset<Row> cdfValues(Dataset<Row> gaps, String modelPrefix, String userPrefix) {
    return gaps.select(
        concat(when(col(KIND).equalTo(MODEL_GAP), lit(modelPrefix)).otherwise(lit(userPrefix)),
            col(Distributions.SERIES)).as(Distributions.SERIES),
        col(GAP).as(Distributions.VALUE), lit(null).cast("string").as(ExactCdfs.ALL));
  }

  private static final int HOURLY = 1;
  private static final int DAILY = 2;
  private static final String[] BOX = {"p5", "p25", "p50", "p75", "p95"};

  /** Moments of one series' gaps and its first and last gap (for average ranks). */
  record Moments(long gaps, Double mean, Double std, Double pearson, Double first, Double last) {}

  /** What one aggregation over the gaps gives. */
  record Summary(
      Map<String, Moments> moments,
      List<Row> hourlyBox,
      List<Row> dailyBox,
      List<Row> heatmap,
      List<Row> lagScatter) {}

  /**
   * Three aggregations over {@code gaps}: per model series (and {@code *}) the moments and
   * lag-1 Pearson correlation; for the {@code shown} series the box
   * statistics per hour of day and per date; and their heatmap counts, with a sample of at
   * most {@code scatterPoints} consecutive pairs per series (see {@link #sampled}).
   */
  static Summary summarise(Dataset<Row> gaps, List<String> shown, int scatterPoints) {
    double lowLog = Math.log10(HEATMAP_MIN_S * 1000);
    double width = (Math.log10(HEATMAP_MAX_S * 1000) - lowLog) / HEATMAP_BINS;
    Map<String, Moments> moments = new HashMap<>();
    for (Row row : gaps.where(col(KIND).equalTo(MODEL_GAP)).groupBy(col(Distributions.SERIES))
        .agg(count(lit(1)).as("n"),
            avg(GAP).as("mean"),
            stddev_pop(GAP).as("std"),
            corr(PREVIOUS_GAP, GAP).as("pearson"),
            max_by(col(GAP), when(col(PREVIOUS_GAP).isNull(), 1).otherwise(0)).as("first"),
            max_by(col(GAP), struct(col(STARTED_US), col(PrecedingValues.PREVIOUS))).as("last"))
        .collectAsList()) {
      moments.put(row.getString(0), new Moments(row.getLong(1), nullable(row, 2),
          nullable(row, 3), nullable(row, 4), nullable(row, 5), nullable(row, 6)));
    }
    Dataset<Row> shownGaps = gaps.where(col(KIND).equalTo(MODEL_GAP)
        .and(col(Distributions.SERIES).isin(shown.toArray())));
    Column nullInt = lit(null).cast("int");
    Column nullDate = lit(null).cast("date");
    List<Row> hourly = new ArrayList<>();
    List<Row> daily = new ArrayList<>();
    List<Column> boxes = boxAggregates(col(GAP));
    for (Row row : shownGaps
        .select(col(Distributions.SERIES), col(GAP), explode(array(
            struct(lit(HOURLY).as("kind"), col("hour").as("hour"), nullDate.as("date")),
            struct(lit(DAILY).as("kind"), nullInt.as("hour"),
                col(WorkloadColumns.DATE).as("date")))).as("k"))
        .groupBy(col(Distributions.SERIES), col("k.kind"), col("k.hour"), col("k.date"))
        .agg(boxes.get(0), boxes.subList(1, boxes.size()).toArray(new Column[0]))
        .collectAsList()) {
      if (row.getInt(1) == HOURLY) {
        hourly.add(box(row.getString(0), row.get(2), row, 4));
      } else {
        daily.add(box(row.getString(0), row.get(3), row, 4));
      }
    }
    hourly.sort(WorkloadInterArrival::bySeriesThenKey);
    daily.sort(WorkloadInterArrival::bySeriesThenKey);
    Map<String, Map<Integer, Long>> rowPairs = new HashMap<>();
    Map<String, Long> pairs = new HashMap<>();
    List<Row> cells = shownGaps.where(col(PREVIOUS_GAP).isNotNull())
        .groupBy(col(Distributions.SERIES), bin(col(PREVIOUS_GAP), lowLog, width).as("x_bin"),
            bin(col(GAP), lowLog, width).as("y_bin"))
        .agg(count(lit(1)).as("count"), collect_list(when(
            sampleKey().lt(keepBelow(moments, shown, scatterPoints)),
            struct(sampleKey(), col(PREVIOUS_GAP), col(GAP)))).as("sample"))
        .collectAsList();
    for (Row cell : cells) {
      String name = cell.getString(0);
      pairs.merge(name, cell.getLong(3), Long::sum);
      rowPairs.computeIfAbsent(name, k -> new HashMap<>()).merge(cell.getInt(1),
          cell.getLong(3), Long::sum);
    }
    List<Row> heatmap = new ArrayList<>();
    for (Row cell : cells) {
      String name = cell.getString(0);
      int x = cell.getInt(1);
      int y = cell.getInt(2);
      long n = cell.getLong(3);
      heatmap.add(RowFactory.create(name, x, y, edge(x, lowLog, width),
          edge(x + 1, lowLog, width), edge(y, lowLog, width), edge(y + 1, lowLog, width), n,
          (double) n / (double) pairs.get(name),
          (double) n / (double) rowPairs.get(name).get(x)));
    }
    heatmap.sort((a, b) -> {
      int bySeries = SparkOrder.compare(a.getString(0), b.getString(0));
      if (bySeries != 0) {
        return bySeries;
      }
      int byX = Integer.compare(a.getInt(1), b.getInt(1));
      return byX != 0 ? byX : Integer.compare(a.getInt(2), b.getInt(2));
    });
    return new Summary(moments, hourly, daily, heatmap,
        sampled(cells, scatterPoints));
  }

  /**
   * A pair's place in the sample, in [0, 1): a hash of its series and start, so the same
   * trace always gives the same sample.
   */
  private static Column sampleKey() {
    return shiftrightunsigned(xxhash64(col(Distributions.SERIES), col(STARTED_US)), 11)
        .cast("double").divide(SAMPLE_KEY_RANGE);
  }

  private static final double SAMPLE_KEY_RANGE = 0x1p53;

  /**
   * The sample key below which a series' pairs are sent to the driver: twice the share of its
   * pairs the sample keeps (1 when it keeps them all), so about 2 x {@code points} pairs come
   * back per series, of which {@link #sampled} keeps the {@code points} with the lowest keys.
   */
  private static Column keepBelow(Map<String, Moments> moments, List<String> shown,
      int points) {
    Column share = lit(0.0);
    for (String name : shown) {
      Moments m = moments.get(name);
      if (m != null) {
        long pairs = Math.max(1, m.gaps() - 1);
        share = when(col(Distributions.SERIES).equalTo(name),
            lit(Math.min(1.0, 2.0 * points / pairs))).otherwise(share);
      }
    }
    return share;
  }

  /**
   * {@code series, previous_gap_s, gap_s}: per series the {@code points} pairs of the heatmap
   * cells' samples with the lowest sample keys (a uniform sample of the pairs without
   * replacement, fixed by the hash), ordered by series and values.
   */
  private static List<Row> sampled(List<Row> cells, int points) {
    Map<String, List<Row>> bySeries = new HashMap<>();
    for (Row cell : cells) {
      List<Row> sample = cell.getList(4);
      bySeries.computeIfAbsent(cell.getString(0), k -> new ArrayList<>()).addAll(sample);
    }
    Comparator<Row> byKey = Comparator.<Row>comparingDouble(pair -> pair.getDouble(0))
        .thenComparingDouble(pair -> pair.getDouble(1))
        .thenComparingDouble(pair -> pair.getDouble(2));
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<Row>> series : bySeries.entrySet()) {
      series.getValue().stream().sorted(byKey).limit(points)
          .map(pair -> RowFactory.create(series.getKey(), pair.getDouble(1), pair.getDouble(2)))
          .forEach(rows::add);
    }
    rows.sort(Comparator.<Row, String>comparing(row -> row.getString(0), SparkOrder::compare)
        .thenComparingDouble(row -> row.getDouble(1))
        .thenComparingDouble(row -> row.getDouble(2)));
    return rows;
  }

  static final StructType LAG_SCATTER_SCHEMA = new StructType()
      .add(Distributions.SERIES, DataTypes.StringType)
      .add(PREVIOUS_GAP, DataTypes.DoubleType)
      .add(GAP, DataTypes.DoubleType);

  private static Double nullable(Row row, int index) {
    return row.isNullAt(index) ? null : row.getDouble(index);
  }

  /**
   * The aggregates of a box of {@code value}: the percentiles of {@link #BOX} (one array), the
   * mean and the count of values, in that order ({@link #box} reads them back).
   */
  static List<Column> boxAggregates(Column value) {
    return List.of(Distributions.percentiles(value, 0.05, 0.25, 0.50, 0.75, 0.95).as("p"),
        avg(value).as("mean"), count(value).as("n"));
  }

  /**
   * {@code series, <key>, p5, p25, p50, p75, p95, mean, n} from an aggregated {@code row}
   * whose {@link #boxAggregates} start at column {@code first}.
   */
  static Row box(String series, Object key, Row row, int first) {
    Object[] values = new Object[2 + BOX.length + 2];
    values[0] = series;
    values[1] = key;
    List<Double> quantiles = row.getList(first);
    for (int i = 0; i < BOX.length; i++) {
      values[2 + i] = quantiles.get(i);
    }
    values[2 + BOX.length] = nullable(row, first + 1);
    values[3 + BOX.length] = row.getLong(first + 2);
    return RowFactory.create(values);
  }

  /** Box rows ordered by series (Spark's string order), then by key. */
  @SuppressWarnings("unchecked")
  static int bySeriesThenKey(Row a, Row b) {
    int bySeries = SparkOrder.compare(a.getString(0), b.getString(0));
    return bySeries != 0 ? bySeries
        : ((Comparable<Object>) a.get(1)).compareTo(b.get(1));
  }

  static StructType boxSchema(String key, org.apache.spark.sql.types.DataType type) {
    StructType schema = new StructType()
        .add(Distributions.SERIES, DataTypes.StringType)
        .add(key, type);
    for (String name : BOX) {
      schema = schema.add(name, DataTypes.DoubleType);
    }
    return schema.add("mean", DataTypes.DoubleType).add("n", DataTypes.LongType);
  }

  static final StructType HEATMAP_SCHEMA = new StructType()
      .add(Distributions.SERIES, DataTypes.StringType)
      .add("x_bin", DataTypes.IntegerType)
      .add("y_bin", DataTypes.IntegerType)
      .add("x_lo", DataTypes.DoubleType)
      .add("x_hi", DataTypes.DoubleType)
      .add("y_lo", DataTypes.DoubleType)
      .add("y_hi", DataTypes.DoubleType)
      .add("count", DataTypes.LongType)
      .add("probability", DataTypes.DoubleType)
      .add("conditional_probability", DataTypes.DoubleType);

  /**
   * {@code series, spearman_lag1}: the correlation of the average ranks of consecutive gaps.
   * Each pair (gap, next gap) takes the rank of its first gap among all gaps but the series'
   * last one, and of its second among all gaps but the first, read off the exact CDF.
   *
   * @param running the running-sum table of {@link dev.servelens.stats.ExactCdfs} for the gap
   *     series, series named as in {@code gaps}
   */
  static Map<String, Double> spearman(Dataset<Row> gaps, Dataset<Row> running,
      Map<String, Moments> moments) {
    SparkSession spark = gaps.sparkSession();
    List<Row> endRows = new ArrayList<>();
    for (Map.Entry<String, Moments> entry : moments.entrySet()) {
      endRows.add(RowFactory.create(entry.getKey(), entry.getValue().first(),
          entry.getValue().last()));
    }
    Dataset<Row> ends = spark.createDataFrame(endRows, new StructType()
        .add(Distributions.SERIES, DataTypes.StringType)
        .add("g_first", DataTypes.DoubleType)
        .add("g_last", DataTypes.DoubleType));
    Dataset<Row> ranks =
        running.select(
                col(Distributions.SERIES),
                col(Distributions.VALUE),
                col(Distributions.CUMULATIVE).minus(col(Distributions.COUNT)).as("less"),
                col(Distributions.COUNT).as("equal"))
            .join(broadcast(ends), Distributions.SERIES);
    Dataset<Row> rankX = ranks.select(col(Distributions.SERIES), col(Distributions.VALUE)
        .as("x"), averageRank("g_last").as("rank_x"));
    Dataset<Row> rankY = ranks.select(col(Distributions.SERIES), col(Distributions.VALUE)
        .as("y"), averageRank("g_first").as("rank_y"));
    Dataset<Row> pairs =
        gaps.where(col(KIND).equalTo(MODEL_GAP).and(col(PREVIOUS_GAP).isNotNull()))
            .select(col(Distributions.SERIES), col(PREVIOUS_GAP).as("x"), col(GAP).as("y"));
    Map<String, Double> result = new HashMap<>();
    for (Row row : pairs
        .join(rankX, SparkValues.columns(Distributions.SERIES, "x"))
        .join(rankY, SparkValues.columns(Distributions.SERIES, "y"))
        .groupBy(Distributions.SERIES)
        .agg(corr("rank_x", "rank_y").as("spearman_lag1"))
        .collectAsList()) {
      result.put(row.getString(0), row.isNullAt(1) ? null : row.getDouble(1));
    }
    return result;
  }

  /** The average rank of a value among all gaps but the one named by {@code excluded}. */
  private static Column averageRank(String excluded) {
    Column value = col(Distributions.VALUE);
    Column less = col("less").minus(when(col(excluded).lt(value), 1).otherwise(0));
    Column equal = col("equal").minus(when(col(excluded).equalTo(value), 1).otherwise(0));
    return less.plus(equal.plus(1).divide(2.0));
  }


  /**
   * {@code model, n_gaps, mean_s, p50_s, p90_s, p99_s, cv, pearson_lag1, spearman_lag1}, in
   * model order.
   */
  static List<Row> stats(Map<String, Moments> moments, Map<String, ExactCdfs.Result> cdfs,
      Map<String, Double> spearman) {
    List<String> names = new ArrayList<>(moments.keySet());
    names.sort(SparkOrder::compare);
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      Moments m = moments.get(name);
      ExactCdfs.Result cdf = cdfs.get(name);
      if (cdf == null) {
        continue;
      }
      Double cv = m.std() == null || m.mean() == null || m.mean() == 0 ? null
          : m.std() / m.mean();
      rows.add(RowFactory.create(name, m.gaps(), m.mean(), cdf.quantile(QUANTILES[0]),
          cdf.quantile(QUANTILES[1]), cdf.quantile(QUANTILES[2]), cv, m.pearson(),
          spearman.get(name)));
    }
    return rows;
  }

  static final double[] QUANTILES = {0.5, 0.9, 0.99};

  static final StructType STATS_SCHEMA = new StructType()
      .add("model", DataTypes.StringType)
      .add("n_gaps", DataTypes.LongType)
      .add("mean_s", DataTypes.DoubleType)
      .add("p50_s", DataTypes.DoubleType)
      .add("p90_s", DataTypes.DoubleType)
      .add("p99_s", DataTypes.DoubleType)
      .add("cv", DataTypes.DoubleType)
      .add("pearson_lag1", DataTypes.DoubleType)
      .add("spearman_lag1", DataTypes.DoubleType);

  private static Column bin(Column seconds, double lowLog, double width) {
    Column clipped = least(greatest(seconds, lit(HEATMAP_MIN_S)), lit(HEATMAP_MAX_S));
    Column logMillis = log10(clipped.multiply(1000));
    return least(floor(logMillis.minus(lowLog).divide(width)), lit(HEATMAP_BINS - 1L))
        .cast("int");
  }

  /** The lower edge of a heatmap bin in seconds, as Spark computed it. */
  private static double edge(int bin, double lowLog, double width) {
    return StrictMath.pow(10.0, bin * width + lowLog) / 1000;
  }
}
