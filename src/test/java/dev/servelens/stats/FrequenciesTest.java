package dev.servelens.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * What the driver derives from a frequency table must be what Spark's own window functions
 * select from the full data (the second method), and what a plain sort of the observations
 * gives.
 */
class FrequenciesTest {
  private final SparkSession spark = SharedSpark.session();

  /** 30,000 heavy-tailed counts with many ties, like requests per user. */
  private static long[] observations() {
    SplittableRandom random = new SplittableRandom(11);
    long[] values = new long[30_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.floor(Math.exp(random.nextDouble() * 9));
    }
    return values;
  }

  @Test
  void logSpacedRanksAreThoseSparkKeeps() {
    long[] values = observations();
    Frequencies<Long> frequencies = new Frequencies<>();
    for (long value : values) {
      frequencies.add(value, 1);
    }
    long[] descending = Arrays.stream(values).boxed()
        .sorted((a, b) -> Long.compare(b, a)).mapToLong(Long::longValue).toArray();
    List<Row> ranked = new ArrayList<>();
    for (int i = 0; i < descending.length; i++) {
      ranked.add(RowFactory.create((long) i + 1, descending[i]));
    }
    Dataset<Row> table = spark.createDataFrame(ranked, new StructType()
        .add("rank", DataTypes.LongType).add("v", DataTypes.LongType));
    // The rule in Spark's own functions: rank 1, the last rank, and a change of log bucket.
    Column bucket = floor(log10(col("rank")).multiply(Distributions.RANKS_PER_DECADE));
    Column previousBucket =
        floor(log10(col("rank").minus(1)).multiply(Distributions.RANKS_PER_DECADE));
    List<String> bySpark = new ArrayList<>();
    for (Row row : table.where(col("rank").equalTo(1).or(col("rank").equalTo(descending.length))
            .or(bucket.notEqual(previousBucket)))
        .orderBy("rank").collectAsList()) {
      bySpark.add(row.getLong(0) + ":" + row.getLong(1));
    }
    List<String> byDriver = new ArrayList<>();
    for (Map.Entry<Long, Long> point : frequencies.valuesAtLogSpacedRanks()) {
      byDriver.add(point.getKey() + ":" + point.getValue());
    }
    assertThat(bySpark).hasSizeGreaterThan(300);
    assertThat(byDriver).isEqualTo(bySpark);
  }

  @Test
  void thinnedCdfAndQuantilesAreThoseSparkComputes() {
    long[] values = observations();
    Frequencies<Long> frequencies = new Frequencies<>();
    List<Row> rows = new ArrayList<>();
    for (long value : values) {
      frequencies.add(value, 1);
      rows.add(RowFactory.create("s", value));
    }
    Dataset<Row> observed = spark.createDataFrame(rows, new StructType()
        .add(Distributions.SERIES, DataTypes.StringType)
        .add(Distributions.VALUE, DataTypes.LongType));
    // The exact CDF and its thinning in Spark's own functions, over the whole data.
    Dataset<Row> counts = observed.groupBy(Distributions.VALUE).agg(count(lit(1)).as("n"));
    Dataset<Row> cdf = counts
        .withColumn("cum", sum("n").over(Window.orderBy(Distributions.VALUE)))
        .withColumn("total", sum("n").over(Window.partitionBy()));
    Column step = floor(col("cum").divide(col("total")).multiply(Distributions.CDF_POINTS));
    Column previousStep = floor(col("cum").minus(col("n")).divide(col("total"))
        .multiply(Distributions.CDF_POINTS));
    List<String> bySpark = new ArrayList<>();
    for (Row row : cdf.where(step.notEqual(previousStep).or(col("cum").equalTo(col("n"))))
        .orderBy(Distributions.VALUE)
        .select(col(Distributions.VALUE), col("cum").divide(col("total"))).collectAsList()) {
      bySpark.add(row.getLong(0) + ":" + row.getDouble(1));
    }
    List<String> byDriver = new ArrayList<>();
    for (Frequencies.Point<Long> point : frequencies.thinnedCdf()) {
      byDriver.add(point.value() + ":" + point.cdf());
    }
    assertThat(byDriver).isEqualTo(bySpark);

    long[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] qs = {0.5, 0.9, 0.99};
    List<Long> expected = new ArrayList<>();
    for (double q : qs) {
      expected.add(sorted[(int) Math.ceil(q * sorted.length) - 1]);
    }
    assertThat(frequencies.quantiles(qs)).isEqualTo(expected);
  }

  @Test
  void exactCdfsOfManySeriesAtOnceMatchASortOfEach() {
    SplittableRandom random = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    Map<String, List<Double>> bySeries = Map.of("big", new ArrayList<>(), "small",
        new ArrayList<>());
    for (int i = 0; i < 20_000; i++) {
      String series = random.nextDouble() < 0.9 ? "big" : "small";
      double value = Math.round(random.nextDouble() * 500) / 10.0;
      bySeries.get(series).add(value);
      rows.add(RowFactory.create(series, value));
    }
    Dataset<Row> values = spark.createDataFrame(rows, new StructType()
        .add(Distributions.SERIES, DataTypes.StringType)
        .add(Distributions.VALUE, DataTypes.DoubleType))
        .withColumn(ExactCdfs.ALL, lit("both"));
    List<Double> both = new ArrayList<>(bySeries.get("big"));
    both.addAll(bySeries.get("small"));
    Map<String, List<Double>> expected = Map.of("big", bySeries.get("big"), "small",
        bySeries.get("small"), "both", both);
    // Counted per value before the sort, or sorted as they are: the same CDFs; every row
    // also counts in series "both".
    for (boolean counted : new boolean[] {false, true}) {
      List<Dataset<Row>> kept = new ArrayList<>();
      ExactCdfs.Computed computed = ExactCdfs.compute(
          List.of(new ExactCdfs.Values(values, counted)), "small", kept, 0.5, 0.9, 0.99);
      assertThat(computed.results()).containsOnlyKeys("big", "small", "both");
      for (String series : expected.keySet()) {
        Frequencies<Double> frequencies = new Frequencies<>();
        for (double value : expected.get(series)) {
          frequencies.add(value, 1);
        }
        ExactCdfs.Result result = computed.results().get(series);
        assertThat(result.quantiles()).isEqualTo(frequencies.quantiles(0.5, 0.9, 0.99));
        assertThat(result.points()).isEqualTo(frequencies.thinnedCdf());
      }
      // The running table holds every distinct value of the series asked for, and no other.
      assertThat(computed.running().count())
          .isEqualTo(501L - countMissing(bySeries.get("small")));
      assertThat(computed.running().where(col(Distributions.SERIES).notEqual(lit("small")))
          .count()).isZero();
      kept.forEach(Dataset::unpersist);
    }
  }

  /** Of the 501 values 0.0 .. 50.0, how many never occur in {@code values}. */
  private static long countMissing(List<Double> values) {
    return 501 - values.stream().distinct().count();
  }
}
