package dev.servelens.report;

import dev.servelens.testing.SharedSpark;
import dev.servelens.workload.WorkloadIngestJob;
import dev.servelens.workload.WorkloadIngestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The output folder the report tests read, built once per test JVM under
 * {@code target/report-fixture}: a catalog from {@code requests.csv} (10 requests, 3
 * malformed rows and a blank line) for the manifest and rejects, and small hand-made outputs of
 * every family (figure data of every kind, tables, the agentic comparison and a run group),
 * then the report. The analyses' own outputs are checked by their tests; this keeps the report tests fast.
 */
final class ReportFixture {
  static final Path ROOT = Path.of("target/report-fixture");
  static final Path OUT = ROOT.resolve("out");
  static final Path CATALOG = ROOT.resolve("catalog");
  private static final Path RESOURCES = Path.of("src/test/resources/ReportJobTest");
  /** The figure CSVs of every kind that FiguresTest checks one by one. */
  private static final Path FIGURE_FIXTURES = Path.of("src/test/resources/FiguresTest");

  private static ReportJob.Summary summary;

  private ReportFixture() {}

  static synchronized ReportJob.Summary build() {
    if (summary == null) {
      try {
        summary = create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return summary;
  }

  private static ReportJob.Summary create() throws IOException {
    deleteTree(ROOT);
    copyTree(FIGURE_FIXTURES, OUT);
    copyTree(RESOURCES.resolve("out"), OUT);
    SparkSession spark = SharedSpark.session();
    WorkloadIngestOptions ingest = new WorkloadIngestOptions();
    ingest.inputs = List.of(RESOURCES.resolve("requests.csv").toString());
    ingest.catalog = CATALOG.toString();
    WorkloadIngestJob.run(spark, ingest);
    ReportOptions options = new ReportOptions();
    options.catalog = CATALOG.toString();
    options.out = OUT.toString();
    options.tableRows = 5;
    options.paretoCutoff = 25.0;
    return ReportJob.run(spark, options);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
