package dev.servelens.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes {@code index.html}: a static page with inline CSS and no script, fonts or network
 * resources, linking tables and figures by relative path so it works straight from the file
 * system. Sections: the agentic active-window comparison first (when present), a section per
 * family with its tables and figures (the bench section opens with its summary table), then the
 * ingest manifest and the rejects.
 */
final class ReportPage {
  /** The agentic comparison tables shown at the top of the report. */
  static final List<String> HEADLINE_DOCUMENTS =
      List.of("compare_tasks_per_min", "compare_steps_per_s");
  static final String AGENTIC = "agentic";
  /** The bench summary table, shown at the top of the bench section. */
  static final String BENCH = "bench";
  static final String BENCH_SUMMARY = "summary";

  private static final int MAX_DOCUMENT_BYTES = 256 * 1024;
  private static final String STYLE = """
      body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#111;background:#fff;
      margin:0 auto;padding:1em 2em;max-width:1500px;line-height:1.4}
      h1{font-size:1.8em;margin-bottom:.2em}h2{border-bottom:2px solid #333;margin-top:2em}
      h3{margin-top:1.5em}h4{margin:1.2em 0 .3em}
      nav ul{columns:3;padding-left:1.2em}.meta{color:#444}
      .scroll{overflow-x:auto;max-width:100%}
      table{border-collapse:collapse;font-size:.85em;margin:.3em 0}
      th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}
      th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
      tbody tr:nth-child(even){background:#f7f7f7}
      .more,.empty,.links{color:#444;font-size:.85em;margin:.2em 0}
      figure{margin:1.5em 0;border-top:1px solid #ddd;padding-top:.5em}
      figure img{max-width:100%;height:auto;display:block}
      figcaption{font-size:.9em;color:#333}.error{color:#a00}
      a{color:#0645ad}
      """;

  private final FileSystem fs;
  private final Path out;
  private final int tableRows;
  private final StringBuilder html = new StringBuilder();

  ReportPage(FileSystem fs, Path out, int tableRows) {
    this.fs = fs;
    this.out = out;
    this.tableRows = tableRows;
  }

  /** Everything the page shows besides the output folder's files. */
  record Content(String catalog, String generatedAt, OutputTree tree, TablePreview manifest,
      TablePreview latestFiles, List<CatalogSummary.Rejects> rejects,
      Map<String, List<String>> figureFailures) {}

  String render(Content content) {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>servelens report</title>\n<style>").append(STYLE)
        .append("</style>\n</head>\n<body>\n<header>\n<h1>servelens report</h1>\n")
        .append("<p class=\"meta\">Outputs in <code>").append(Html.escape(out.toString()))
        .append("</code>, catalog <code>").append(Html.escape(content.catalog()))
        .append("</code>, generated ").append(Html.escape(content.generatedAt()))
        .append(".</p>\n");
    contents(content);
    html.append("</header>\n<main>\n");
    headlines(content.tree());
    for (OutputTree.Family family : content.tree().families()) {
      family(family, content.figureFailures().getOrDefault(family.name(), List.of()));
    }
    ingest(content);
    rejects(content.rejects());
    html.append("</main>\n</body>\n</html>\n");
    return html.toString();
  }

  private void contents(Content content) {
    html.append("<nav><ul>\n");
    if (!headlineDocuments(content.tree()).isEmpty()) {
      link("headlines", "Active-window comparison");
    }
    for (OutputTree.Family family : content.tree().families()) {
      link("family-" + Html.id(family.name()), family.name() + " (" + family.tableCount()
          + " tables, " + family.figureCount() + " figures)");
    }
    link("ingest", "Ingest manifest");
    link("rejects", "Rejected rows");
    html.append("</ul></nav>\n");
  }

  private void link(String id, String text) {
    html.append("<li><a href=\"#").append(id).append("\">").append(Html.escape(text))
        .append("</a></li>\n");
  }

  private static List<String> headlineDocuments(OutputTree tree) {
    return tree.families().stream().filter(family -> family.name().equals(AGENTIC))
        .flatMap(family -> family.groups().stream())
        .flatMap(group -> Stream.concat(group.documents().stream(),
                group.tables().stream()).distinct()
            .filter(HEADLINE_DOCUMENTS::contains).map(doc -> group.dir() + "/" + doc + ".md"))
        .toList();
  }

  private void headlines(OutputTree tree) {
    List<String> documents = headlineDocuments(tree);
    if (documents.isEmpty()) {
      return;
    }
    html.append("<section id=\"headlines\">\n<h2>Active-window comparison (agentic)</h2>\n");
    for (String document : documents) {
      html.append("<h3>").append(Html.escape(document)).append(" <a class=\"links\" href=\"")
          .append(Html.href(document)).append("\">Markdown</a></h3>\n");
      html.append(MarkdownBlocks.toHtml(readDocument(document)));
    }
    html.append("</section>\n");
  }

