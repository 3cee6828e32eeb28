package dev.servelens.cli;

import dev.servelens.kstar.KstarAnalyzeJob;
import dev.servelens.kstar.KstarAnalyzeOptions;
import dev.servelens.kstar.KstarResult;
import dev.servelens.kstar.ServiceProfile;
import dev.servelens.report.ReportJob;
import dev.servelens.report.ReportOptions;
import dev.servelens.runs.RunsAnalyzeJob;
import dev.servelens.runs.RunsAnalyzeOptions;
import dev.servelens.runs.RunsColumns;
import dev.servelens.runs.RunsIngestJob;
import dev.servelens.runs.RunsIngestOptions;
import dev.servelens.runs.gen.RunsGenerateJob;
import dev.servelens.runs.gen.RunsGenerateOptions;
import dev.servelens.bench.BenchAnalyzeJob;
import dev.servelens.bench.BenchAnalyzeOptions;
import dev.servelens.bench.BenchIngestJob;
import dev.servelens.bench.BenchIngestOptions;
import dev.servelens.bench.gen.BenchGenerateJob;
import dev.servelens.bench.gen.BenchGenerateOptions;
import dev.servelens.workload.WorkloadAnalyzeJob;
import dev.servelens.workload.WorkloadAnalyzeOptions;
import dev.servelens.workload.WorkloadGenerateJob;
import dev.servelens.workload.WorkloadGenerateOptions;
import dev.servelens.workload.WorkloadIngestJob;
import dev.servelens.workload.WorkloadIngestOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code servelens demo}: generates a small data set, ingests and analyses it in one Spark
 * session, and says where everything is. The first command a newcomer runs.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on a small generated data set of every family.",
      "Generates a workload trace (with a few malformed rows), 9 agentic benchmark runs and",
      "12 serving-benchmark runs; ingests them into one catalog; runs every analysis (workload,",
      "k* vs k-hat on the trace's output lengths, active-window throughput, Pareto fronts);",
      "writes the HTML report and prints where it is. Runs in local[*] by default."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  servelens demo", "  servelens demo --out /tmp/demo --rows 1000000"})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
      description = "Where inputs, catalog and outputs go (default ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--rows", defaultValue = "200000", paramLabel = "N",
      description = "Requests in the generated trace (default ${DEFAULT-VALUE}).")
  long rows;

  @Mixin SparkOptions spark;

  /** Prefill and decode costs (alpha_p, beta_p, alpha_d, beta_d, seconds) for the demo. */
  private static final String DEMO_PROFILE = "0.015,0.00006,0.012,0.0001";

  /** Serving-benchmark runs the demo generates. */
  private static final int BENCH_RUNS = 12;

  /** Steps the demo prints, for the "[i/n]" counter. */
  private static final int STEPS = 11;

  /** Marks a folder as the demo's own, so a later demo may replace it. */
  private static final String MARKER = ".servelens-demo";

  /** Empties a previous demo's folder; refuses any other folder that is not empty. */
  private static void prepare(FileSystem fs, org.apache.hadoop.fs.Path root)
      throws java.io.IOException {
    if (fs.exists(root) && fs.listStatus(root).length > 0) {
      if (!fs.exists(new org.apache.hadoop.fs.Path(root, MARKER))) {
        throw new UsageException("--out " + root + " exists and is not a previous demo's"
            + " folder; choose a new or empty folder");
      }
      fs.delete(root, true);
    }
    fs.mkdirs(root);
    fs.create(new org.apache.hadoop.fs.Path(root, MARKER), true).close();
  }

  @Override
  public Integer call() throws Exception {
    String root = Path.of(out).toAbsolutePath().toString();
    SparkSession session = SparkSessions.create("servelens demo", spark.master, spark.conf);
    try {
      FileSystem fs = FileSystem.getLocal(session.sparkContext().hadoopConfiguration());
      prepare(fs, new org.apache.hadoop.fs.Path(root));
      String catalog = root + "/catalog";
      String results = root + "/results";
      workload(session, root + "/inputs/workload", catalog, results);
      runs(session, root + "/inputs/runs", catalog, results, fs);
      bench(session, root + "/inputs/bench", catalog, results);
      step("writing the HTML report");
      ReportOptions report = new ReportOptions();
      report.catalog = catalog;
      report.out = results;
      ReportJob.Summary summary = ReportJob.run(session, report);
      System.out.println("      " + summary.tables() + " tables, " + summary.figures()
          + " figures" + (summary.figureFailures().isEmpty() ? ""
              : ", figures that failed: " + summary.figureFailures()));
      System.out.println();
      System.out.println("Done. Open the report: " + summary.index());
      System.out.println("Catalog: " + catalog);
      System.out.println("Tables and figures: " + results + "/{workload,kstar,agentic,bench}/");
      System.out.println("Query it: submit/servelens query --catalog " + catalog
          + " \"SELECT model_id, count(*) FROM workload_requests GROUP BY 1 ORDER BY 2 DESC\"");
      return 0;
    } finally {
      SparkSessions.release(session);
    }
  }

  private void workload(SparkSession session, String inputs, String catalog, String results) {
    step("generating " + rows + " requests into " + inputs);
    WorkloadGenerateOptions generate = new WorkloadGenerateOptions();
    generate.out = inputs;
    generate.rows = rows;
    generate.dirtyFraction = 0.001;
    WorkloadGenerateJob.run(session, generate);
    step("ingesting the workload into the catalog " + catalog);
    WorkloadIngestOptions ingest = new WorkloadIngestOptions();
    ingest.inputs = List.of(inputs);
    ingest.catalog = catalog;
    System.out.println("      " + WorkloadIngestJob.run(session, ingest));
    step("analysing the workload into " + results);
    WorkloadAnalyzeOptions analyze = new WorkloadAnalyzeOptions();
    analyze.catalog = catalog;
    analyze.out = results;
    WorkloadAnalyzeJob.run(session, analyze);
    step("k* vs k-hat per model, N = 32 and 64, profile " + DEMO_PROFILE);
    KstarAnalyzeOptions kstar = new KstarAnalyzeOptions();
    kstar.catalog = catalog;
    kstar.out = results;
    kstar.batchSizes = List.of(32, 64);
    kstar.profile = ServiceProfile.parse(DEMO_PROFILE);
    for (KstarResult result : KstarAnalyzeJob.run(session, kstar)) {
      System.out.printf("      %-40s N=%-3d k*=%-3d k-hat=%-3d gap %.2f %%%n", result.model(),
          result.n(), result.kstar(), result.khatSim(), result.gapPct());
    }
  }

  private void runs(SparkSession session, String inputs, String catalog, String results,
      FileSystem fs) throws java.io.IOException {
    step("generating 9 agentic benchmark runs (3 systems x 3 concurrencies) into " + inputs);
    RunsGenerateOptions generate = new RunsGenerateOptions();
    generate.out = inputs;
    generate.stuck = 0.1;
    generate.contaminate = 0.1;
    generate.dirtyFraction = 0.001;
    RunsGenerateJob.run(session, generate);
    step("ingesting the runs");
    RunsIngestOptions ingest = new RunsIngestOptions();
    ingest.inputs = List.of(inputs);
    ingest.catalog = catalog;
    System.out.println("      " + RunsIngestJob.run(session, ingest));
    step("active-window throughput (KV cache usage > 70 %)");
    RunsAnalyzeOptions analyze = new RunsAnalyzeOptions();
    analyze.catalog = catalog;
    analyze.out = results;
    RunsAnalyzeJob.run(session, analyze);
    for (String table : List.of("compare_tasks_per_min.md", "compare_steps_per_s.md")) {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(
          results + "/" + RunsColumns.OUTPUT_FOLDER + "/" + table);
      try (java.io.InputStream in = fs.open(path)) {
        String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        text.lines().forEach(line -> System.out.println("      " + line));
      }
    }
  }

  private void bench(SparkSession session, String inputs, String catalog, String results) {
    step("generating " + BENCH_RUNS + " serving-benchmark runs into " + inputs);
    BenchGenerateOptions generate = new BenchGenerateOptions();
    generate.out = inputs;
    generate.runs = BENCH_RUNS;
    generate.dirtyFraction = 0.05;
    BenchGenerateJob.run(session, generate);
    step("ingesting the benchmark logs");
    BenchIngestOptions ingest = new BenchIngestOptions();
    ingest.inputs = List.of(inputs);
    ingest.catalog = catalog;
    System.out.println("      " + BenchIngestJob.run(session, ingest));
    step("Pareto fronts, latency, node metrics and rate match");
    BenchAnalyzeOptions analyze = new BenchAnalyzeOptions();
    analyze.catalog = catalog;
    analyze.out = results;
    analyze.ttftTargetMs = 2000.0;
    System.out.println("      " + BenchAnalyzeJob.run(session, analyze)
        + " (run, concurrency) results analysed");
  }

  private int stepNumber;

  private void step(String what) {
    stepNumber++;
    System.out.println("[" + stepNumber + "/" + STEPS + "] " + what);
  }
}
