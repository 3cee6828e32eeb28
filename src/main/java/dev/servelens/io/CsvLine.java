package dev.servelens.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV record held on a single line (RFC 4180 quoting, {@code ""} for a quote inside
 * a quoted field). A quoted field left open at the end of the line is an error: the record
 * continued onto another line or was truncated, and either way it cannot be trusted.
 */
public final class CsvLine {
  private CsvLine() {}

  /**
   * @return the fields, unquoted
   * @throws IllegalArgumentException when a quoted field is not closed
   */
  public static List<String> split(String line, char delimiter) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    int n = line.length();
    for (int i = 0; i < n; i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < n && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(ch);
        }
      } else if (ch == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (ch == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (ch == '\r' && i == n - 1) {
        break;
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted field");
    }
    fields.add(field.toString());
    return fields;
  }
}
