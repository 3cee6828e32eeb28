package dev.servelens.bench.gen;

import dev.servelens.io.HadoopConfiguration;
import dev.servelens.io.TableOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code generate bench}: writes a seeded synthetic {@code logs/} tree of SGLang serving-benchmark
 * runs in the exact formats of FORMATS "B" (both metadata shapes, sa-bench result files with
 * their per-request arrays, worker logs in every line variant, node config snapshots), plus
 * {@code _truth/expected.csv} with the numbers an analysis must find.
 *
 * <p>Why: the bench ingest and analyses need sweeps of any size, with the traps real sweeps hold
 * (incomplete and profiling runs, {@code osl_10240} beside {@code osl_1024}, results under
 * {@code logs/}, damaged files) and known answers. The driver plans the runs; each run directory
 * is written by one Spark task through the Hadoop FileSystem API, streaming.
 */
public final class BenchGenerateJob {

  private static final Logger LOG = LoggerFactory.getLogger(BenchGenerateJob.class);
  private static final String JOB_DESCRIPTION_PROPERTY = "spark.job.description";

  /**
   * What a generation wrote.
   *
   * @param runs run directories written
   * @param truthRows rows of {@code _truth/expected.csv}
   * @param outputPath the fully qualified output directory
   */
  public record GenerateSummary(int runs, int truthRows, String outputPath) {}

  private BenchGenerateJob() {}

  /**
   * Writes the sweep described by {@code options} into {@code options.out}, which must be
   * missing or empty.
   *
   * @throws IllegalArgumentException if an option is invalid or the output directory holds files
   */
  public static GenerateSummary run(SparkSession spark, BenchGenerateOptions options) {
    validate(options);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Path requested = new Path(options.out);
      FileSystem fs = requested.getFileSystem(conf);
      Path out = fs.makeQualified(requested);
      requireEmptyOrMissing(fs, out);
      List<BenchRunPlan> plans = BenchPlanner.plan(options);
      LOG.info("Generating {} benchmark runs into {}", plans.size(), out);
      long started = System.nanoTime();
      List<String> truth = writeRuns(spark, conf, out, plans, options.requestsPerResult);
      String csv = TruthTable.HEADER + "\n" + String.join("\n", truth) + "\n";
      TableOutput.writeText(conf,
          new Path(new Path(out, TruthTable.FOLDER), TruthTable.FILE).toString(), csv);
      LOG.info("Wrote {} runs and {} truth rows to {} in {} ms", plans.size(), truth.size(), out,
          (System.nanoTime() - started) / 1_000_000L);
      return new GenerateSummary(plans.size(), truth.size(), out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the benchmark tree to " + options.out, e);
    }
  }

  private static List<String> writeRuns(SparkSession spark, Configuration conf, Path out,
      List<BenchRunPlan> plans, int requestsPerResult) {
    SparkContext context = spark.sparkContext();
    String previous = context.getLocalProperty(JOB_DESCRIPTION_PROPERTY);
    context.setJobDescription("generate bench: " + plans.size() + " run directories");
    try {
      // The truth rows are bounded by runs x concurrencies: a few per run directory.
      return JavaSparkContext.fromSparkContext(context)
          .parallelize(plans, plans.size())
          .flatMap(new RunDirectoryWriter(
              new HadoopConfiguration(conf), out.toString(), requestsPerResult))
          .collect();
    } finally {
      context.setJobDescription(previous);
    }
  }

  private static void validate(BenchGenerateOptions options) {
    if (options.out == null || options.out.isBlank()) {
      throw new IllegalArgumentException("option out is required");
    }
    if (options.runs < 1) {
      throw new IllegalArgumentException("option runs must be at least 1, got " + options.runs);
    }
    if (options.requestsPerResult < 1) {
      throw new IllegalArgumentException(
          "option requests-per-result must be at least 1, got " + options.requestsPerResult);
    }
    fraction("incomplete", options.incompleteFraction);
    fraction("profiling", options.profilingFraction);
    fraction("dirty-fraction", options.dirtyFraction);
  }

  private static void fraction(String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("option " + option + " must be in [0, 1], got " + value);
    }
  }

  private static void requireEmptyOrMissing(FileSystem fs, Path out) throws IOException {
    if (fs.exists(out) && (!fs.getFileStatus(out).isDirectory() || fs.listStatus(out).length > 0)) {
      throw new IllegalArgumentException("option out must be a missing or empty directory, but "
          + out + " is not: choose another directory or remove it");
    }
  }
}
