package dev.servelens.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Makes a catalog look as a {@code kill -9} would leave it: every staged batch's owner and the
 * commit lock (held, or left behind) name a process of this host that has exited.
 */
public final class DeadOwners {
  private DeadOwners() {}

  /** The pid of a process that has exited. */
  public static long exitedPid() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  /** Rewrites the owners in {@code catalog} (a local folder) as the dead process {@code pid}. */
  public static void killOwners(Path catalog, long pid, boolean lockHeld) throws IOException {
    byte[] dead = new ProcessOwner(ProcessOwner.current("x").host(), pid, 1, "killed ingest")
        .toBytes();
    Path staging = catalog.resolve(Catalog.STAGING);
    if (Files.isDirectory(staging)) {
      try (Stream<Path> batches = Files.list(staging)) {
        for (Path batch : batches.toList()) {
          Files.write(batch.resolve(StagedBatch.OWNER), dead);
        }
      }
    }
    if (lockHeld) {
      Files.write(catalog.resolve(Catalog.LOCK), dead);
    }
  }
}
