package dev.servelens.catalog;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps an owned file's modification time fresh while its owner works, so that processes on
 * other hosts can tell a live owner from an abandoned one. One daemon thread serves them all.
 */
final class Heartbeat implements AutoCloseable {
  private static final ScheduledExecutorService BEATS =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "servelens-catalog-heartbeat");
        thread.setDaemon(true);
        return thread;
      });

  private final ScheduledFuture<?> beat;

  private Heartbeat(ScheduledFuture<?> beat) {
    this.beat = beat;
  }

  static Heartbeat start(FileSystem fs, Path path, LockSettings settings) {
    long every = settings.heartbeatMillis();
    return new Heartbeat(BEATS.scheduleWithFixedDelay(() -> OwnedFiles.touch(fs, path), every,
        every, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    beat.cancel(false);
  }
}
