package dev.servelens.runs.gen;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes {@code kv_cache_timeseries.csv} as the sampler does: a scrape about every 5 s of the KV
 * usage (a fraction: the simulated contexts over the cache capacity, saturating, with dips) and
 * two request gauges, {@code NaN} when a scrape fails or the server is down; optionally the
 * scrapes of a second, forgotten sampler on another port. On request some rows are malformed.
 * Every well-formed KV row is passed to the ground truth.
 */
final class KvTimeseries implements Closeable {

  static final String HEADER = "ts_iso,ts_unix,port,metric,value";
  private static final long PERIOD_MS = 5000;
  private static final double FAILED_SCRAPE = 0.004;
  private static final String NAN = "NaN";

  private final Writer out;
  private final ActiveWindowTruth truth;
  private final ServerLoad load;
  private final RunSpec run;
  private final RunRandom random;
  private final RunRandom dirt;
  private final double capacityTokens;
  private final double saturation;
  private final long[] dips;
  private final double[] dipFactors;
  private final StringBuilder row = new StringBuilder(160);
  private long nextScrape;
  private long serverDownFrom = Long.MAX_VALUE;
  private final ForgottenSampler other;

  /** The sampler of another run, left running, scraping another port for a while. */
  private static final class ForgottenSampler {
    final RunRandom random;
    final long to;
    final boolean busy;
    long next;
    double level;

    ForgottenSampler(RunRandom random, long firstScrape, long expectedEnd) {
      this.random = random;
      long span = expectedEnd - firstScrape;
      long from = firstScrape + (long) (span * random.between(0, 0.3));
      this.to = from + (long) (span * random.between(0.2, 0.6));
      this.busy = random.chance(0.5);
      this.next = from + random.intBetween(0, 4999);
      this.level = random.between(0.75, 0.95);
    }
  }

  KvTimeseries(Writer out, ActiveWindowTruth truth, ServerLoad load, RunSpec run,
      long firstScrape, long evaluationStart, long expectedEnd) throws IOException {
    this.out = out;
    this.truth = truth;
    this.load = load;
    this.run = run;
    this.random = RunRandom.stream(run.seed(), 5);
    this.dirt = RunRandom.stream(run.seed(), 6);
    this.capacityTokens = 330_000 * random.between(0.95, 1.05);
    this.saturation = random.between(0.975, 0.995);
    int dipCount = random.intBetween(2, 6);
    this.dips = new long[2 * dipCount];
    this.dipFactors = new double[dipCount];
    for (int i = 0; i < dipCount; i++) {
      long latest = (long) (expectedEnd * 0.9 + evaluationStart * 0.1);
      long start = (long) random.between(evaluationStart, latest);
      dips[2 * i] = start;
      dips[2 * i + 1] = start + random.intBetween(15_000, 90_000);
      dipFactors[i] = random.between(0.45, 0.8);
    }
    this.nextScrape = firstScrape;
    this.other = run.contaminated()
        ? new ForgottenSampler(RunRandom.stream(run.seed(), 7), firstScrape, expectedEnd) : null;
    out.write(HEADER);
    out.write('\n');
  }

  /** From {@code millis} on, scrapes of the orchestrator's server fail (it was stopped). */
  void serverDownFrom(long millis) {
    serverDownFrom = millis;
  }

  /** Writes every scrape before {@code millis}, seeing the server as it is now. */
  void advanceTo(long millis) throws IOException {
    while (true) {
      boolean otherFirst = other != null && other.next < nextScrape && other.next <= other.to;
      long next = otherFirst ? other.next : nextScrape;
      if (next >= millis) {
        return;
      }
      if (otherFirst) {
        scrapeOther(next);
        other.next = next + PERIOD_MS + other.random.intBetween(20, 350);
      } else {
        scrape(next);
        nextScrape = next + PERIOD_MS + random.intBetween(20, 350);
      }
    }
  }

  private void scrape(long millis) throws IOException {
    SystemProfile system = run.system();
    if (millis >= serverDownFrom || random.chance(FAILED_SCRAPE)) {
      write(millis, system.port, system.kvMetric(), NAN, true);
      write(millis, system.port, system.gaugeMetric("num_requests_running"), NAN, false);
      write(millis, system.port, system.gaugeMetric("num_requests_waiting"), NAN, false);
      return;
    }
    double demand = load.contextTokens / capacityTokens;
    double usage = Math.min(demand, saturation) * dipFactor(millis)
        + random.logNormal(0.002, 1.0) - 0.002;
    int running = demand <= 1 ? load.requests : (int) Math.round(load.requests / demand);
    write(millis, system.port, system.kvMetric(), fraction(usage), true);
    write(millis, system.port, system.gaugeMetric("num_requests_running"), running + ".0", false);
    write(millis, system.port, system.gaugeMetric("num_requests_waiting"),
        (load.requests - running) + ".0", false);
  }

  private void scrapeOther(long millis) throws IOException {
    String value;
    if (other.busy) {
      other.level = Math.max(0.5, Math.min(0.99, other.level + other.random.between(-0.03, 0.03)));
      value = fraction(other.level);
    } else {
      value = other.random.chance(0.1) ? NAN : fraction(other.random.between(0, 0.02));
    }
    write(millis, run.system().otherPort, SystemProfile.BASELINE.kvMetric(), value, true);
  }

  private double dipFactor(long millis) {
    for (int i = 0; i < dipFactors.length; i++) {
      if (millis >= dips[2 * i] && millis < dips[2 * i + 1]) {
        return dipFactors[i];
      }
    }
    return 1.0;
  }

  /**
   * The usage as vLLM's float would print, to six decimals; close to 70 % it is sometimes the
   * exact float {@code 0.7} or {@code 0.7000000000000001} (neither is above 70 %).
   */
  private String fraction(double usage) {
    double clamped = Math.max(0, Math.min(1, usage));
    if (Math.abs(clamped - 0.7) < 0.0005 && random.chance(0.5)) {
      return random.chance(0.5) ? "0.7" : "0.7000000000000001";
    }
    long micros = Math.round(clamped * 1_000_000);
    StringBuilder text = new StringBuilder(10).append(micros / 1_000_000).append('.');
    String fraction = Long.toString(1_000_000 + micros % 1_000_000).substring(1);
    int end = fraction.length();
    while (end > 1 && fraction.charAt(end - 1) == '0') {
      end--;
    }
    return text.append(fraction, 0, end).toString();
  }

  private void write(long millis, int port, String metric, String value, boolean kv)
      throws IOException {
    long second = millis / 1000;
    row.setLength(0);
    row.append(LogTime.iso(second)).append(',').append(second).append(',').append(port)
        .append(',');
    if (dirt.chance(run.dirtyFraction())) {
      malformed(metric, value);
    } else {
      row.append(metric).append(',').append(value);
      if (kv) {
        truth.kvSample(second, value);
      }
    }
    row.append('\n');
    out.append(row);
  }

  /** A row with the wrong number of fields or a value that is not a number. */
  private void malformed(String metric, String value) {
    switch (dirt.below(3)) {
      case 0 -> row.append(metric);
      case 1 -> row.append(metric).append(',').append(value).append(',').append(value);
      default -> row.append(metric).append(',').append(value).append("x9");
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
