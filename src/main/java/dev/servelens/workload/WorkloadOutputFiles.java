package dev.servelens.workload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;

/**
 * Turns Spark's text output (part files, {@code _SUCCESS}, checksum files in a staging folder) into
 * the trace's final layout: only {@code workload-00000.csv}, {@code workload-00001.csv}, ... in the
 * output directory, in slice order. Works through the Hadoop {@link FileSystem} API so the output
 * may live on any Hadoop path.
 */
final class WorkloadOutputFiles {

  static final String STAGING_FOLDER = "_generating";
  private static final String PART_PREFIX = "part-";

  private WorkloadOutputFiles() {}

  /** The name of the {@code index}-th output file. */
  static String fileName(int index) {
    return String.format(Locale.ROOT, "workload-%05d.csv", index);
  }

  /** Fails unless {@code out} is missing or an empty directory, so nothing is ever overwritten. */
  static void requireEmptyOrMissing(FileSystem fs, Path out) throws IOException {
    if (!fs.exists(out)) {
      return;
    }
    if (!fs.getFileStatus(out).isDirectory()) {
      throw new IllegalArgumentException(
          "option out must name a directory, but " + out + " is a file");
    }
    if (fs.listStatus(out).length > 0) {
      throw new IllegalArgumentException(
          "option out must be a missing or empty directory, but "
              + out
              + " is not empty: choose another directory or remove it");
    }
  }

  /**
   * Moves the part files from {@code staging} to {@code out} under their final names, removes
   * everything else, and returns the final files.
   *
   * @param dropFinalNewline remove the newline Spark wrote after the last file's last line
   */
  static List<Path> publish(
      FileSystem fs, Path staging, Path out, int expectedFiles, boolean dropFinalNewline)
      throws IOException {
    FileStatus[] parts = fs.listStatus(staging, path -> path.getName().startsWith(PART_PREFIX));
    if (parts.length != expectedFiles) {
      throw new IllegalStateException(
          "expected " + expectedFiles + " part files in " + staging + " but found " + parts.length);
    }
    Arrays.sort(parts, Comparator.comparingLong(status -> partNumber(status.getPath())));
    // On the local file system, move without the checksum files; they are deleted with staging.
    FileSystem mover =
        fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    List<Path> files = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; i++) {
      Path target = new Path(out, fileName(i));
      if (!mover.rename(parts[i].getPath(), target)) {
        throw new IOException("could not move " + parts[i].getPath() + " to " + target);
      }
      files.add(target);
    }
    if (dropFinalNewline && !files.isEmpty()) {
      dropLastByte(fs, files.get(files.size() - 1));
    }
    if (!fs.delete(staging, true)) {
      throw new IOException("could not delete the staging folder " + staging);
    }
    for (FileStatus leftover : fs.listStatus(out)) {
      if (!leftover.isFile() || !files.contains(leftover.getPath())) {
        fs.delete(leftover.getPath(), true);
      }
    }
    return files;
  }

  private static long partNumber(Path part) {
    String name = part.getName();
    int end = name.indexOf('-', PART_PREFIX.length());
    return Long.parseLong(name.substring(PART_PREFIX.length(), end < 0 ? name.length() : end));
  }

  /** Removes the trailing newline of {@code file}: in place where possible, else by a copy. */
  private static void dropLastByte(FileSystem fs, Path file) throws IOException {
    long length = fs.getFileStatus(file).getLen();
    try (FSDataInputStream in = fs.open(file)) {
      in.seek(length - 1);
      if (in.read() != '\n') {
        throw new IllegalStateException(file + " does not end with a newline");
      }
    }
    if (fs instanceof ChecksumFileSystem checksummed) {
      if (!checksummed.getRawFileSystem().truncate(file, length - 1)) {
        throw new IOException("could not truncate " + file);
      }
      return;
    }
    Path copy = new Path(file.getParent(), "_" + file.getName() + ".cut");
    try (FSDataInputStream in = fs.open(file);
        FSDataOutputStream outStream = fs.create(copy, false)) {
      IOUtils.copyBytes(in, outStream, length - 1, false);
    }
    if (!fs.delete(file, false) || !fs.rename(copy, file)) {
      throw new IOException("could not replace " + file + " by its cut copy " + copy);
    }
  }
}
