package dev.servelens.report;

import java.util.List;

/** A {@link TablePreview} as an HTML table (numbers right-aligned), or a note when it is empty. */
final class HtmlTables {
  private HtmlTables() {}

  static String table(TablePreview preview) {
    if (preview.rows().isEmpty()) {
      return "<p class=\"empty\">No rows.</p>\n";
    }
    StringBuilder html = new StringBuilder("<div class=\"scroll\"><table>\n<thead><tr>");
    for (String column : preview.columns()) {
      html.append("<th>").append(Html.escape(column)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : preview.rows()) {
      html.append("<tr>");
      for (String cell : row) {
        html.append(isNumber(cell) ? "<td class=\"num\">" : "<td>").append(Html.escape(cell))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table></div>\n");
    if (preview.truncated()) {
      html.append("<p class=\"more\">First ").append(preview.rows().size())
          .append(" rows shown.</p>\n");
    }
    return html.toString();
  }

  private static boolean isNumber(String cell) {
    if (cell == null || cell.isEmpty() || cell.length() > 30) {
      return false;
    }
    try {
      Double.parseDouble(cell);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
