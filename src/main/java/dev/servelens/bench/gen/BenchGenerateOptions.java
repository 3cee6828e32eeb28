package dev.servelens.bench.gen;

/**
 * Options of {@link BenchGenerateJob}: how many serving-benchmark run directories to write, how
 * many of them are incomplete, profiling-only or damaged, and how large the result files are.
 *
 * <p>A plain mutable holder so the CLI and tests can fill it field by field; {@link
 * BenchGenerateJob#run} validates it before writing anything.
 */
public class BenchGenerateOptions {

  /** Hadoop path of the {@code logs/} tree to write; it must be missing or empty. Required. */
  public String out;

  /** Number of run directories; at least 1. */
  public int runs = 24;

  /** Seed of every random draw: the same options give byte-identical trees. */
  public long seed = 42L;

  /** Fraction (0 to 1) of benchmark runs that miss some of their concurrency result files. */
  public double incompleteFraction = 0.15;

  /** Fraction (0 to 1) of runs that are {@code torch-profiler} runs rather than benchmarks. */
  public double profilingFraction = 0.05;

  /**
   * Fraction (0 to 1) of runs damaged in one way each (cut-off result JSON, truncated or binary
   * log, missing or invalid metadata, a result without TPOT); 0 writes a clean tree.
   */
  public double dirtyFraction = 0.0;

  /**
   * Requests per result file: {@code num_prompts} and the length of each per-request array. A
   * concurrency level above it sends one request per slot instead, so every slot is used.
   */
  public int requestsPerResult = 200;
}
