package dev.servelens.runs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.Path;

/**
 * The system and concurrency of a run, from a label map (directory name or glob to {@code
 * system,concurrency}, first match wins) or else from the directory name: the text before the
 * first {@code _c<digits>} is the system, the digits the concurrency ({@code
 * thunderreact_c128}, {@code continuum_c64_20260104_223636}). A name that fits neither is system
 * {@code unknown} without concurrency.
 */
final class RunLabels implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String UNKNOWN = "unknown";
  static final String FROM_NAME = "dir_name";
  static final String FROM_MAP = "label_map";
  static final String NONE = "none";

  /** A run's labels and where they came from. */
  record Label(String system, Integer concurrency, String source) {}

  private final Map<String, String> map;

  /** @param map directory name or glob to {@code system,concurrency}, in file order */
  RunLabels(Map<String, String> map) {
    this.map = new LinkedHashMap<>(map);
    for (Map.Entry<String, String> entry : map.entrySet()) {
      String[] parts = entry.getValue().split(",");
      if (parts.length != 2 || parts[0].isBlank() || !isDigits(parts[1].trim())) {
        throw new IllegalArgumentException("label map: '" + entry.getKey() + " = "
            + entry.getValue() + "': expected 'system,concurrency', e.g. thunderreact,128");
      }
    }
  }

  /**
   * Reads a label map file (Hadoop path): lines {@code <dir name or glob> = system,concurrency},
   * {@code #} comments and blank lines ignored; or no map when {@code file} is null.
   */
  static RunLabels read(Configuration conf, String file) {
    Map<String, String> map = new LinkedHashMap<>();
    if (file == null) {
      return new RunLabels(map);
    }
    Path path = new Path(file);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        path.getFileSystem(conf).open(path), StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null && number++ < 100_000) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        int equals = trimmed.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException(file + ": line " + number
              + ": expected '<dir name or glob> = system,concurrency'");
        }
        map.put(trimmed.substring(0, equals).trim(), trimmed.substring(equals + 1).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read label map " + file + ": " + e.getMessage(), e);
    }
    return new RunLabels(map);
  }

  Label of(String dirName) {
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (entry.getKey().equals(dirName) || GlobPattern.compile(entry.getKey()).matcher(dirName)
          .matches()) {
        String[] parts = entry.getValue().split(",");
        return new Label(parts[0].trim(), Integer.valueOf(parts[1].trim()), FROM_MAP);
      }
    }
    return fromName(dirName);
  }

  static Label fromName(String dirName) {
    int from = 0;
    while (true) {
      int at = dirName.indexOf("_c", from);
      if (at < 0) {
        return new Label(UNKNOWN, null, NONE);
      }
      int end = at + 2;
      while (end < dirName.length() && Character.isDigit(dirName.charAt(end))) {
        end++;
      }
      boolean delimited = end == dirName.length() || dirName.charAt(end) == '_';
      if (at > 0 && end > at + 2 && end - at - 2 <= 9 && delimited) {
        return new Label(dirName.substring(0, at), Integer.valueOf(dirName.substring(at + 2, end)),
            FROM_NAME);
      }
      from = at + 1;
    }
  }

  private static boolean isDigits(String text) {
    return !text.isEmpty() && text.length() <= 9 && text.chars().allMatch(Character::isDigit);
  }
}
