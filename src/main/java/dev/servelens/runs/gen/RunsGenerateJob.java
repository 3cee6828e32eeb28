package dev.servelens.runs.gen;

import dev.servelens.io.HadoopConfiguration;
import dev.servelens.io.TableOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code generate runs}: writes synthetic agentic-benchmark run directories (tau2-bench through
 * vLLM: driver.log, logs/tau2_global.log, kv_cache_timeseries.csv, outputs/, Continuum's
 * scheduler_timestamps) in the exact formats of the wild, seeded and reproducible, one Spark task
 * per run, plus the ground truth of every run's active window in {@code _truth/active_window.csv}.
 *
 * <p>Why: the runs ingest and analyses need inputs with known answers at every scale, from the
 * nine runs of a published comparison to thousands of directories, clean or damaged.
 */
public final class RunsGenerateJob {

  private static final Logger LOG = LoggerFactory.getLogger(RunsGenerateJob.class);
  private static final String JOB_DESCRIPTION = "spark.job.description";

  /** The folder of the ground truth; it holds no run file, so an ingest of the output skips it. */
  public static final String TRUTH_FILE = "_truth/active_window.csv";

  /**
   * What a generation wrote.
   *
   * @param runs number of run directories
   * @param outputPath the fully qualified output directory
   * @param truthPath the ground-truth CSV
   */
  public record Summary(long runs, String outputPath, String truthPath) {}

  private RunsGenerateJob() {}

  /**
   * Writes the runs described by {@code options} under {@code options.out}, which must be missing
   * or empty.
   *
   * @throws IllegalArgumentException if an option is invalid or the output directory holds files
   */
  public static Summary run(SparkSession spark, RunsGenerateOptions options) {
    List<RunSpec> runs = plan(options);
    Configuration configuration = spark.sparkContext().hadoopConfiguration();
    Path out;
    try {
      Path requested = new Path(options.out);
      FileSystem fs = requested.getFileSystem(configuration);
      out = fs.makeQualified(requested);
      requireEmptyOrMissing(fs, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + options.out + " as output: " + e, e);
    }
    long started = System.nanoTime();
    SparkContext context = spark.sparkContext();
    String previous = context.getLocalProperty(JOB_DESCRIPTION);
    context.setJobDescription("generate runs: " + runs.size() + " run directories");
    JavaRDD<Row> truth = JavaSparkContext.fromSparkContext(context)
        .parallelize(runs, runs.size())
        .map(new GenerateRunDirectory(out.toString(), new HadoopConfiguration(configuration)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long written = truth.count();
      context.setJobDescription("generate runs: ground truth");
      String truthPath = out + "/" + TRUTH_FILE;
      TableOutput.writeCsvFile(spark.createDataFrame(truth, ActiveWindowTruth.SCHEMA), truthPath);
      LOG.info("Wrote {} run directories and their ground truth under {} in {} ms", written, out,
          (System.nanoTime() - started) / 1_000_000);
      return new Summary(written, out.toString(), truthPath);
    } finally {
      truth.unpersist(false);
      context.setJobDescription(previous);
    }
  }

  /**
   * Checks the options without writing anything.
   *
   * @throws IllegalArgumentException naming the option at fault
   */
  public static void validate(RunsGenerateOptions options) {
    plan(options);
  }

  private static List<RunSpec> plan(RunsGenerateOptions options) {
    if (options.out == null || options.out.isBlank()) {
      throw new IllegalArgumentException("option out is required");
    }
    return RunsPlan.plan(options);
  }

  private static void requireEmptyOrMissing(FileSystem fs, Path out) throws IOException {
    if (!fs.exists(out)) {
      return;
    }
    FileStatus status = fs.getFileStatus(out);
    if (!status.isDirectory() || fs.listStatus(out).length > 0) {
      throw new IllegalArgumentException("option out must name a missing or empty directory: "
          + out + " holds files (remove it or choose another)");
    }
  }
}
