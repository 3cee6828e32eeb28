package dev.servelens.runs.gen;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The ground truth of one run's active window, gathered while its files are written: the seconds
 * of the KV samples above the threshold (all ports), and the seconds at which the reference
 * scripts would see a finished task or a step in driver.log. Computed with the reference
 * semantics: second resolution, inclusive bounds, {@code value * 100 > T} on the printed value,
 * fewer than two samples above T means no window.
 */
final class ActiveWindowTruth {

  /** Threshold of the truth table, percent. */
  static final int THRESHOLD_PCT = 70;

  /** Columns of {@code _truth/active_window.csv}. */
  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("system", DataTypes.StringType, false)
      .add("concurrency", DataTypes.IntegerType, false)
      .add("threshold_pct", DataTypes.IntegerType, false)
      .add("window_start", DataTypes.StringType, true)
      .add("window_end", DataTypes.StringType, true)
      .add("window_s", DataTypes.LongType, true)
      .add("tasks_in_window", DataTypes.LongType, true)
      .add("steps_in_window", DataTypes.LongType, true)
      .add("tasks_per_min", DataTypes.DoubleType, true)
      .add("steps_per_s", DataTypes.DoubleType, true);

  private long firstAbove = Long.MAX_VALUE;
  private long lastAbove = Long.MIN_VALUE;
  private long samplesAbove;
  private final Seconds tasks = new Seconds();
  private final Seconds steps = new Seconds();

  /** A KV usage sample as printed: {@code value} is the text of the value column. */
  void kvSample(long second, String value) {
    if (Double.parseDouble(value) * 100 > THRESHOLD_PCT) {
      samplesAbove++;
      firstAbove = Math.min(firstAbove, second);
      lastAbove = Math.max(lastAbove, second);
    }
  }

  /** A driver.log line holding a finished task whose first timestamp is at {@code second}. */
  void task(long second) {
    tasks.add(second);
  }

  /** A countable step_complete line of driver.log at {@code second}. */
  void step(long second) {
    steps.add(second);
  }

  /** The truth row; task and step columns are null when the run has no driver.log. */
  Row row(RunSpec run) {
    boolean hasWindow = samplesAbove >= 2;
    Long windowSeconds = hasWindow ? lastAbove - firstAbove : null;
    Long tasksIn = null;
    Long stepsIn = null;
    Double tasksPerMinute = null;
    Double stepsPerSecond = null;
    if (hasWindow && !run.withoutDriverLog()) {
      tasksIn = tasks.between(firstAbove, lastAbove);
      stepsIn = steps.between(firstAbove, lastAbove);
      if (windowSeconds > 0) {
        tasksPerMinute = tasksIn / (windowSeconds / 60.0);
        stepsPerSecond = stepsIn / (double) windowSeconds;
      }
    }
    return RowFactory.create(run.name(), run.system().label(), run.concurrency(), THRESHOLD_PCT,
        hasWindow ? LogTime.iso(firstAbove) : null, hasWindow ? LogTime.iso(lastAbove) : null,
        windowSeconds, tasksIn, stepsIn, tasksPerMinute, stepsPerSecond);
  }

  /** A growable list of epoch seconds. */
  private static final class Seconds {
    private long[] values = new long[1024];
    private int size;

    void add(long second) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = second;
    }

    long between(long first, long last) {
      long count = 0;
      for (int i = 0; i < size; i++) {
        if (values[i] >= first && values[i] <= last) {
          count++;
        }
      }
      return count;
    }
  }
}
