package dev.servelens.report;

import dev.servelens.figures.XmlEscape;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** HTML escaping of text from data, and relative links to output files. */
final class Html {
  private Html() {}

  /** Escapes {@code text} for element content and quoted attribute values; null is empty. */
  static String escape(String text) {
    return XmlEscape.text(text);
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
