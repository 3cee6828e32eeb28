package dev.servelens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class StageProgressTest {
  @Test
  void reportsTasksDoneAndTheEndOfEachStageUnderItsJobDescription() throws Exception {
    SparkSession spark = SharedSpark.session();
    SparkContext context = spark.sparkContext();
    List<String> lines = new CopyOnWriteArrayList<>();
    // Every report is due at once (0 ms), so each task and each stage end is reported.
    StageProgress progress = new StageProgress(0, lines::add);
    context.addSparkListener(progress);
    try {
      context.setJobDescription("count the numbers");
      assertThat(spark.range(0, 1000, 1, 4).count()).isEqualTo(1000);
      context.listenerBus().waitUntilEmpty();
    } finally {
      context.removeSparkListener(progress);
      context.setJobDescription(null);
    }
    // range(...).count(): a map stage of 4 tasks, then one task that sums the 4 counts.
    List<String> ends = lines.stream().filter(line -> line.contains(" after ")).toList();
    assertThat(ends).hasSize(2);
    assertThat(ends.get(0)).startsWith("count the numbers [stage ").endsWith("(4 tasks)")
        .contains(": done after ");
    assertThat(lines).anyMatch(line -> line.contains(": 4/4 tasks ("));
    assertThat(lines).anyMatch(line -> line.contains(": 1/1 tasks ("));
  }
}
