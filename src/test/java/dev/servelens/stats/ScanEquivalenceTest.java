package dev.servelens.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partition-carrying running sum must give exactly what Spark's window functions give, on a key
 * so skewed that it spans most of the range partitions, with ties in the order column.
 */
class ScanEquivalenceTest {
  private static Dataset<Row> rows;

  @BeforeAll
  static void skewedRows() {
    SparkSession spark = SharedSpark.session();
    SplittableRandom random = new SplittableRandom(7);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String key = random.nextDouble() < 0.85 ? "big" : "k" + random.nextInt(6);
      data.add(RowFactory.create(i, key, (long) random.nextInt(500), (long) random.nextInt(1, 4)));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("key", DataTypes.StringType)
            .add("t", DataTypes.LongType)
            .add("w", DataTypes.LongType);
    rows = spark.createDataFrame(data, schema);
  }

  @Test
  void runningSumEqualsAWindowSum() {
    WindowSpec window = Window.partitionBy("key").orderBy("t", "id");
    Dataset<Row> expected =
        rows.withColumn("expected", sum("w").over(window.rowsBetween(Window.unboundedPreceding(),
            Window.currentRow())));
    Dataset<Row> actual =
        RunningSum.compute(rows, "key", List.of(rows.col("t"), rows.col("id")), "w", 7);
    assertThat(actual.count()).isEqualTo(3000);
    Dataset<Row> joined = actual.join(expected.select("id", "expected"), "id");
    assertThat(joined.where(col(RunningSum.CUMULATIVE).notEqual(col("expected"))).count())
        .isZero();
    assertThat(joined.count()).isEqualTo(3000);
  }

  @Test
  void runningSumHandlesDescendingOrder() {
    WindowSpec window = Window.partitionBy("key").orderBy(col("t").desc(), col("id"));
    Dataset<Row> expected =
        rows.withColumn("expected", sum("w").over(window.rowsBetween(Window.unboundedPreceding(),
            Window.currentRow())));
    Dataset<Row> actual =
        RunningSum.compute(rows, "key", List.of(rows.col("t").desc(), rows.col("id")), "w", 5);
    Dataset<Row> joined = actual.join(expected.select("id", "expected"), "id");
    assertThat(joined.where(col(RunningSum.CUMULATIVE).notEqual(col("expected"))).count())
        .isZero();
  }
}
