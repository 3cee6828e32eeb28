package dev.servelens.runs.gen;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * Streams Continuum's {@code scheduler_timestamps}: one JSON object keyed by request id, each
 * value the request's events as single-key objects (epoch seconds), the admission carrying the
 * prompt and prefix-hit lengths; some requests are pinned after they leave, a few evicted.
 */
final class SchedulerTimestamps implements Closeable {

  private final Writer out;
  private final RunRandom random;
  private boolean first = true;

  SchedulerTimestamps(Writer out, RunRandom random) throws IOException {
    this.out = out;
    this.random = random;
    out.write('{');
  }

  /** A served orchestrator request. */
  void request(long arrivalMillis, long departureMillis, int promptTokens) throws IOException {
    StringBuilder entry = new StringBuilder(320);
    entry.append(first ? "\"" : ", \"").append("chatcmpl-")
        .append(Long.toHexString(random.nextLong() | Long.MIN_VALUE)).append("\": [");
    first = false;
    long span = Math.max(1, departureMillis - arrivalMillis);
    long running = arrivalMillis + (long) (span * random.between(0, 0.3));
    event(entry, "Request_arrival_time", arrivalMillis).append(", ");
    event(entry, "waiting_to_running", running);
    entry.setLength(entry.length() - 1);
    entry.append(", \"prompt_length\": ").append(promptTokens).append(", \"hit_length\": ")
        .append(promptTokens - random.intBetween(50, Math.max(51, promptTokens / 4))).append('}');
    if (random.chance(0.05)) {
      long evicted = running + (departureMillis - running) / 3;
      entry.append(", ");
      event(entry, "Request_evicted_from_running_queue_time", evicted).append(", ");
      event(entry, "evicted_to_running", evicted + (departureMillis - evicted) / 2);
    }
    entry.append(", ");
    event(entry, "Request_departure_time", departureMillis);
    if (random.chance(0.6)) {
      long pinned = departureMillis + random.intBetween(1, 20);
      entry.append(", ");
      event(entry, "pinned_time", pinned).append(", ");
      event(entry, "unpinned_time", pinned + random.intBetween(200, 30_000));
    }
    out.append(entry.append(']'));
  }

  private static StringBuilder event(StringBuilder entry, String name, long millis) {
    return LogTime.fixed(entry.append("{\"").append(name).append("\": "), millis / 1000.0, 6)
        .append('}');
  }

  @Override
  public void close() throws IOException {
    out.write("}\n");
    out.close();
  }
}
