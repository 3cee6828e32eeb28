package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;

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
    StructType windowSchema = new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType)
        .add(ActiveWindows.START_S, DataTypes.LongType)
        .add(ActiveWindows.END_S, DataTypes.LongType)
        .add(ActiveWindows.WINDOW_S, DataTypes.LongType);
    Dataset<Row> windows = spark.createDataFrame(List.of(
        RowFactory.create("a1", 1000L, 1120L, 120L),
        RowFactory.create("a2", 1000L, 1120L, 120L),
        RowFactory.create("b1", 1000L, 1120L, 120L)), windowSchema);
    Dataset<Row> marks = spark.createDataFrame(List.of(
        RowFactory.create("a1", ActiveWindows.TASKS, 1010L, 2L),
        RowFactory.create("a1", ActiveWindows.TASKS, 1070L, 2L),
        RowFactory.create("b1", ActiveWindows.TASKS, 1010L, 1L),
        RowFactory.create("b1", ActiveWindows.TASKS, 1070L, 1L)), new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType)
        .add(ActiveWindows.MEASURE, DataTypes.StringType)
        .add(ActiveWindows.T, DataTypes.LongType)
        .add("n", DataTypes.LongType));
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
}
