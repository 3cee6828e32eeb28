package dev.servelens.workload;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Validated, resolved options of one generation run plus the work split: the time span cut into one
 * contiguous slice per partition (and output file), with each slice's row count proportional to its
 * integrated rate and its share of dirty rows. Computed on the driver; its size grows with the
 * number of files only, and it is shipped to every task.
 */
final class WorkloadPlan implements Serializable {

  private static final long serialVersionUID = 1L;

  static final long ROWS_PER_DERIVED_FILE = 2_000_000L;
  static final int MAX_FILES = 100_000;
  static final int MAX_DAYS = 3_660;

  final long seed;
  final int users;
  final int models;
  final WorkloadLineFormat.TimestampStyle timestampStyle;
  final WorkloadRateModel rateModel;

  /** {@code partitions + 1} slice bounds in epoch ms; slice i is [bounds[i], bounds[i + 1]). */
  final long[] sliceBounds;

  final long[] sliceRows;
  final long[] sliceDirtyRows;

  /** Whether the last file ends with a line cut mid-field and no newline. */
  final boolean truncateFinalLine;

  private WorkloadPlan(WorkloadGenerateOptions options, int files, int users) {
    this.seed = options.seed;
    this.users = users;
    this.models = options.models;
    this.timestampStyle = WorkloadLineFormat.TimestampStyle.parse(options.timestampFormat);
    long startMs = parseStart(options.start) * WorkloadRateModel.DAY_MS;
    long endMs = startMs + options.days * WorkloadRateModel.DAY_MS;
    this.rateModel = new WorkloadRateModel(startMs, endMs);
    this.sliceBounds = new long[files + 1];
    double[] mass = new double[files];
    for (int i = 0; i <= files; i++) {
      sliceBounds[i] = startMs + (endMs - startMs) * i / files;
    }
    for (int i = 0; i < files; i++) {
      mass[i] = rateModel.integrate(sliceBounds[i], sliceBounds[i + 1]);
    }
    this.sliceRows = apportion(options.rows, mass);
    long dirtyTotal = Math.round(options.rows * options.dirtyFraction);
    this.sliceDirtyRows =
        apportion(dirtyTotal, Arrays.stream(sliceRows).asDoubleStream().toArray());
    int last = files - 1;
    if (dirtyTotal > 0 && sliceDirtyRows[last] == 0 && sliceRows[last] > 0) {
      // Move one dirty row to the last slice so that the final line can be the truncated one.
      int donor =
          IntStream.range(0, files)
              .reduce((a, b) -> sliceDirtyRows[b] > sliceDirtyRows[a] ? b : a)
              .getAsInt();
      sliceDirtyRows[donor]--;
      sliceDirtyRows[last]++;
    }
    this.truncateFinalLine = sliceDirtyRows[last] > 0;
  }

  /** Validates {@code options} and resolves derived defaults; messages name the option to fix. */
  static WorkloadPlan resolve(WorkloadGenerateOptions options) {
    if (options.out == null || options.out.isBlank()) {
      throw new IllegalArgumentException("option out (the output directory) is required");
    }
    require(options.rows >= 0, "option rows must be >= 0 (got " + options.rows + ")");
    require(
        options.days >= 1 && options.days <= MAX_DAYS,
        "option days must be between 1 and " + MAX_DAYS + " (got " + options.days + ")");
    require(
        options.users >= 0, "option users must be >= 0, 0 to derive (got " + options.users + ")");
    require(
        options.models >= 1 && options.models <= WorkloadModels.ALL.size(),
        "option models must be between 1 and "
            + WorkloadModels.ALL.size()
            + " (got "
            + options.models
            + ")");
    require(
        options.dirtyFraction >= 0.0 && options.dirtyFraction <= 1.0,
        "option dirtyFraction must be between 0 and 1 (got " + options.dirtyFraction + ")");
    require(
        options.files >= 0 && options.files <= MAX_FILES,
        "option files must be between 0 (derive) and "
            + MAX_FILES
            + " (got "
            + options.files
            + ")");
    int files = options.files > 0 ? options.files : derivedFiles(options.rows);
    int users = options.users > 0 ? options.users : derivedUsers(options.rows);
    return new WorkloadPlan(options, files, users);
  }

  /** {@code max(2, rows / 2M)}, capped to the rows (but at least one file). */
  static int derivedFiles(long rows) {
    long files = Math.max(2L, rows / ROWS_PER_DERIVED_FILE);
    return (int) Math.min(MAX_FILES, Math.max(1L, Math.min(files, rows)));
  }

  /** {@code max(50, rows / 500)}. */
  static int derivedUsers(long rows) {
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(50L, rows / 500L));
  }

  int partitions() {
    return sliceRows.length;
  }

  long totalRows() {
    return Arrays.stream(sliceRows).sum();
  }

  long totalDirtyRows() {
    return Arrays.stream(sliceDirtyRows).sum();
  }

  /**
   * Splits {@code total} into integer parts proportional to {@code weights} that add up to it
   * exactly: floors first, then one more to the largest remainders (ties to the lower index).
   */
  static long[] apportion(long total, double[] weights) {
    double sum = Arrays.stream(weights).sum();
    long[] parts = new long[weights.length];
    double[] remainders = new double[weights.length];
    long assigned = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = sum > 0.0 ? total * (weights[i] / sum) : 0.0;
      parts[i] = (long) Math.floor(exact);
      remainders[i] = exact - parts[i];
      assigned += parts[i];
    }
    Integer[] order = IntStream.range(0, weights.length).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order, Comparator.comparingDouble((Integer i) -> -remainders[i]).thenComparingInt(i -> i));
    for (int k = 0; assigned < total; k = (k + 1) % weights.length) {
      parts[order[k]]++;
      assigned++;
    }
    return parts;
  }

  private static long parseStart(String start) {
    try {
      return LocalDate.parse(start == null ? "" : start.trim()).toEpochDay();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "option start must be an ISO date like 2025-01-01 (got '" + start + "')", e);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
