package dev.servelens.io;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import scala.collection.JavaConverters;

/** Java collections as the Scala ones Spark's Row encoders and join APIs take. */
public final class SparkValues {
  private SparkValues() {}

  /** A map value of a {@code MapType} column. */
  public static <K, V> scala.collection.Map<K, V> map(Map<K, V> map) {
    return map == null ? null : JavaConverters.mapAsScalaMap(map);
  }

  /** A list value of an {@code ArrayType} column. */
  public static <T> scala.collection.Seq<T> seq(List<T> list) {
    return list == null ? null : JavaConverters.asScalaBuffer(list).toSeq();
  }

  /** Column names for Spark's multi-column joins. */
  public static scala.collection.Seq<String> columns(String... names) {
    return seq(Arrays.asList(names));
  }
}
