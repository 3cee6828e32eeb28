package dev.servelens.catalog;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Small files that say which process owns something (a lock, a staged batch): created only if
 * absent, read back, and judged abandoned when their owner is dead or their heartbeat (the
 * file's modification time) is older than the stale age.
 *
 * <p>Creating only if absent is atomic on a local file system (a hard link, or an exclusive
 * open) and on HDFS (the NameNode refuses a second create). Object stores reached through s3a
 * and the like have no such operation: {@link #atomicCreate(FileSystem)} says so, and the
 * catalog refuses to write there unless told that it is the only writer.
 */
final class OwnedFiles {
  private static final Set<String> ATOMIC_SCHEMES = Set.of("file", "hdfs", "viewfs");

  private OwnedFiles() {}

  static boolean atomicCreate(FileSystem fs) {
    return ATOMIC_SCHEMES.contains(fs.getScheme());
  }

  /** Creates {@code path} holding {@code bytes} unless it exists; true if this call made it. */
  static boolean createIfAbsent(FileSystem fs, Path path, byte[] bytes) throws IOException {
    java.io.File local = localFile(fs, path);
    if (local != null) {
      java.nio.file.Path target = local.toPath();
      Files.createDirectories(target.getParent());
      // Written aside and linked into place: the file appears whole or not at all.
      java.nio.file.Path aside = Files.createTempFile(target.getParent(), ".owner-", ".tmp");
      try {
        Files.write(aside, bytes);
        try {
          Files.createLink(target, aside);
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        } catch (UnsupportedOperationException | IOException e) {
          return createExclusively(target, bytes);
        }
      } finally {
        Files.deleteIfExists(aside);
      }
    }
    fs.mkdirs(path.getParent());
    try (OutputStream out = fs.create(path, false)) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(path)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean createExclusively(java.nio.file.Path target, byte[] bytes)
      throws IOException {
    try {
      Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static java.io.File localFile(FileSystem fs, Path path) {
    if (fs instanceof LocalFileSystem local) {
      return local.pathToFile(path);
    }
    if (fs instanceof RawLocalFileSystem raw) {
      return raw.pathToFile(path);
    }
    return null;
  }

  /** The file's bytes, or empty if it does not exist. */
  static Optional<byte[]> read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return Optional.of(bytes.toByteArray());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Modification time of {@code path}, or empty if it does not exist. */
  static Optional<Long> modifiedAt(FileSystem fs, Path path) throws IOException {
    try {
      FileStatus status = fs.getFileStatus(path);
      return Optional.of(status.getModificationTime());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the owner recorded in {@code bytes} (of a file last touched at {@code touchedAt})
   * has abandoned it: it ran on this host and is dead, or its heartbeat is older than the stale
   * age. A file whose owner cannot be read yet (being written) is judged by its age alone.
   */
  static boolean abandoned(byte[] bytes, long touchedAt, LockSettings settings) {
    Optional<ProcessOwner> owner = ProcessOwner.parse(bytes);
    if (owner.isPresent() && owner.get().deadOnThisHost()) {
      return true;
    }
    if (owner.isPresent() && owner.get().onThisHost()) {
      return false;
    }
    return System.currentTimeMillis() - touchedAt > settings.staleAfterMillis();
  }

  /** Refreshes the heartbeat of {@code path}; false if the file is gone. */
  static boolean touch(FileSystem fs, Path path) {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
