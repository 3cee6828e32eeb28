package dev.servelens.runs.gen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Creates the files of one run directory through the Hadoop {@link FileSystem} API, so the output
 * may be local, {@code hdfs://} or {@code s3a://}. On the local file system the files are opened
 * directly: Hadoop's local file system writes a {@code .crc} beside each file and, without its
 * native library, forks {@code chmod} for each of a run's ~280 files.
 */
final class RunFiles {

  private static final int BUFFER = 1 << 16;

  private final FileSystem fs;
  private final Path directory;

  RunFiles(FileSystem fs, Path directory) {
    this.fs = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    this.directory = directory;
  }

  /** A new text file (parents created, an older file replaced) at {@code relative}. */
  Writer writer(String relative) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(open(new Path(directory, relative)), StandardCharsets.UTF_8),
        BUFFER);
  }

  /** A small file written at once. */
  void write(String relative, String text) throws IOException {
    try (Writer out = writer(relative)) {
      out.write(text);
    }
  }

  private OutputStream open(Path file) throws IOException {
    if (fs instanceof RawLocalFileSystem local) {
      java.nio.file.Path target = local.pathToFile(file).toPath();
      Files.createDirectories(target.getParent());
      return Files.newOutputStream(target);
    }
    return fs.create(file, true);
  }
}
