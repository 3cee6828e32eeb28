package dev.servelens.io;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Runs work under SQL settings of its own and puts the session's settings back afterwards. */
public final class SessionSettings {
  private SessionSettings() {}

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
