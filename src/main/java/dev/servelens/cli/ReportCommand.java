package dev.servelens.cli;

import dev.servelens.report.ReportJob;
import dev.servelens.report.ReportOptions;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servelens report}: the HTML report over everything analysed. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Render every figure still missing its SVG/PNG (with a cutoff, the Pareto figures too)",
      "and write OUT/index.html: a static, self-contained page (no network, opens from the",
      "file system) with a section per family folder under OUT (tables' first rows, every",
      "figure), the ingest manifest and the catalog's rejected rows by reason with examples."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  servelens report --catalog cat/ --out results/",
      "  servelens report --catalog hdfs:///servelens/catalog --out hdfs:///servelens/results \\",
      "      --rows 20 --tps-per-user-cutoff 50"
    })
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--catalog", required = true, paramLabel = "DIR", description = "Catalog root.")
  String catalog;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The analyses' output folder; index.html is written there.")
  String out;

  @Option(names = "--rows", defaultValue = "10", paramLabel = "N",
      description = "Rows shown per table (default ${DEFAULT-VALUE}); each links its full CSV.")
  int rows;

  @Option(names = "--reject-examples", defaultValue = "3", paramLabel = "N",
      description = "Example rows per kind of reject reason (default ${DEFAULT-VALUE}).")
  int rejectExamples;

  @Option(names = "--tps-per-user-cutoff", paramLabel = "TPS",
      description = "Draw this per-user throughput (tokens/s) as a cutoff on Pareto figures.")
  Double paretoCutoff;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    ReportOptions options = new ReportOptions();
    options.catalog = catalog;
    options.out = out;
    options.tableRows = AnalyzeCommand.positive(rows, "--rows");
    options.rejectExamples = AnalyzeCommand.positive(rejectExamples, "--reject-examples");
    options.paretoCutoff = paretoCutoff;
    return spark.run("servelens report", session -> {
      ReportJob.Summary summary = ReportJob.run(session, options);
      StringJoiner lines = new StringJoiner(System.lineSeparator());
      lines.add("report: " + summary.index() + " (" + summary.families() + " families, "
          + summary.tables() + " tables, " + summary.figures() + " figures, "
          + summary.figuresRendered() + " rendered now)");
      for (String failure : summary.figureFailures()) {
        lines.add("report: figure not rendered: " + failure);
      }
      return lines.toString();
    });
  }
}
