package dev.servelens.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The small Markdown the analyses write (pipe tables, headings, bullet lists, paragraphs) as
 * HTML; every piece of text is escaped, nothing else of Markdown is interpreted.
 */
final class MarkdownBlocks {
  private MarkdownBlocks() {}

  static String toHtml(String markdown) {
    StringBuilder html = new StringBuilder();
    List<String> table = new ArrayList<>();
    List<String> paragraph = new ArrayList<>();
    boolean inList = false;
    for (String raw : markdown.split("\r?\n", -1)) {
      String line = raw.strip();
      if (!line.startsWith("|") && !table.isEmpty()) {
        html.append(table(table));
        table.clear();
      }
      boolean item = line.startsWith("- ") || line.startsWith("* ");
      if ((!item || line.isEmpty()) && inList) {
        html.append("</ul>\n");
        inList = false;
      }
      if (line.isEmpty() || line.startsWith("|") || line.startsWith("#") || item) {
        flush(paragraph, html);
      }
      if (line.startsWith("|")) {
        table.add(line);
      } else if (line.startsWith("#")) {
        int level = Math.min(6, 3 + (int) line.chars().takeWhile(c -> c == '#').count());
        html.append("<h").append(level).append('>')
            .append(Html.escape(line.replaceFirst("^#+\\s*", ""))).append("</h").append(level)
            .append(">\n");
      } else if (item) {
        if (!inList) {
          html.append("<ul>\n");
          inList = true;
        }
        html.append("<li>").append(Html.escape(line.substring(2))).append("</li>\n");
      } else if (!line.isEmpty()) {
        paragraph.add(line);
      }
    }
    if (!table.isEmpty()) {
      html.append(table(table));
    }
    if (inList) {
      html.append("</ul>\n");
    }
    flush(paragraph, html);
    return html.toString();
  }

  private static void flush(List<String> paragraph, StringBuilder html) {
    if (!paragraph.isEmpty()) {
      html.append("<p>").append(Html.escape(String.join(" ", paragraph))).append("</p>\n");
      paragraph.clear();
    }
  }

  /** A pipe table: the first line is the header, a separator line of dashes is skipped. */
  private static String table(List<String> lines) {
    List<String> header = cells(lines.get(0));
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.matches("[|:\\-\\s]+")) {
        rows.add(cells(line));
      }
    }
    return HtmlTables.table(new TablePreview(header, rows, false));
  }

  /** The cells of {@code | a | b \| c |}, with {@code \|} kept as a literal bar. */
  static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    String inner = line.substring(1, line.endsWith("|") && line.length() > 1
        && !line.endsWith("\\|") ? line.length() - 1 : line.length());
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        cells.add(cell.toString().strip());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString().strip());
    return cells;
  }
}
