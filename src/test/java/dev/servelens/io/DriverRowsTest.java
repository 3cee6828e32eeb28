package dev.servelens.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DriverRowsTest {
  private static final StructType SCHEMA = new StructType().add("n", DataTypes.LongType);

  private static List<Row> rows(int count) {
    List<Row> rows = new ArrayList<>();
    for (long n = 1; n <= count; n++) {
      rows.add(RowFactory.create(n));
    }
    return rows;
  }

  @Test
  void fewRowsAreOneTaskManyAreSpreadWithNoneLost() {
    Dataset<Row> few = DriverRows.of(SharedSpark.session(), rows(10), SCHEMA);
    assertThat(few.rdd().getNumPartitions()).isEqualTo(1);
    assertThat(few.count()).isEqualTo(10);
    // 45,001 rows at 5,000 a task: 10 tasks. Sum of 1..45,001 = 45,001 * 45,002 / 2.
    Dataset<Row> many = DriverRows.of(SharedSpark.session(), rows(45_001), SCHEMA);
    assertThat(many.rdd().getNumPartitions()).isEqualTo(10);
    assertThat(many.agg(org.apache.spark.sql.functions.sum("n")).first().getLong(0))
        .isEqualTo(45_001L * 45_002L / 2);
  }
}
