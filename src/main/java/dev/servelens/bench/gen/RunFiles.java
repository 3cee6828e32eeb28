package dev.servelens.bench.gen;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.servelens.io.FileTree;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Creates the files of one run directory as buffered streams: nothing is built as a whole-file
 * string.
 */
final class RunFiles {

  private static final int BUFFER_BYTES = 1 << 16;
  private static final JsonFactory JSON = new JsonFactory();

  private final FileTree tree;

  RunFiles(FileSystem fs, Path runDirectory) {
    this.tree = new FileTree(fs, runDirectory);
  }

  /** A buffered stream to {@code relative} (which may hold folders) under the run directory. */
  OutputStream open(String relative) throws IOException {
    return new BufferedOutputStream(tree.create(relative), BUFFER_BYTES);
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
