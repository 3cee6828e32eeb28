package dev.servelens.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM, shared by every test class: Spark allows a single
 * SparkContext per JVM and starting one costs seconds.
 *
 * <p>Tests must never stop it. Spark's own JVM shutdown hook stops the context when the forked test
 * JVM exits.
 */
public final class SharedSpark {

  private static SparkSession session;

  private SharedSpark() {}

  /** The shared session ({@code local[2]}, UI off, loopback only, UTC), built on first use. */
  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("servelens-test")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
              .getOrCreate();
    }
    return session;
  }
}
