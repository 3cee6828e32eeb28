package dev.servelens.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists input files under Hadoop paths (files, directories searched at any depth, globs) and
 * reads a file's first line, the only data the driver ever reads itself. Files that are not
 * data are skipped and listed: hidden files and folders (names starting with {@code .} or
 * {@code _}, as Spark skips them) and notes ({@code *.md}, {@code *.txt}, e.g. a folder's
 * {@code PROVENANCE.md} or {@code README.txt}).
 */
public final class SourceFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SourceFiles.class);
  private static final String[] NOTE_SUFFIXES = {".md", ".txt"};

  private SourceFiles() {}

  /**
   * What a listing found.
   *
   * @param files the input files, sorted by path
   * @param skipped the paths skipped as hidden or notes, sorted
   */
  public record Listing(List<SourceFile> files, List<String> skipped) {}

  /**
   * @param inputs paths or globs as given on the command line
   * @return every data file found, sorted by path (skipped files are logged)
   * @throws IllegalArgumentException naming the first input that matches nothing
   */
  public static List<SourceFile> list(Configuration conf, List<String> inputs) {
    return listing(conf, inputs).files();
  }

  /** Like {@link #list}, with the files skipped as not data. */
  public static Listing listing(Configuration conf, List<String> inputs) {
    List<SourceFile> files = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String input : inputs) {
      Path path = new Path(input);
      try {
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new IllegalArgumentException("input not found: " + input);
        }
        for (FileStatus match : matches) {
          collect(fs, match, files, skipped);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list input " + input + ": " + e.getMessage(), e);
      }
    }
    files.sort(Comparator.comparing(SourceFile::path));
    skipped.sort(Comparator.naturalOrder());
    if (!skipped.isEmpty()) {
      LOG.info("Skipped {} path(s) that are not data (hidden, *.md, *.txt): {}", skipped.size(),
          skipped);
    }
    return new Listing(files, skipped);
  }

  private static void collect(FileSystem fs, FileStatus status, List<SourceFile> out,
      List<String> skipped) throws IOException {
    if (isHidden(status.getPath())) {
      skipped.add(status.getPath().toString() + (status.isDirectory() ? "/" : ""));
      return;
    }
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, out, skipped);
      }
    } else if (isNote(status.getPath().getName())) {
      skipped.add(status.getPath().toString());
    } else {
      out.add(
          new SourceFile(
              status.getPath().toString(), status.getLen(), status.getModificationTime()));
    }
  }

  /** A note beside the data, not an input: {@code *.md} or {@code *.txt}, in any case. */
  static boolean isNote(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (String suffix : NOTE_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHidden(Path path) {
    String name = path.getName();
    return name.startsWith(".") || name.startsWith("_");
  }

  /**
   * The first line of a file, decompressed when its name says it is compressed.
   *
   * @return the line without its terminator, or {@code null} for an empty file
   */
  public static String firstLine(Configuration conf, String file, int maxChars)
      throws IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    try (InputStream raw = fs.open(path);
        InputStream in = codec == null ? raw : codec.createInputStream(raw);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      StringBuilder line = new StringBuilder();
      int ch;
      while ((ch = reader.read()) >= 0 && ch != '\n' && line.length() < maxChars) {
        line.append((char) ch);
      }
      if (line.length() == 0 && ch < 0) {
        return null;
      }
      int end = line.length();
      if (end > 0 && line.charAt(end - 1) == '\r') {
        line.setLength(end - 1);
      }
      return line.toString();
    }
  }

  /** The file name of a path without directories and without compression / format suffixes. */
  public static String baseName(String file) {
    String name = new Path(file).getName();
    for (String suffix : new String[] {".gz", ".bz2", ".zst", ".csv", ".jsonl", ".json", ".txt"}) {
      if (name.toLowerCase(java.util.Locale.ROOT).endsWith(suffix)) {
        name = name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
