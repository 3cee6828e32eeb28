package dev.servelens.runs;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import dev.servelens.io.SparkValues;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Bootstrap replicates of each run's in-window rate, for the comparison tables' noise bound.
 * The window is cut into one-minute bins from its start (the last bin shorter; an event at the
 * window's end falls in the last bin); a replicate draws as many bins with replacement and
 * divides their events by their total length. Bins rather than single completions keep the
 * burstiness of the run in the noise. Replicate j of a (system, concurrency) group is the mean
 * of its runs' replicates j.
 */
final class BootstrapRates implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  static final long BIN_S = 60;
  static final String REPLICATES = "replicates";

  static final StructType REPLICATES_SCHEMA = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(ActiveWindows.MEASURE, DataTypes.StringType)
      .add(REPLICATES, DataTypes.createArrayType(DataTypes.DoubleType));

  private final int replicates;
  private final long seed;

  BootstrapRates(int replicates, long seed) {
    this.replicates = replicates;
    this.seed = seed;
  }

  /**
   * Per-run bins of the windows longer than zero seconds: {@code run_id, measure, bins} with
   * bins a sorted array of {@code (bin, n, length)}.
   */
  static Dataset<Row> bins(Dataset<Row> windows, Dataset<Row> marks) {
    Column windowS = col(ActiveWindows.WINDOW_S);
    Dataset<Row> valid = windows.where(col(ActiveWindows.START_S).isNotNull().and(windowS.gt(0)))
        .select(col(RunsColumns.RUN_ID), col(ActiveWindows.START_S), col(ActiveWindows.END_S),
            windowS, greatest(lit(1L), ceil(windowS.divide(BIN_S))).as("bin_count"));
    Dataset<Row> measures = marks.sparkSession().createDataFrame(
        List.of(RowFactory.create(ActiveWindows.TASKS), RowFactory.create(ActiveWindows.STEPS)),
        new StructType().add(ActiveWindows.MEASURE, DataTypes.StringType));
    Dataset<Row> allBins = valid.crossJoin(measures).select(col(RunsColumns.RUN_ID),
            col(ActiveWindows.MEASURE), windowS,
            explode(sequence(lit(0L), col("bin_count").minus(1))).as("bin"))
        .withColumn("length", least(lit(BIN_S), windowS.minus(col("bin").multiply(BIN_S))));
    Column t = col(ActiveWindows.T);
    Dataset<Row> counted = marks.join(valid, RunsColumns.RUN_ID)
        .where(t.between(col(ActiveWindows.START_S), col(ActiveWindows.END_S)))
        .withColumn("bin", least(floor(t.minus(col(ActiveWindows.START_S)).divide(BIN_S)),
            col("bin_count").minus(1)))
        .groupBy(RunsColumns.RUN_ID, ActiveWindows.MEASURE, "bin").agg(sum("n").as("n"));
    // Every bin, counted or not: the bins (a few per minute of window) are broadcast to the
    // counts rather than both shuffled.
    return counted.join(broadcast(allBins), SparkValues.columns(RunsColumns.RUN_ID,
            ActiveWindows.MEASURE, "bin"), "right")
        .groupBy(RunsColumns.RUN_ID, ActiveWindows.MEASURE)
        .agg(sort_array(collect_list(struct(col("bin"), coalesce(col("n"), lit(0L)).as("n"),
            col("length")))).as("bins"));
  }

  /** Replicates per run: {@code run_id, measure, replicates} (tasks/min or steps/s). */
  Dataset<Row> replicate(Dataset<Row> bins) {
    return bins.map(this, Encoders.row(REPLICATES_SCHEMA));
  }

  /**
   * The replicates of each (system, concurrency) group, averaged over its runs:
   * {@code system, concurrency, measure, replicates} (replicate order kept). Only runs with a
   * driver.log take part, as in the tables' means: without one a run's tasks and steps are
   * unknown, and its empty bins would pull its group's replicates towards 0.
   *
   * @param runs {@code run_id, system, concurrency, has_driver_log}
   */
  static Dataset<Row> byGroup(Dataset<Row> runs, Dataset<Row> perRun) {
    return perRun.join(runs.where(col("has_driver_log")).select(RunsColumns.RUN_ID,
            RunsColumns.SYSTEM, RunsColumns.CONCURRENCY), RunsColumns.RUN_ID)
        .select(col(RunsColumns.SYSTEM), col(RunsColumns.CONCURRENCY), col(ActiveWindows.MEASURE),
            posexplode(col(REPLICATES)).as(new String[] {"j", "rate"}))
        .groupBy(RunsColumns.SYSTEM, RunsColumns.CONCURRENCY, ActiveWindows.MEASURE, "j")
        .agg(avg("rate").as("rate"))
        .groupBy(RunsColumns.SYSTEM, RunsColumns.CONCURRENCY, ActiveWindows.MEASURE)
        .agg(sort_array(collect_list(struct(col("j"), col("rate")))).as(REPLICATES));
  }

  @Override
  public Row call(Row row) {
    String runId = row.getString(0);
    String measure = row.getString(1);
    List<Row> bins = row.getList(2);
    long[] counts = new long[bins.size()];
    long[] lengths = new long[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      counts[i] = bins.get(i).getLong(1);
      lengths[i] = bins.get(i).getLong(2);
    }
    double scale = ActiveWindows.TASKS.equals(measure) ? 60.0 : 1.0;
    SplittableRandom random = new SplittableRandom(seed ^ (31L * runId.hashCode()
        + measure.hashCode()));
    java.util.List<Double> rates = new java.util.ArrayList<>(replicates);
    for (int j = 0; j < replicates; j++) {
      long events = 0;
      long seconds = 0;
      for (int k = 0; k < counts.length; k++) {
        int pick = random.nextInt(counts.length);
        events += counts[pick];
        seconds += lengths[pick];
      }
      rates.add(scale * events / seconds);
    }
    return RowFactory.create(runId, measure,
        scala.collection.JavaConverters.asScalaBuffer(rates).toSeq());
  }
}
