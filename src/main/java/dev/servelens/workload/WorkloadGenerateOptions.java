package dev.servelens.workload;

/**
 * Options of {@link WorkloadGenerateJob}: how large, how long and how dirty a synthetic workload
 * trace to write, and where.
 *
 * <p>A plain mutable holder so that the CLI, job definitions and tests can fill it field by field;
 * {@link WorkloadGenerateJob#run} validates it and resolves the derived defaults (fields whose
 * default is 0) before generating anything.
 */
public class WorkloadGenerateOptions {

  /** Timestamp style {@code 2025-01-03T04:05:06.789Z} (ISO-8601, UTC, milliseconds). */
  public static final String TIMESTAMP_ISO = "iso";

  /** Timestamp style {@code 2025-01-03 04:05:06.789} (a space, no zone: UTC). */
  public static final String TIMESTAMP_SPACE = "space";

  /** Timestamp style {@code 1735877106789}: epoch milliseconds as a plain number. */
  public static final String TIMESTAMP_EPOCH_MS = "epoch-ms";

  /** Hadoop path of the output directory; it must be missing or empty. Required. */
  public String out;

  /** Number of request rows to write in total (dirty rows included); at least 0. */
  public long rows = 100_000L;

  /** Seed of every random draw: the same options give byte-identical files. */
  public long seed = 42L;

  /** Length of the trace in days, starting at {@link #start} 00:00 UTC; at least 1. */
  public int days = 30;

  /** ISO date ({@code yyyy-MM-dd}) of the first day of the trace. */
  public String start = "2025-01-01";

  /** Size of the user population; 0 derives it from the rows as {@code max(50, rows / 500)}. */
  public int users = 0;

  /** Number of distinct models served, taken from the top of the built-in list; 1 to 18. */
  public int models = 12;

  /**
   * Fraction (0 to 1) of rows replaced by malformed lines of varied kinds, so that ingest paths can
   * be tested against realistic garbage; 0 writes a clean trace.
   */
  public double dirtyFraction = 0.0;

  /**
   * Number of CSV files (one per Spark partition); 0 derives {@code max(2, rows / 2,000,000)}, but
   * never more files than rows (and at least one).
   */
  public int files = 0;

  /**
   * Style of {@code started_at} and {@code completed_at}: {@value #TIMESTAMP_ISO} (default),
   * {@value #TIMESTAMP_SPACE} or {@value #TIMESTAMP_EPOCH_MS}.
   */
  public String timestampFormat = TIMESTAMP_ISO;
}
