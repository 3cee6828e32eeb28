package dev.servelens.cli;

import dev.servelens.workload.WorkloadGenerateJob;
import dev.servelens.workload.WorkloadGenerateOptions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servelens generate FAMILY}: realistic synthetic inputs in the exact input formats. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate seeded, reproducible synthetic inputs in the real input formats.",
    subcommands = {GenerateCommand.Workload.class})
final class GenerateCommand {

  /** {@code servelens generate workload}. */
  @Command(
      name = "workload",
      mixinStandardHelpOptions = true,
      description = {
        "A 30-day request trace in the canonical CSV: Zipf-like users and models, diurnal and",
        "weekly cycles, bursts, lognormal token counts per model; written in parallel, one",
        "file per ~2M rows. --dirty-fraction mixes in malformed rows of every kind."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  servelens generate workload --out traces/ --rows 1000000",
        "  servelens generate workload --out traces/ --rows 100000000 --files 64 --seed 7",
        "  servelens generate workload --out dirty/ --rows 20000 --dirty-fraction 0.01"
      })
  static final class Workload implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Output folder (Hadoop path); it must not exist yet.")
    String out;

    @Option(names = "--rows", defaultValue = "100000", paramLabel = "N",
        description = "Requests to generate (default ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--days", defaultValue = "30", description = "Days spanned (default 30).")
    int days;

    @Option(names = "--start", defaultValue = "2025-01-01", paramLabel = "DATE",
        description = "First day, UTC (default ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--users", defaultValue = "0", paramLabel = "N",
        description = "Distinct users (default: max(50, rows/500)).")
    int users;

    @Option(names = "--models", defaultValue = "12", paramLabel = "N",
        description = "Distinct models (default ${DEFAULT-VALUE}).")
    int models;

    @Option(names = "--files", defaultValue = "0", paramLabel = "N",
        description = "Output files (default: one per ~2M rows).")
    int files;

    @Option(names = "--dirty-fraction", defaultValue = "0", paramLabel = "F",
        description = "Fraction of rows replaced by malformed lines (default 0).")
    double dirtyFraction;

    @Option(names = "--timestamp-format", defaultValue = "iso", paramLabel = "FORMAT",
        description = "iso (2025-01-03T04:05:06.789Z), space (no zone) or epoch-ms.")
    String timestampFormat;

    @Mixin SparkOptions spark;

    @Override
    public Integer call() {
      WorkloadGenerateOptions options = new WorkloadGenerateOptions();
      options.out = out;
      options.rows = rows;
      options.seed = seed;
      options.days = AnalyzeCommand.positive(days, "--days");
      options.start = start;
      options.users = users;
      options.models = AnalyzeCommand.positive(models, "--models");
      options.files = files;
      options.dirtyFraction = dirtyFraction;
      options.timestampFormat = timestampFormat;
      if (rows <= 0) {
        throw new UsageException("--rows must be at least 1, got " + rows);
      }
      if (dirtyFraction < 0 || dirtyFraction > 1) {
        throw new UsageException("--dirty-fraction must be in [0, 1]");
      }
      SparkSession session =
          SparkSessions.create("servelens generate workload", spark.master, spark.conf);
      try {
        WorkloadGenerateJob.GenerateSummary summary = WorkloadGenerateJob.run(session, options);
        System.out.println("generate workload: " + summary.rows() + " rows ("
            + summary.dirtyRows() + " malformed) in " + summary.files() + " file(s) under "
            + summary.outputPath());
        return 0;
      } finally {
        SparkSessions.release(session);
      }
    }
  }
}
