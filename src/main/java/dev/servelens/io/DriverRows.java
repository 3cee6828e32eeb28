package dev.servelens.io;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Rows built on the driver, one per input file (manifest and file rows), as a dataset to write.
 * A few rows make one task; an ingest of hundreds of thousands of files spreads them over tasks
 * of at most {@link #ROWS_PER_TASK}, rather than shipping them all in one task.
 */
public final class DriverRows {
  public static final int ROWS_PER_TASK = 5_000;

  private DriverRows() {}

  public static Dataset<Row> of(SparkSession spark, List<Row> rows, StructType schema) {
    if (rows.size() <= ROWS_PER_TASK) {
      return spark.createDataFrame(rows, schema).coalesce(1);
    }
    int tasks = (rows.size() + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    return spark.createDataFrame(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, tasks), schema);
  }
}
