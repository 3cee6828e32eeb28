package dev.servelens.testing;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a launcher of {@code submit/} as a user does: bash, from the project folder. */
public final class SubmitScript {
  private SubmitScript() {}

  /**
   * {@code bash submit/SCRIPT ARGS} in {@code home}, no input, on the Maven jars rather than
   * whatever Spark distribution or settings this machine has (no SPARK_HOME, SPARK_CONF_DIR or
   * SERVELENS_CONF); the caller sets where the output goes.
   */
  public static ProcessBuilder builder(Path home, String script, List<String> args) {
    List<String> line = new ArrayList<>(List.of("bash", "submit/" + script));
    line.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(line)
        .directory(home.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().remove("SPARK_HOME");
    builder.environment().remove("SPARK_CONF_DIR");
    builder.environment().remove("SERVELENS_CONF");
    return builder;
  }

  /** Waits for {@code process}; past {@code timeout} kills it and its children. */
  public static boolean await(Process process, Duration timeout) throws InterruptedException {
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor();
    return false;
  }
}
