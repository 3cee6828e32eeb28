package dev.servelens.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report over {@link ReportFixture}'s outputs: its sections, figures and tables, the
 * manifest and rejects worked out by hand from {@code requests.csv}, and escaping of text from
 * data. The real-browser check is {@link ReportBrowserTest}.
 */
class ReportJobTest {
  private static ReportJob.Summary summary;
  private static String html;

  @BeforeAll
  static void report() throws IOException {
    summary = ReportFixture.build();
    html = Files.readString(Path.of(summary.index()));
  }

  private static int count(String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(html);
    int found = 0;
    while (matcher.find()) {
      found++;
    }
    return found;
  }

  private static long figureCsvs(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(file -> file.getParent().getFileName().toString().equals("figures")
          && file.getFileName().toString().endsWith(".csv")).count();
    }
  }

  @Test
  void everyFamilyHasASectionAndEveryFigureAnImage() throws IOException {
    assertThat(html).contains("id=\"headlines\"", "id=\"ingest\"", "id=\"rejects\"",
        "id=\"family-workload\"", "id=\"family-kstar\"", "id=\"family-agentic\"",
        "id=\"family-bench\"", "id=\"family-agentic--c64\"");
    long figures = figureCsvs(ReportFixture.OUT);
    assertThat(summary.figures()).isEqualTo(figures);
    assertThat(count("<img src=\"[^\"]+\\.svg\"")).isEqualTo((int) figures);
    assertThat(html).contains("<img src=\"agentic/c64/figures/kv_usage.svg\"",
        "<a href=\"bench/figures/pareto.png\">PNG</a>");
    assertThat(summary.figureFailures()).isEmpty();
    // No figure of the hand-made outputs had an SVG: the report rendered every one.
    assertThat(summary.figuresRendered()).isEqualTo(figures);
    assertThat(ReportFixture.OUT.resolve("agentic/c64/figures/kv_usage.png")).exists();
  }

  @Test
  void manifestAndRejectsMatchTheFixture() {
    // requests.csv: 14 lines after the header, one blank (no row): 13 rows, 10 requests, 3
    // rejected (not a number, a missing field, a negative count).
    assertThat(html).contains("<td>workload</td><td class=\"num\">1</td><td class=\"num\">13"
        + "</td><td class=\"num\">10</td><td class=\"num\">3</td>");
    assertThat(html).contains("workload_rejects: 3 rows rejected");
    assertThat(html).contains("<td>input_tokens</td><td class=\"num\">2</td>",
        "<td>expected 6 fields, found 5</td><td class=\"num\">1</td>");
    assertThat(html).doesNotContain("<td>empty line</td>");
    assertThat(html).contains("x,m1,oops,1,2025-01-01T00:00:08Z,1.0");
  }

  @Test
  void textFromDataIsEscapedAndTheComparisonComesFirst() {
    assertThat(html).doesNotContain("<script", "<b>evil");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;",
        "<td>&lt;b&gt;evil&lt;/b&gt;,user</td>");
    assertThat(html.indexOf("id=\"headlines\"")).isLessThan(html.indexOf("id=\"ingest\""));
    assertThat(html).contains("<p>CI: 95% bootstrap interval over runs;");
    // Shown at the top, the comparison is not repeated in the agentic section.
    assertThat(count("compare_tasks_per_min")).isEqualTo(2); // heading and its link
  }

  @Test
  void benchSummaryBlockLeadsItsSection() {
    // bench/ holds best_concurrency.csv and summary.csv: by name best_concurrency would come
    // first; the summary block (runs, points, best throughput, ...) leads instead.
    int summaryTable = html.indexOf("<a href=\"bench/summary.csv\">");
    int best = html.indexOf("<a href=\"bench/best_concurrency.csv\">");
    assertThat(summaryTable).isPositive();
    assertThat(best).isGreaterThan(summaryTable);
    assertThat(html).contains("<td class=\"num\">300.0</td>");
  }

  @Test
  void tablesShowTheirFirstRowsAndLinkTheCsv() {
    assertThat(html).contains("<a href=\"workload/requests_per_user.csv\">full CSV</a>",
        "<a href=\"kstar/kstar.csv\">full CSV</a>",
        "<a href=\"agentic/c64/active_window.csv\">full CSV</a>");
    assertThat(html).contains("<td>a</td><td class=\"num\">5</td>");
    // Every table has rows; requests_per_user.md has its CSV twin, so only the CSV is shown.
    assertThat(count("<table>")).isEqualTo(count("<tbody>\n<tr>"));
    assertThat(count("<h4 class=\"table-name\">requests_per_user</h4>")).isEqualTo(1);
    assertThat(html).doesNotContain("<h4>requests_per_user</h4>");
  }
}
