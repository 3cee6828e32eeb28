package dev.servelens.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock held as a file that says who holds it. Taking it creates the file only if
 * absent (atomic where {@link OwnedFiles#atomicCreate} says so); a live holder keeps its
 * heartbeat fresh; a holder that died is recognised (at once on the same host, after the stale
 * age on another) and its lock broken, under a second "break" lock so that two waiters never
 * both break it. Released by deleting the file, only while it is still this holder's.
 */
public final class CatalogLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogLock.class);
  private static final long POLL_MILLIS = 100;

  private final FileSystem fs;
  private final Path path;
  private final byte[] owner;
  private final Heartbeat heartbeat;

  private CatalogLock(FileSystem fs, Path path, byte[] owner, Heartbeat heartbeat) {
    this.fs = fs;
    this.path = path;
    this.owner = owner;
    this.heartbeat = heartbeat;
  }

  /** Takes the lock {@code path} (a Hadoop path) for {@code purpose}, waiting as settings say. */
  public static CatalogLock acquire(Configuration conf, Path path, String purpose,
      LockSettings settings) {
    try {
      return acquire(path.getFileSystem(conf), path, purpose, settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + path + ": " + e.getMessage(), e);
    }
  }

  static CatalogLock acquire(FileSystem fs, Path path, String purpose, LockSettings settings) {
    // The token tells this holder from another thread of the same process.
    byte[] owner = ProcessOwner.current(
        purpose + " #" + java.util.UUID.randomUUID().toString().substring(0, 8)).toBytes();
    long start = System.currentTimeMillis();
    boolean announced = false;
    try {
      while (true) {
        if (OwnedFiles.createIfAbsent(fs, path, owner)) {
          return new CatalogLock(fs, path, owner, Heartbeat.start(fs, path, settings));
        }
        Optional<byte[]> held = OwnedFiles.read(fs, path);
        Optional<Long> touched = OwnedFiles.modifiedAt(fs, path);
        if (held.isEmpty() || touched.isEmpty()) {
          continue; // released meanwhile
        }
        if (OwnedFiles.abandoned(held.get(), touched.get(), settings)) {
          LOG.warn("Breaking the lock {} of {}, which is gone", path, describe(held.get()));
          breakAbandoned(fs, path, held.get(), settings);
          continue;
        }
        announced = waitOnce(path, purpose, settings, start, held.get(), touched.get(),
            announced);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits, without taking it, until nobody holds the lock {@code path}, as a reader does.
   *
   * @return true if the holder turned out to be gone: the lock is still there, for the caller
   *     to take (which breaks it) and to finish what its holder left
   */
  static boolean awaitRelease(FileSystem fs, Path path, String purpose, LockSettings settings)
      throws IOException {
    long start = System.currentTimeMillis();
    boolean announced = false;
    while (true) {
      Optional<byte[]> held = OwnedFiles.read(fs, path);
      Optional<Long> touched = OwnedFiles.modifiedAt(fs, path);
      if (held.isEmpty() || touched.isEmpty()) {
        return false;
      }
      if (OwnedFiles.abandoned(held.get(), touched.get(), settings)) {
        return true;
      }
      announced = waitOnce(path, purpose, settings, start, held.get(), touched.get(), announced);
    }
  }

  /** One pause of a wait that began at {@code start}; fails once it has lasted too long. */
  private static boolean waitOnce(Path path, String purpose, LockSettings settings, long start,
      byte[] holder, long touched, boolean announced) {
    long waited = System.currentTimeMillis() - start;
    if (waited > settings.waitMillis()) {
      throw new IllegalStateException("lock " + path + " is held by " + describe(holder)
          + " since " + Instant.ofEpochMilli(touched) + " (last heartbeat); waited "
          + waited / 1000 + " s. If that process is gone, delete " + path + " and run again.");
    }
    if (!announced) {
      LOG.info("Waiting for {} to release {}", describe(holder), path);
      CommitStep.WAITING.reached(purpose);
    }
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for lock " + path, e);
    }
    return true;
  }

  private static String describe(byte[] owner) {
    return ProcessOwner.parse(owner).map(ProcessOwner::toString).orElse("a process starting");
  }

  /**
   * Deletes the abandoned lock {@code path} if it still holds {@code seen}: under a break lock,
   * so that a waiter who saw the same abandoned holder cannot delete a lock taken since.
   */
  private static void breakAbandoned(FileSystem fs, Path path, byte[] seen,
      LockSettings settings) throws IOException {
    Path breaking = new Path(path.getParent(), path.getName() + ".break");
    if (!OwnedFiles.createIfAbsent(fs, breaking, ProcessOwner.current("break").toBytes())) {
      Optional<byte[]> breaker = OwnedFiles.read(fs, breaking);
      Optional<Long> touched = OwnedFiles.modifiedAt(fs, breaking);
      if (breaker.isPresent() && touched.isPresent()
          && OwnedFiles.abandoned(breaker.get(), touched.get(), settings)) {
        fs.delete(breaking, false);
      }
      return;
    }
    try {
      Optional<byte[]> now = OwnedFiles.read(fs, path);
      if (now.isPresent() && Arrays.equals(now.get(), seen)) {
        fs.delete(path, false);
      }
    } finally {
      fs.delete(breaking, false);
    }
  }

  /** Whether {@code path} is a lock file held now (by anyone, abandoned or not). */
  static boolean held(FileSystem fs, Path path) throws IOException {
    return fs.exists(path);
  }

  @Override
  public void close() {
    heartbeat.close();
    try {
      Optional<byte[]> now = OwnedFiles.read(fs, path);
      if (now.isPresent() && Arrays.equals(now.get(), owner)) {
        fs.delete(path, false);
      } else {
        LOG.warn("The lock {} was taken from this process while it held it", path);
      }
    } catch (IOException e) {
      LOG.warn("Could not release the lock {}: {}", path, e.getMessage());
    }
  }
}
