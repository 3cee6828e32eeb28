package dev.servelens.sweep.gen;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Creates the files of one run directory through the Hadoop {@link FileSystem} API, streaming:
 * nothing is built as a whole-file string. On the local file system the raw file system is used,
 * so no {@code .crc} side files appear in the generated tree. Files are overwritten, so a
 * re-attempted task writes the same bytes again.
 */
final class RunFiles {

  private static final int BUFFER_BYTES = 1 << 16;
  private static final JsonFactory JSON = new JsonFactory();

  private final FileSystem fs;
  private final Path runDirectory;

  RunFiles(FileSystem fs, Path runDirectory) {
    this.fs = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    this.runDirectory = runDirectory;
  }

  /** A buffered stream to {@code relative} (which may hold folders) under the run directory. */
  OutputStream open(String relative) throws IOException {
    return new BufferedOutputStream(
        fs.create(new Path(runDirectory, relative), true), BUFFER_BYTES);
  }

  /** A stream to {@code relative} that keeps only its first {@code limit} bytes. */
  OutputStream openCutOff(String relative, long limit) throws IOException {
    return new CutOffStream(open(relative), limit);
  }

  /** A JSON generator over {@code stream}, laid out by {@code printer}; closing it closes both. */
  static JsonGenerator json(OutputStream stream, PythonStylePrinter printer) throws IOException {
    JsonGenerator generator = JSON.createGenerator(stream, JsonEncoding.UTF8);
    generator.setPrettyPrinter(printer);
    return generator;
  }
}
