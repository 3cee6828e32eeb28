package dev.servelens.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The sliced scan with carries must give what one window over each whole key gives: on a key
 * holding most rows and cut into many slices (some empty, some with a single row), keys in a
 * single slice, and ties in the value.
 */
class PrecedingValuesTest {
  @Test
  void equalsLagOverTheWholeKey() {
    SplittableRandom random = new SplittableRandom(3);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      String key = random.nextDouble() < 0.85 ? "big" : "k" + random.nextInt(5);
      // Values cluster so that some slices of width 50 hold one row or none.
      long value = random.nextDouble() < 0.05 ? 2000 + random.nextInt(3000)
          : random.nextInt(2000);
      data.add(RowFactory.create(key, value));
    }
    data.add(RowFactory.create("lonely", 5L));
    Dataset<Row> rows = SharedSpark.session().createDataFrame(data, new StructType()
        .add("key", DataTypes.StringType).add("t", DataTypes.LongType));
    List<Dataset<Row>> kept = new ArrayList<>();
    Dataset<Row> actual = PrecedingValues.compute(rows, "key", "t",
        floor(col("t").divide(50)).cast("long"), kept);
    WindowSpec whole = Window.partitionBy("key").orderBy("t");
    Dataset<Row> expected = rows
        .withColumn("e1", lag(col("t"), 1).over(whole))
        .withColumn("e2", lag(col("t"), 2).over(whole));
    // Rows are (key, t) with duplicates: compare the multisets of (key, t, previous, previous2).
    Dataset<Row> left = actual.select(col("key"), col("t"), col(PrecedingValues.PREVIOUS),
        col(PrecedingValues.PREVIOUS2));
    Dataset<Row> right = expected.select(col("key"), col("t"), col("e1"), col("e2"));
    assertThat(left.count()).isEqualTo(4001);
    assertThat(left.exceptAll(right).count()).isZero();
    assertThat(right.exceptAll(left).count()).isZero();
    assertThat(actual.where(col("key").equalTo("big").and(col(PrecedingValues.PREVIOUS).isNull()))
        .count()).isEqualTo(1);
    assertThat(actual.where(col("key").equalTo(lit("lonely"))).first()
        .isNullAt(actual.schema().fieldIndex(PrecedingValues.PREVIOUS))).isTrue();
    kept.forEach(Dataset::unpersist);
  }
}
