package dev.servelens.figures;

/**
 * Escapes text from data for XML and HTML, in element content and quoted attribute values
 * alike; control characters other than tab, newline and carriage return are dropped, since XML
 * cannot hold them.
 */
public final class XmlEscape {
  private XmlEscape() {}

  /** {@code text} escaped; null gives the empty string. */
  public static String text(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }
}
