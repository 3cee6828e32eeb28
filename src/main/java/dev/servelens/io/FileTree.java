package dev.servelens.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Creates files under one directory through the Hadoop {@link FileSystem} API, so the directory
 * may be local, {@code hdfs://} or {@code s3a://}. On the local file system the files are opened
 * directly: Hadoop's local file system writes a {@code .crc} beside each file and, without its
 * native library, forks {@code chmod} for each file. Files are overwritten, so a re-attempted task
 * writes the same bytes again.
 */
public final class FileTree {

  private final FileSystem fs;
  private final Path directory;

  /** Files under {@code directory} of {@code fs}. */
  public FileTree(FileSystem fs, Path directory) {
    this.fs = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    this.directory = directory;
  }

  /**
   * An unbuffered stream to a new file at {@code relative} (which may hold folders): parents are
   * created and an older file is replaced.
   */
  public OutputStream create(String relative) throws IOException {
    Path file = new Path(directory, relative);
    if (fs instanceof RawLocalFileSystem local) {
      java.nio.file.Path target = local.pathToFile(file).toPath();
      Files.createDirectories(target.getParent());
      return Files.newOutputStream(target);
    }
    return fs.create(file, true);
  }
}
