package dev.servelens.catalog;

import org.apache.spark.sql.SparkSession;

/**
 * How long catalog locks and staged batches wait and live, from the Spark settings
 * {@code spark.servelens.catalog.lockWaitSeconds} (default 600: how long a writer or reader
 * waits for another process's commit) and {@code spark.servelens.catalog.staleAfterSeconds}
 * (default 600: how long a lock or batch of a process on another host may go without a
 * heartbeat before it counts as abandoned; on the same host a dead owner is seen at once).
 * Owners refresh their heartbeat every tenth of that.
 *
 * @param waitMillis how long to wait for a lock held by a live owner
 * @param staleAfterMillis heartbeat age after which another host's lock or batch is abandoned
 */
public record LockSettings(long waitMillis, long staleAfterMillis) {
  static final String WAIT_KEY = "spark.servelens.catalog.lockWaitSeconds";
  static final String STALE_KEY = "spark.servelens.catalog.staleAfterSeconds";
  public static final LockSettings DEFAULT = new LockSettings(600_000, 600_000);

  /** The settings of {@code spark}'s session. */
  public static LockSettings of(SparkSession spark) {
    return new LockSettings(
        seconds(spark, WAIT_KEY, DEFAULT.waitMillis),
        seconds(spark, STALE_KEY, DEFAULT.staleAfterMillis));
  }

  private static long seconds(SparkSession spark, String key, long defaultMillis) {
    String value = spark.conf().get(key, null);
    if (value == null) {
      return defaultMillis;
    }
    try {
      return Math.round(Double.parseDouble(value.strip()) * 1000);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + value + " is not a number of seconds");
    }
  }

  long heartbeatMillis() {
    return Math.max(50, staleAfterMillis / 10);
  }
}
