package dev.servelens.cli;

import dev.servelens.io.IngestSummary;
import dev.servelens.kstar.KstarAnalyzeJob;
import dev.servelens.kstar.KstarAnalyzeOptions;
import dev.servelens.kstar.KstarResult;
import dev.servelens.kstar.ServiceProfile;
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
      "Run the whole pipeline on a small generated data set.",
      "Generates a workload trace (with a few malformed rows), ingests it, analyses it, runs",
      "the k* vs k-hat analysis on its output lengths, and prints where the catalog and the",
      "outputs are. Runs in local[*] by default."
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
      String inputs = root + "/inputs/workload";
      String catalog = root + "/catalog";
      String results = root + "/results";
      System.out.println("[1/4] generating " + rows + " requests into " + inputs);
      WorkloadGenerateOptions generate = new WorkloadGenerateOptions();
      generate.out = inputs;
      generate.rows = rows;
      generate.dirtyFraction = 0.001;
      WorkloadGenerateJob.run(session, generate);
      System.out.println("[2/4] ingesting into the catalog " + catalog);
      WorkloadIngestOptions ingest = new WorkloadIngestOptions();
      ingest.inputs = List.of(inputs);
      ingest.catalog = catalog;
      IngestSummary summary = WorkloadIngestJob.run(session, ingest);
      System.out.println("      " + summary);
      System.out.println("[3/4] analysing into " + results);
      WorkloadAnalyzeOptions analyze = new WorkloadAnalyzeOptions();
      analyze.catalog = catalog;
      analyze.out = results;
      WorkloadAnalyzeJob.run(session, analyze);
      System.out.println("[4/4] k* vs k-hat per model, N = 32 and 64, profile " + DEMO_PROFILE);
      KstarAnalyzeOptions kstar = new KstarAnalyzeOptions();
      kstar.catalog = catalog;
      kstar.out = results;
      kstar.batchSizes = List.of(32, 64);
      kstar.profile = ServiceProfile.parse(DEMO_PROFILE);
      for (KstarResult result : KstarAnalyzeJob.run(session, kstar)) {
        System.out.printf("      %-40s N=%-3d k*=%-3d k-hat=%-3d gap %.2f %%%n", result.model(),
            result.n(), result.kstar(), result.khatSim(), result.gapPct());
      }
      System.out.println();
      System.out.println("Done. Catalog: " + catalog);
      System.out.println("Tables:  " + results + "/workload/*.csv and *.md");
      System.out.println("Figures: " + results + "/workload/figures/*.csv, "
          + results + "/kstar/figures/*.csv");
      System.out.println("k* vs k-hat: " + results + "/kstar/kstar.md");
      System.out.println("Start with " + results + "/workload/overview_summary.md");
      System.out.println("Query it: submit/servelens query --catalog " + catalog
          + " \"SELECT model_id, count(*) FROM workload_requests GROUP BY 1 ORDER BY 2 DESC\"");
      return 0;
    } finally {
      SparkSessions.release(session);
    }
  }
}
