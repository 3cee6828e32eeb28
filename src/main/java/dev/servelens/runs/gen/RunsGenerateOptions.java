package dev.servelens.runs.gen;

import java.util.List;

/**
 * Options of {@link RunsGenerateJob}: which synthetic agentic-benchmark run directories to write,
 * how many, how damaged, and where. A plain holder filled by the CLI and by tests; the job
 * validates it.
 */
public class RunsGenerateOptions {

  /** Hadoop path of the output directory; it must be missing or empty. Required. */
  public String out;

  /** Systems to simulate: {@code thunderreact}, {@code continuum}, {@code baseline}. */
  public List<String> systems = List.of("thunderreact", "continuum", "baseline");

  /** Numbers of concurrent agents. */
  public List<Integer> concurrencies = List.of(32, 64, 128);

  /**
   * Number of runs; 0 writes one run per system and concurrency, flat under {@link #out} and named
   * as in the published experiments. A positive count cycles through systems and concurrencies,
   * every name timestamped, in date folders (some one level deeper).
   */
  public int runs = 0;

  /** Seed of every draw: the same options give byte-identical files. */
  public long seed = 42L;

  /** Real-sized logs (about 300k driver.log lines per run) instead of compact ones. */
  public boolean big = false;

  /** Fraction of runs whose KV file also holds samples of another run's sampler (another port). */
  public double contaminate = 0.0;

  /** Fraction of runs that get stuck: some tasks never finish and the run is killed later. */
  public double stuck = 0.0;

  /**
   * Fraction of malformed records (FINISHED lines without timestamp, chopped PROFILE tags, bad KV
   * rows, cut trial JSON); the same fraction of runs lose their driver.log.
   */
  public double dirtyFraction = 0.0;

  /** Local date-time (UTC) at which the first run starts, {@code 2026-01-04T10:00:00}. */
  public String start = "2026-01-04T10:00:00";
}
