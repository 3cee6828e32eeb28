package dev.servelens.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code generate workload}: writes a realistic synthetic 30-day request trace in the canonical
 * workload CSV format, at any size, seeded and reproducible.
 *
 * <p>Why: the workload ingest and analyses need inputs of every size (a few rows in unit tests,
 * 100M rows in benchmarks) with the shapes real traces have: Zipf users and models, per-model
 * lognormal token counts, a diurnal and weekly arrival rate with bursts, and, on request, malformed
 * lines. Generation runs on the executors, one partition per output file, each streaming its slice
 * of the time span; the driver only plans the slices and renames the files.
 */
public final class WorkloadGenerateJob {

  private static final Logger LOG = LoggerFactory.getLogger(WorkloadGenerateJob.class);

  /** The local property behind {@link SparkContext#setJobDescription}. */
  private static final String JOB_DESCRIPTION_PROPERTY = "spark.job.description";

  /**
   * What a run wrote.
   *
   * @param files number of CSV files written
   * @param rows number of data rows written (header lines excluded, dirty rows included)
   * @param dirtyRows number of those rows that are malformed on purpose
   * @param outputPath the fully qualified output directory
   */
  public record GenerateSummary(int files, long rows, long dirtyRows, String outputPath) {}

  private WorkloadGenerateJob() {}

  /**
   * Generates the trace described by {@code options} into {@code options.out}, which must be
   * missing or empty.
   *
   * @throws IllegalArgumentException if an option is invalid or the output directory holds files
   */
  public static GenerateSummary run(SparkSession spark, WorkloadGenerateOptions options) {
    WorkloadPlan plan = WorkloadPlan.resolve(options);
    try {
      return generate(spark, plan, options.out);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the workload trace to " + options.out, e);
    }
  }

  private static GenerateSummary generate(SparkSession spark, WorkloadPlan plan, String outOption)
      throws IOException {
    Path requested = new Path(outOption);
    FileSystem fs = requested.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path out = fs.makeQualified(requested);
    WorkloadOutputFiles.requireEmptyOrMissing(fs, out);
    Path staging = new Path(out, WorkloadOutputFiles.STAGING_FOLDER);
    int partitions = plan.partitions();
    LOG.info(
        "Generating {} workload rows ({} dirty) for {} users and {} models into {} files at {}",
        plan.totalRows(),
        plan.totalDirtyRows(),
        plan.users,
        plan.models,
        partitions,
        out);
    long startNanos = System.nanoTime();

    SparkContext context = spark.sparkContext();
    String previousDescription = context.getLocalProperty(JOB_DESCRIPTION_PROPERTY);
    context.setJobDescription(
        "generate workload: " + plan.totalRows() + " rows into " + partitions + " files");
    try {
      spark
          .range(0, partitions, 1, partitions)
          .mapPartitions(new SliceToWorkloadLines(plan), Encoders.STRING())
          .write()
          .option("compression", "none")
          .text(staging.toString());
    } finally {
      context.setJobDescription(previousDescription);
    }
    List<Path> files =
        WorkloadOutputFiles.publish(fs, staging, out, partitions, plan.truncateFinalLine);

    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000L;
    LOG.info(
        "Wrote {} files with {} rows ({} dirty) to {} in {} ms",
        files.size(),
        plan.totalRows(),
        plan.totalDirtyRows(),
        out,
        elapsedMs);
    return new GenerateSummary(
        files.size(), plan.totalRows(), plan.totalDirtyRows(), out.toString());
  }
}
