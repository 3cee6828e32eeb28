package dev.servelens.cli;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a command runs with. Under spark-submit the master and settings
 * come from there; run directly, the master defaults to {@code local[*]}. Settings every job
 * relies on are fixed here: UTC session time, standard Parquet timestamps.
 */
final class SparkSessions {
  private SparkSessions() {}

  /** The Spark context that logs its {@link StageProgress} (one listener per context). */
  private static SparkContext withProgress;

  /** The session a pipeline shares with its steps, or null. */
  private static SparkSession shared;

  static SparkSession create(String appName, String master, Map<String, String> conf) {
    if (shared != null) {
      return shared;
    }
    SparkConf sparkConf = new SparkConf();
    if (master != null) {
      sparkConf.setMaster(master);
    } else if (!sparkConf.contains("spark.master")) {
      sparkConf.setMaster("local[*]");
    }
    sparkConf.setIfMissing("spark.app.name", appName);
    sparkConf.setIfMissing("spark.ui.showConsoleProgress", "false");
    sparkConf.setIfMissing("spark.sql.adaptive.enabled", "true");
    if (sparkConf.get("spark.master").startsWith("local")) {
      sparkConf.setIfMissing("spark.driver.host", "127.0.0.1");
      sparkConf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      sparkConf.setIfMissing("spark.ui.enabled", "false");
      // Small machines: 200 shuffle partitions cost more in task overhead than they save.
      sparkConf.setIfMissing("spark.sql.shuffle.partitions", "16");
      // Listing a table's folders (a catalog's date partitions) as a Spark job buys nothing
      // when the tasks run in this JVM anyway: list them directly up to many more folders.
      sparkConf.setIfMissing("spark.sql.sources.parallelPartitionDiscovery.threshold", "1024");
    }
    for (Map.Entry<String, String> entry : conf.entrySet()) {
      sparkConf.set(entry.getKey(), entry.getValue());
    }
    SparkSession spark = SparkSession.builder().config(sparkConf).getOrCreate();
    if (spark.sparkContext() != withProgress) {
      spark.sparkContext().addSparkListener(new StageProgress());
      withProgress = spark.sparkContext();
    }
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    return spark;
  }

  /**
   * Makes {@link #create} hand out {@code session} until {@link #unshare} or {@link #restore};
   * returns the session shared before (null if none), for {@link #restore}.
   */
  static SparkSession share(SparkSession session) {
    SparkSession previous = shared;
    shared = session;
    return previous;
  }

  /** Shares {@code previous} again, as returned by {@link #share}. */
  static void restore(SparkSession previous) {
    shared = previous;
  }

  static void unshare() {
    shared = null;
  }

  /** Stops a command's session unless a pipeline shares it. */
  static void release(SparkSession session) {
    if (session != shared) {
      session.stop();
    }
  }
}