  private void ingest(Content content) {
    html.append("<section id=\"ingest\">\n<h2>Ingest manifest</h2>\n");
    if (content.manifest() == null) {
      html.append("<p class=\"empty\">The catalog has no ingest manifest.</p>\n");
    } else {
      html.append("<p>Per family: source files ingested and their rows; for every file rows"
          + " read = rows kept + rows rejected.</p>\n").append(HtmlTables.table(content.manifest()))
          .append("<h3>Most recently ingested files</h3>\n")
          .append(HtmlTables.table(content.latestFiles()));
    }
    html.append("</section>\n");
  }

  private void rejects(List<CatalogSummary.Rejects> rejects) {
    html.append("<section id=\"rejects\">\n<h2>Rejected rows</h2>\n");
    if (rejects.isEmpty()) {
      html.append("<p class=\"empty\">The catalog has no rejects table.</p>\n");
    }
    for (CatalogSummary.Rejects table : rejects) {
      html.append("<h3>").append(Html.escape(table.table())).append(": ").append(table.rows())
          .append(table.rows() == 1 ? " row" : " rows").append(" rejected</h3>\n");
      if (table.rows() > 0) {
        html.append("<h4>By kind of reason</h4>\n").append(HtmlTables.table(table.byReason()))
            .append("<h4>Examples</h4>\n").append(HtmlTables.table(table.examples()));
      }
    }
    html.append("</section>\n");
  }

  private void family(OutputTree.Family family, List<String> failures) {
    String id = "family-" + Html.id(family.name());
    html.append("<section class=\"family\" id=\"").append(id).append("\">\n<h2>")
        .append(Html.escape(family.name())).append("</h2>\n");
    for (String failure : failures) {
      html.append("<p class=\"error\">Figure not rendered: ").append(Html.escape(failure))
          .append("</p>\n");
    }
    for (OutputTree.Group group : family.groups()) {
      if (group.name() != null) {
        html.append("<section class=\"group\" id=\"").append(id).append("--")
            .append(Html.id(group.name())).append("\">\n<h3>Run group ")
            .append(Html.escape(group.name())).append("</h3>\n");
      }
      group(group, family.name().equals(AGENTIC),
          family.name().equals(BENCH) ? BENCH_SUMMARY : null);
      if (group.name() != null) {
        html.append("</section>\n");
      }
    }
    html.append("</section>\n");
  }

  /**
   * A group's figures, tables and documents (bar the headlines, shown at the top); the table
   * {@code lead} (when not null and present) before everything else.
   */
  private void group(OutputTree.Group group, boolean hasHeadlines, String lead) {
    List<String> tables = new ArrayList<>(group.tables());
    if (lead != null && tables.remove(lead)) {
      html.append("<h3>Summary</h3>\n");
      table(group.dir() + "/" + lead + ".csv", lead);
    }
    if (!group.figures().isEmpty()) {
      html.append("<h3>Figures</h3>\n");
    }
    for (OutputTree.Figure figure : group.figures()) {
      figure(group.dir() + "/" + OutputTree.FIGURES + "/" + figure.name(), figure);
    }
    if (!tables.isEmpty()) {
      html.append("<h3>Tables</h3>\n");
    }
    for (String table : tables) {
      table(group.dir() + "/" + table + ".csv", table);
    }
    for (String document : group.documents()) {
      if (!hasHeadlines || !HEADLINE_DOCUMENTS.contains(document)) {
        html.append("<h4>").append(Html.escape(document)).append("</h4>\n")
            .append(MarkdownBlocks.toHtml(readDocument(group.dir() + "/" + document + ".md")));
      }
    }
  }

  private void figure(String base, OutputTree.Figure figure) {
    html.append("<figure id=\"figure-").append(Html.id(base)).append("\">\n");
    if (figure.hasSvg()) {
      html.append("<img src=\"").append(Html.href(base + ".svg")).append("\" alt=\"")
          .append(Html.escape(figure.name())).append("\">\n");
    }
    html.append("<figcaption>").append(Html.escape(figure.name()));
    if (figure.hasPng()) {
      html.append(" \u00b7 <a href=\"").append(Html.href(base + ".png")).append("\">PNG</a>");
    }
    html.append(" \u00b7 <a href=\"").append(Html.href(base + ".csv"))
        .append("\">data (CSV)</a></figcaption>\n</figure>\n");
  }

  private void table(String csv, String name) {
    html.append("<h4 class=\"table-name\">").append(Html.escape(name))
        .append("</h4>\n<p class=\"links\"><a href=\"").append(Html.href(csv))
        .append("\">full CSV</a></p>\n");
    try {
      html.append(HtmlTables.table(CsvPreview.read(fs, new Path(out, csv), tableRows)));
    } catch (RuntimeException e) {
      html.append("<p class=\"error\">Cannot read ").append(Html.escape(csv)).append(": ")
          .append(Html.escape(e.getMessage())).append("</p>\n");
    }
  }

  private String readDocument(String relative) {
    try (InputStream stream = fs.open(new Path(out, relative))) {
      byte[] bytes = stream.readNBytes(MAX_DOCUMENT_BYTES);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relative + ": " + e.getMessage(), e);
    }
  }
}
