package dev.servelens.runs.gen;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes a run's two logs as records happen, line by line (nothing is kept): {@code driver.log},
 * the launcher's and the benchmark's output mixed, with the damage real files show (a record
 * glued after a progress bar or another logger's line, NUL bytes, on request chopped tags and
 * FINISHED lines without timestamp), and {@code logs/tau2_global.log}, the benchmark's own clean
 * log of the same records. Either writer may be absent. Feeds the ground truth with the seconds
 * the reference scripts would read from driver.log.
 */
final class RunLogs implements Closeable {

  static final String PROFILE = "[PROFILE] ";
  static final String USER_JUDGE = "[USER_JUDGE] ";

  private static final double GLUED = 0.004;
  private static final double NUL_BYTES = 0.0005;

  private final Writer driver;
  private final Writer tau2;
  private final ActiveWindowTruth truth;
  private final RunRandom random;
  private final double dirty;
  private final NoiseLines noise;
  private final StringBuilder line = new StringBuilder(512);

  RunLogs(Writer driver, Writer tau2, ActiveWindowTruth truth, RunSpec run) {
    this.driver = driver;
    this.tau2 = tau2;
    this.truth = truth;
    this.random = RunRandom.stream(run.seed(), 3);
    this.dirty = run.dirtyFraction();
    this.noise = new NoiseLines(RunRandom.stream(run.seed(), 4), run);
  }

  /** A launcher line {@code [2026-01-05 10:14:23] text} (driver.log only). */
  void launcher(long millis, String text) throws IOException {
    line.setLength(0);
    line.append('[');
    LogTime.append(line, millis, (char) 0).append("] ").append(text);
    driverLine();
  }

  /** A profiling record: {@code tag} then time then {@code body}; {@code step}: a step_complete. */
  void tagged(long millis, String tag, CharSequence body, boolean step) throws IOException {
    startDriverLine();
    gluePrefix(millis);
    boolean chopped = random.chance(dirty);
    if (chopped && random.chance(0.5)) {
      line.append(tag, 3, tag.length());
      LogTime.append(line, millis, '.').append(' ').append(body);
    } else if (chopped) {
      line.append(tag).append(body);
    } else {
      LogTime.append(line.append(tag), millis, '.').append(' ').append(body);
    }
    if (!chopped && step) {
      truth.step(millis / 1000);
    }
    driverLine();
    if (tau2 != null) {
      line.setLength(0);
      LogTime.append(line.append(tag), millis, '.').append(' ');
      appendTau2Body(body);
      writeLine(tau2);
    }
  }

  /** The benchmark's line for a finished task. */
  void finished(long millis, String domain, int taskId, double reward) throws IOException {
    String message = "FINISHED SIMULATION: Domain: " + domain + ", Task: " + taskId
        + ", Agent: " + ProfileRecords.ORCHESTRATOR + ", User: " + ProfileRecords.USER_MODEL
        + ". Reward: " + (reward > 0 ? "1.0" : "0.0");
    String origin = "tau2.run:run_task:312";
    startDriverLine();
    long firstSecond = gluePrefix(millis);
    if (random.chance(dirty)) {
      line.append(message);
    } else {
      appendLoguru(millis, "INFO", origin, message);
      firstSecond = firstSecond >= 0 ? firstSecond : millis / 1000;
    }
    if (firstSecond >= 0) {
      truth.task(firstSecond);
    }
    driverLine();
    tau2Loguru(millis, "INFO", origin, message);
  }

  /** A line of the benchmark's logger (both logs). */
  void loguru(long millis, String level, String origin, String message) throws IOException {
    startDriverLine();
    appendLoguru(millis, level, origin, message);
    driverLine();
    tau2Loguru(millis, level, origin, message);
  }

  /** Lines without timestamp, such as a Python traceback (both logs). */
  void plain(String... texts) throws IOException {
    for (String text : texts) {
      startDriverLine();
      line.append(text);
      driverLine();
      if (tau2 != null) {
        line.setLength(0);
        line.append(text);
        writeLine(tau2);
      }
    }
  }

  /** {@code count} lines of other loggers (HTTP client, LiteLLM, debug dumps) in driver.log. */
  void noise(long millis, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      startDriverLine();
      noise.append(line, millis);
      driverLine();
    }
  }

  @Override
  public void close() throws IOException {
    try (Writer a = driver; Writer b = tau2) {
      // closes both
    }
  }

  /** The record for the benchmark's log; on request a step loses its roles (unknown edge). */
  private void appendTau2Body(CharSequence body) {
    String text = body.toString();
    int roles = text.indexOf(" from_role=");
    if (roles >= 0 && random.chance(dirty)) {
      line.append(text, 0, roles);
    } else {
      line.append(text);
    }
  }

  private void startDriverLine() {
    line.setLength(0);
    if (random.chance(NUL_BYTES)) {
      int count = random.intBetween(1, 256);
      for (int i = 0; i < count; i++) {
        line.append('\0');
      }
    }
  }

  /**
   * Sometimes puts another writer's output without its newline before the record, as when a
   * progress bar or another thread's record is glued to it; returns the second of the first
   * timestamp that prefix carries, or -1.
   */
  private long gluePrefix(long millis) {
    if (!random.chance(GLUED)) {
      return -1;
    }
    if (random.chance(0.5)) {
      noise.appendProgress(line);
      return -1;
    }
    long earlier = millis - random.intBetween(0, 400);
    noise.appendHttp(line, earlier);
    return earlier / 1000;
  }

  private void appendLoguru(long millis, String level, String origin, String message) {
    LogTime.append(line, millis, '.').append(" | ").append(level);
    for (int i = level.length(); i < 8; i++) {
      line.append(' ');
    }
    line.append(" | ").append(origin).append(" - ").append(message);
  }

  private void tau2Loguru(long millis, String level, String origin, String message)
      throws IOException {
    if (tau2 != null) {
      line.setLength(0);
      appendLoguru(millis, level, origin, message);
      writeLine(tau2);
    }
  }

  private void driverLine() throws IOException {
    if (driver != null) {
      writeLine(driver);
    }
  }

  private void writeLine(Writer out) throws IOException {
    line.append('\n');
    out.append(line);
  }
}
