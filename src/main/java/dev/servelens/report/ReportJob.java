package dev.servelens.report;

import dev.servelens.catalog.Catalog;
import dev.servelens.figures.Figures;
import dev.servelens.io.OutputSet;
import dev.servelens.io.TableOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code servelens report}: renders every figure of every family folder under the output folder
 * that lacks its SVG or PNG, summarises the catalog's manifest and rejects with Spark, and
 * writes {@code <out>/index.html} atomically.
 */
public final class ReportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);

  /** The report's file name under the output folder. */
  public static final String INDEX = "index.html";

  private ReportJob() {}

  /** What the report holds. */
  public record Summary(String index, int families, int tables, int figures,
      int figuresRendered, List<String> figureFailures) {}

  public static Summary run(SparkSession spark, ReportOptions options) {
    long started = System.nanoTime();
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    if (options.paretoCutoff != null) {
      conf.set(Figures.PARETO_CUTOFF_KEY, options.paretoCutoff.toString());
    }
    Path out = new Path(options.out);
    try {
      FileSystem fs = out.getFileSystem(conf);
      if (!OutputTree.isDirectory(fs, out)) {
        throw new IllegalArgumentException("output folder " + options.out
            + " does not exist: run 'servelens analyze ...' with --out " + options.out + " first");
      }
      OutputSet.restoreAll(fs, out);
      int rendered = 0;
      Map<String, List<String>> failures = new LinkedHashMap<>();
      for (OutputTree.Family family : OutputTree.scan(fs, out).families()) {
        Figures.Summary figures =
            Figures.renderMissing(conf, new Path(out, family.name()).toString());
        rendered += figures.rendered();
        failures.put(family.name(), figures.failures());
      }
      OutputTree tree = OutputTree.scan(fs, out);
      spark.sparkContext().setJobGroup("report", "report: catalog summary", false);
      Catalog catalog = new Catalog(spark, options.catalog);
      ReportPage.Content content = new ReportPage.Content(options.catalog,
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), tree,
          CatalogSummary.manifestByFamily(catalog, options.tableRows),
          CatalogSummary.manifestLatest(catalog, options.tableRows),
          CatalogSummary.rejects(catalog, options.rejectExamples), failures);
      String index = new Path(out, INDEX).toString();
      TableOutput.writeText(conf, index,
          new ReportPage(fs, out, options.tableRows).render(content));
      Summary summary = new Summary(index, tree.families().size(),
          tree.families().stream().mapToInt(OutputTree.Family::tableCount).sum(),
          tree.families().stream().mapToInt(OutputTree.Family::figureCount).sum(), rendered,
          failures.values().stream().flatMap(List::stream).toList());
      LOG.info("Wrote {} in {} ms: {}", index, (System.nanoTime() - started) / 1_000_000,
          summary);
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report under " + options.out + ": "
          + e.getMessage(), e);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }
}
