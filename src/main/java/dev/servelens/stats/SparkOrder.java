package dev.servelens.stats;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Spark's ascending order of strings, for results sorted on the driver: by their UTF-8 bytes,
 * unsigned (Java's {@code compareTo} orders UTF-16 units, which differs beyond the BMP), with
 * null first.
 */
public final class SparkOrder {
  private SparkOrder() {}

  public static int compare(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }
}
