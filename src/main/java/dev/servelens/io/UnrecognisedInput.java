package dev.servelens.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The error of an ingest that recognised none of its inputs: instead of "nothing new to ingest"
 * and exit code 0, one line saying what it saw (each file's extension and first line, and why it
 * was not read), what it skipped as not data, which formats the family reads and where the
 * README describes them.
 */
public final class UnrecognisedInput {
  /** Files described in the message at most; the count says how many there were. */
  static final int MAX_FILES_SHOWN = 5;
  static final int MAX_FIRST_LINE_CHARS = 80;

  /**
   * One input file that was not recognised.
   *
   * @param path the file
   * @param firstLine its first line (null when empty)
   * @param reason why it is not an input of the family
   */
  public record Seen(String path, String firstLine, String reason) {}

  private UnrecognisedInput() {}

  /**
   * Throws {@link #error} when every file the listing found is among {@code unusable} (also
   * when it found none); does nothing when any file was recognised.
   */
  public static void failIfNoneRecognised(String command, List<String> inputs,
      SourceFiles.Listing listing, List<Seen> unusable, String formats, String readmeSection) {
    if (unusable.size() == listing.files().size()) {
      throw error(command, inputs, listing, unusable, formats, readmeSection);
    }
  }

  /**
   * The exception to throw.
   *
   * @param command e.g. {@code ingest kstar}
   * @param listing what the inputs held
   * @param seen the files looked at, none of them recognised
   * @param formats what the family reads, in a few words
   * @param readmeSection the README section describing them
   */
  public static IllegalArgumentException error(String command, List<String> inputs,
      SourceFiles.Listing listing, List<Seen> seen, String formats, String readmeSection) {
    StringBuilder message = new StringBuilder(command).append(": no input recognised in ")
        .append(String.join(" ", inputs)).append(": ");
    if (seen.isEmpty()) {
      message.append("no data file");
    } else {
      message.append(seen.size()).append(" file(s) seen: ");
      List<String> shown = new ArrayList<>();
      for (Seen file : seen.subList(0, Math.min(MAX_FILES_SHOWN, seen.size()))) {
        shown.add(describe(file));
      }
      message.append(String.join("; ", shown));
      if (seen.size() > MAX_FILES_SHOWN) {
        message.append("; and ").append(seen.size() - MAX_FILES_SHOWN).append(" more");
      }
    }
    if (!listing.skipped().isEmpty()) {
      List<String> names = new ArrayList<>();
      for (String path : listing.skipped()) {
        names.add(new Path(path).getName());
      }
      message.append(". Skipped as not data (hidden, *.md, *.txt): ")
          .append(String.join(", ", names.subList(0, Math.min(MAX_FILES_SHOWN, names.size()))))
          .append(names.size() > MAX_FILES_SHOWN ? ", ..." : "");
    }
    return new IllegalArgumentException(message.append(". It reads ").append(formats)
        .append(" (README.md, section \"").append(readmeSection).append("\")").toString());
  }

  /** The files as {@link Seen}, each with its first line read (a bounded read per file). */
  public static List<Seen> firstLines(Configuration conf, List<SourceFile> files,
      String reason) {
    List<Seen> seen = new ArrayList<>();
    for (SourceFile file : files.subList(0, Math.min(MAX_FILES_SHOWN, files.size()))) {
      String line;
      try {
        line = SourceFiles.firstLine(conf, file.path(), MAX_FIRST_LINE_CHARS + 1);
      } catch (IOException e) {
        line = "(unreadable: " + e.getMessage() + ")";
      }
      seen.add(new Seen(file.path(), line, reason));
    }
    for (SourceFile file : files.subList(seen.size(), files.size())) {
      seen.add(new Seen(file.path(), null, reason));
    }
    return seen;
  }

  private static String describe(Seen file) {
    String name = new Path(file.path()).getName();
    String line = file.firstLine() == null ? "empty"
        : "first line '" + (file.firstLine().length() > MAX_FIRST_LINE_CHARS
            ? file.firstLine().substring(0, MAX_FIRST_LINE_CHARS) + "..." : file.firstLine())
            + "'";
    return name + " (" + extension(name) + ", " + line + "): " + file.reason();
  }

  /** {@code .csv}, {@code .csv.gz}, or {@code no extension}. */
  static String extension(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.indexOf('.', 1);
    return dot < 0 ? "no extension" : lower.substring(dot);
  }
}
