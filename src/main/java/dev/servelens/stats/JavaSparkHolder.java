package dev.servelens.stats;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/** Small bridge to the Java Spark context for broadcasts. */
final class JavaSparkHolder {
  private JavaSparkHolder() {}

  static <T> Broadcast<T> broadcast(SparkSession spark, T value) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(value);
  }
}
