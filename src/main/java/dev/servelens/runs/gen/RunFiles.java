package dev.servelens.runs.gen;

import dev.servelens.io.FileTree;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Creates the text files of one run directory (~280 of them) as buffered UTF-8 writers. */
final class RunFiles {

  private static final int BUFFER = 1 << 16;

  private final FileTree tree;

  RunFiles(FileSystem fs, Path directory) {
    this.tree = new FileTree(fs, directory);
  }

  /** A new text file (parents created, an older file replaced) at {@code relative}. */
  Writer writer(String relative) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(tree.create(relative), StandardCharsets.UTF_8), BUFFER);
  }

  /** A small file written at once. */
  void write(String relative, String text) throws IOException {
    try (Writer out = writer(relative)) {
      out.write(text);
    }
  }
}
