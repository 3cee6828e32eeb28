package dev.servelens.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Spark options every command accepts, when it is run without spark-submit. */
final class SparkOptions {
  @Option(
      names = "--master",
      description = "Spark master when not run through spark-submit (default: local[*]).")
  String master;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "A Spark setting, e.g. --conf spark.sql.shuffle.partitions=64. Repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();
}
