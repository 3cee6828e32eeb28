package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.servelens.testing.ReferenceStats;
import dev.servelens.testing.SharedSpark;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BootstrapRatesTest {
  private final SparkSession spark = SharedSpark.session();

  private static final StructType WINDOWS = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(ActiveWindows.START_S, DataTypes.LongType)
      .add(ActiveWindows.END_S, DataTypes.LongType)
      .add(ActiveWindows.WINDOW_S, DataTypes.LongType);

  private static final StructType MARKS = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(ActiveWindows.MEASURE, DataTypes.StringType)
      .add(ActiveWindows.T, DataTypes.LongType)
      .add("n", DataTypes.LongType);

  /**
   * Runs whose every one-minute bin holds the same number of tasks have the same rate in every
   * replicate, so each group's replicates are known exactly: A's a1 finishes 2 tasks in each
   * of its two minutes (2 tasks/min), B's b1 one (1 task/min). A's a2 has a window but no
   * driver.log: it is not in the tables' mean, so it must not be in the replicates either (it
   * would halve A's to 1.0).
   */
  @Test
  void groupReplicatesLeaveOutRunsWithoutDriverLog() {
    Dataset<Row> runs = spark.createDataFrame(List.of(
        RowFactory.create("a1", "A", 32, true),
        RowFactory.create("a2", "A", 32, false),
        RowFactory.create("b1", "B", 32, true)), new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType)
        .add(RunsColumns.SYSTEM, DataTypes.StringType)
        .add(RunsColumns.CONCURRENCY, DataTypes.IntegerType)
        .add("has_driver_log", DataTypes.BooleanType));
    Dataset<Row> windows = spark.createDataFrame(List.of(
        RowFactory.create("a1", 1000L, 1120L, 120L),
        RowFactory.create("a2", 1000L, 1120L, 120L),
        RowFactory.create("b1", 1000L, 1120L, 120L)), WINDOWS);
    Dataset<Row> marks = spark.createDataFrame(List.of(
        RowFactory.create("a1", ActiveWindows.TASKS, 1010L, 2L),
        RowFactory.create("a1", ActiveWindows.TASKS, 1070L, 2L),
        RowFactory.create("b1", ActiveWindows.TASKS, 1010L, 1L),
        RowFactory.create("b1", ActiveWindows.TASKS, 1070L, 1L)), MARKS);
    Dataset<Row> perRun = new BootstrapRates(50, 7).replicate(BootstrapRates.bins(windows, marks));
    Map<String, List<Row>> tasks = new HashMap<>();
    for (Row row : BootstrapRates.byGroup(runs, perRun).collectAsList()) {
      if (row.getString(2).equals(ActiveWindows.TASKS)) {
        tasks.put(row.getString(0), row.getList(3));
      }
    }
    assertThat(tasks).containsOnlyKeys("A", "B");
    assertThat(tasks.get("A")).hasSize(50).allSatisfy(r -> assertThat(r.getDouble(1)).isEqualTo(2.0));
    assertThat(tasks.get("B")).hasSize(50).allSatisfy(r -> assertThat(r.getDouble(1)).isEqualTo(1.0));
  }

  /**
   * Against the bootstrap's known law. Runs of 100 one-minute bins whose counts cycle through
   * known values: A's 0, 2, 4, 6 (mean 3 tasks/min, population variance 5), B's 1, 3 (mean 2,
   * variance 1). A replicate is the mean of 100 bins drawn with replacement, so over many
   * replicates its mean tends to the sample mean and its standard deviation to
   * sqrt(variance / 100): 0.2236 for A, 0.1 for B. The winner's lead A - B = 1 then has a 95 %
   * interval of about 1 -/+ 1.96 sqrt(0.05 + 0.01) = [0.520, 1.480] (the mean of 100 draws is
   * close to normal). Tolerances: 0.02 on the means (their standard error is 0.004), 5 % on the
   * standard deviations (about 1 % standard error with 4000 replicates), 0.05 on the interval.
   */
  @Test
  void replicatesFollowTheBootstrapLawOfTheMean() {
    int[] cycleA = {0, 2, 4, 6};
    int[] cycleB = {1, 3};
    List<Row> marks = new java.util.ArrayList<>();
    for (int bin = 0; bin < 100; bin++) {
      long t = 60L * bin + 30;
      marks.add(RowFactory.create("a", ActiveWindows.TASKS, t, (long) cycleA[bin % 4]));
      marks.add(RowFactory.create("b", ActiveWindows.TASKS, t, (long) cycleB[bin % 2]));
    }
    Dataset<Row> windows = spark.createDataFrame(List.of(
        RowFactory.create("a", 0L, 6000L, 6000L),
        RowFactory.create("b", 0L, 6000L, 6000L)), WINDOWS);
    Dataset<Row> markTable = spark.createDataFrame(marks, MARKS);
    Map<String, double[]> replicates = new HashMap<>();
    for (Row row : new BootstrapRates(4000, 11).replicate(BootstrapRates.bins(windows, markTable))
        .collectAsList()) {
      if (row.getString(1).equals(ActiveWindows.TASKS)) {
        replicates.put(row.getString(0), row.getList(2).stream()
            .mapToDouble(value -> (Double) value).toArray());
      }
    }
    double[] a = replicates.get("a");
    double[] b = replicates.get("b");
    assertThat(a).hasSize(4000);
    assertThat(ReferenceStats.mean(a)).isCloseTo(3.0, within(0.02));
    assertThat(ReferenceStats.mean(b)).isCloseTo(2.0, within(0.02));
    assertThat(ReferenceStats.populationStd(a))
        .isCloseTo(Math.sqrt(5.0 / 100), withinPercentage(5));
    assertThat(ReferenceStats.populationStd(b))
        .isCloseTo(Math.sqrt(1.0 / 100), withinPercentage(5));

    ComparisonTable.Winner winner = ComparisonTable.winner(List.of(
        new ComparisonTable.Group("A", 32, 3.0, 1, a),
        new ComparisonTable.Group("B", 32, 2.0, 1, b)));
    assertThat(winner.label()).isEqualTo("A");
    assertThat(winner.lead()).isEqualTo(1.0);
    double half = 1.959964 * Math.sqrt(0.05 + 0.01);
    assertThat(winner.ciLow()).isCloseTo(1 - half, within(0.05));
    assertThat(winner.ciHigh()).isCloseTo(1 + half, within(0.05));
  }
}
