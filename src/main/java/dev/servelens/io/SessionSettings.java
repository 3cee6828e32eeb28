package dev.servelens.io;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Runs work under SQL settings of its own and puts the session's settings back afterwards. */
public final class SessionSettings {
  public static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

  private SessionSettings() {}

  /**
   * The SQL settings the analyses run with. Their plans are a handful of fixed shuffles whose
   * results are small, so adaptive execution would only split each action into a job per stage
   * and re-plan it between them. Their aggregations hold percentile sketches for a few hundred
   * groups (models, hours of day, dates, runs): Spark's default fallback after 128 groups would
   * sort every input row instead.
   */
  public static final Map<String, String> ANALYSIS = Map.of(
      "spark.sql.adaptive.enabled", "false",
      "spark.sql.objectHashAggregate.sortBased.fallbackThreshold", "65536");

  /**
   * Runs {@code work} with {@code partitions} shuffle partitions (at least 1), never more than
   * the session is configured with: for shuffles that reduce to small results, which would
   * otherwise pay for the configured number of tasks in every stage.
   */
  public static <T> T withShufflePartitions(SparkSession spark, long partitions,
      Supplier<T> work) {
    long configured = Long.parseLong(spark.conf().get(SHUFFLE_PARTITIONS, "200"));
    return with(spark, Map.of(SHUFFLE_PARTITIONS,
        String.valueOf(Math.max(1, Math.min(partitions, configured)))), work);
  }

  public static <T> T with(SparkSession spark, Map<String, String> settings, Supplier<T> work) {
    Map<String, String> before = new HashMap<>();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      before.put(setting.getKey(), spark.conf().get(setting.getKey(), null));
      spark.conf().set(setting.getKey(), setting.getValue());
    }
    try {
      return work.get();
    } finally {
      for (Map.Entry<String, String> setting : before.entrySet()) {
        if (setting.getValue() == null) {
          spark.conf().unset(setting.getKey());
        } else {
          spark.conf().set(setting.getKey(), setting.getValue());
        }
      }
    }
  }
}
