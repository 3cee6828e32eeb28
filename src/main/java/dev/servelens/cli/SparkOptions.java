package dev.servelens.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
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

  /**
   * Runs {@code job} in a session built from these options ({@link SparkSessions#create}),
   * prints the text it returns and releases the session.
   *
   * @return the command's exit code, 0
   */
  int run(String appName, Function<SparkSession, String> job) {
    SparkSession session = SparkSessions.create(appName, master, conf);
    try {
      System.out.println(job.apply(session));
      return 0;
    } finally {
      SparkSessions.release(session);
    }
  }
}
