package dev.servelens.cli;

import dev.servelens.workload.WorkloadAnalyzeJob;
import dev.servelens.workload.WorkloadAnalyzeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servelens analyze FAMILY}: tables and figure data from the catalog. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = "Compute a family's tables and figure data from the catalog.",
    subcommands = {AnalyzeCommand.Workload.class, AnalyzeKstarCommand.class})
final class AnalyzeCommand {

  /** {@code servelens analyze workload}. */
  @Command(
      name = "workload",
      mixinStandardHelpOptions = true,
      description = {
        "Overview, users, token CDFs and ratios, inter-arrival statistics, correlations and",
        "heatmap, per-user model diversity. Writes OUT/workload/*.csv|.md and",
        "OUT/workload/figures/*.csv."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens analyze workload --catalog cat/ --out results/",
        "  servelens analyze workload --catalog cat/ --out r/ --model deepseek-ai/DeepSeek-R1 \\",
        "      --from 2025-01-01 --to 2025-01-07 --per-user-gaps"
      })
  static final class Workload implements Callable<Integer> {
    @Option(names = "--catalog", required = true, paramLabel = "DIR",
        description = "Catalog root.")
    String catalog;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Output folder (Hadoop path).")
    String out;

    @Option(names = "--top-models", defaultValue = "10", paramLabel = "N",
        description = "Busiest models drawn in per-model figures (default ${DEFAULT-VALUE}).")
    int topModels;

    @Option(names = "--top-n", defaultValue = "20", paramLabel = "N",
        description = "Rows of top-N tables (default ${DEFAULT-VALUE}).")
    int topN;

    @Option(names = "--window", defaultValue = "1000", paramLabel = "W",
        description = "Requests per window for model diversity (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--diversity-top-users", defaultValue = "50", paramLabel = "N",
        description = "Users with model-diversity box statistics (default ${DEFAULT-VALUE}).")
    int diversityTopUsers;

    @Option(names = "--per-user-gaps",
        description = "Also compute inter-arrival gaps within each user's requests.")
    boolean perUserGaps;

    @Option(names = "--model", paramLabel = "MODEL",
        description = "Analyse only this model. Repeatable.")
    List<String> models = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE", description = "First date, yyyy-MM-dd.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last date, yyyy-MM-dd.")
    String to;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      WorkloadAnalyzeOptions options = new WorkloadAnalyzeOptions();
      options.catalog = catalog;
      options.out = out;
      options.topModels = positive(topModels, "--top-models");
      options.topN = positive(topN, "--top-n");
      options.diversityWindow = positive(window, "--window");
      options.diversityTopUsers = positive(diversityTopUsers, "--diversity-top-users");
      options.perUserGaps = perUserGaps;
      options.models = models;
      options.from = from;
      options.to = to;
      SparkSession session =
          SparkSessions.create("servelens analyze workload", spark.master, spark.conf);
      try {
        long rows = WorkloadAnalyzeJob.run(session, options);
        System.out.println("analyze workload: " + rows + " requests analysed; tables in "
            + out + "/workload/");
        return 0;
      } finally {
        SparkSessions.release(session);
      }
    }
  }

  static int positive(int value, String option) {
    if (value <= 0) {
      throw new UsageException(option + " must be at least 1, got " + value);
    }
    return value;
  }
}
