package dev.servelens.report;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** HTML escaping of text from data, and relative links to output files. */
final class Html {
  private Html() {}

  /** Escapes {@code text} for element content and quoted attribute values; null is empty. */
  static String escape(String text) {
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
        default -> escaped.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return escaped.toString();
  }

  /** A relative link to {@code path} ("a/b c.csv"), each segment percent-encoded, escaped. */
  static String href(String path) {
    StringBuilder link = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (link.length() > 0) {
        link.append('/');
      }
      link.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return escape(link.toString());
  }

  /** An id fragment made of letters, digits and dashes. */
  static String id(String text) {
    return text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
