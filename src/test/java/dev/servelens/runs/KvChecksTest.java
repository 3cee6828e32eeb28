package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class KvChecksTest {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void pointsPerRunShrinkWithTheNumberOfRunsWithinBounds() {
    assertThat(KvChecks.pointsPerRun(9)).isEqualTo(2000);      // 100,000 / 9 = 11,111: capped
    assertThat(KvChecks.pointsPerRun(1000)).isEqualTo(100);    // 100,000 / 1,000
    assertThat(KvChecks.pointsPerRun(20_000)).isEqualTo(20);   // 5 each: the floor is 20
  }

  @Test
  void usageFigureKeepsEveryKthSampleAndTheLastLeavingNanOut() {
    StructType schema = new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType)
        .add(RunsColumns.TS_UNIX, DataTypes.LongType)
        .add(RunsColumns.PORT, DataTypes.StringType)
        .add(RunsColumns.LINE_NUMBER, DataTypes.LongType)
        .add(RunsColumns.VALUE, DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    // Run a: 10 valid samples at t = 100..109 and a NaN at 110.
    for (int i = 0; i < 10; i++) {
      rows.add(RowFactory.create("a", 100L + i, "8000", 2L + i, i / 10.0));
    }
    rows.add(RowFactory.create("a", 110L, "8000", 12L, Double.NaN));
    List<Row> points = KvChecks.usageFigure(spark.createDataFrame(rows, schema), 3)
        .collectAsList();
    // 10 samples, 3 points: every ceil(10/3) = 4th sample (1st, 5th, 9th) plus the 10th.
    List<String> seen = new ArrayList<>();
    for (Row row : points) {
      seen.add(row.getLong(1) + "=" + Math.round(row.getDouble(2)));
    }
    assertThat(seen).containsExactly("0=0", "4=40", "8=80", "9=90");
  }
}
