package dev.servelens.runs.gen;

import dev.servelens.io.HadoopConfiguration;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;

/**
 * The Spark task of {@link RunsGenerateJob}: simulates one run, writes its directory (driver.log,
 * usually logs/tau2_global.log, kv_cache_timeseries.csv, outputs/, scheduler_timestamps for
 * Continuum runs that ended normally) and returns its ground-truth row.
 */
final class GenerateRunDirectory implements Function<RunSpec, Row> {

  private static final long serialVersionUID = 1L;
  /** Share of runs that keep the benchmark's own log. */
  private static final double WITH_TAU2_LOG = 0.85;

  private final String root;
  private final HadoopConfiguration configuration;

  GenerateRunDirectory(String root, HadoopConfiguration configuration) {
    this.root = root;
    this.configuration = configuration;
  }

  @Override
  public Row call(RunSpec run) throws IOException {
    Path rootPath = new Path(root);
    FileSystem fs = rootPath.getFileSystem(configuration.get());
    RunFiles files = new RunFiles(fs, new Path(rootPath, run.relativeDir()));
    ActiveWindowTruth truth = new ActiveWindowTruth();
    RunSimulation simulation = new RunSimulation(run);
    boolean tau2Log = RunRandom.stream(run.seed(), 10).chance(WITH_TAU2_LOG);
    boolean schedulerFile = run.system().writesSchedulerTimestamps() && !run.stuck();
    try (RunLogs logs = new RunLogs(run.withoutDriverLog() ? null : files.writer("driver.log"),
            tau2Log ? files.writer("logs/tau2_global.log") : null, truth, run);
        KvTimeseries kv = new KvTimeseries(files.writer("kv_cache_timeseries.csv"), truth,
            simulation.load(), run, simulation.firstScrape, simulation.evaluationStart,
            simulation.expectedEnd);
        SchedulerTimestamps scheduler = schedulerFile ? new SchedulerTimestamps(
            files.writer("scheduler_timestamps"), RunRandom.stream(run.seed(), 9)) : null) {
      simulation.run(logs, kv, new TaskResults(files, run), scheduler);
    }
    return truth.row(run);
  }
}
