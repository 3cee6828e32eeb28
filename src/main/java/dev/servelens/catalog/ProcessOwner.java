package dev.servelens.catalog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The process that holds a catalog lock or owns a staged batch: host name, process id and the
 * process's start time (so a recycled pid is not mistaken for the owner). On the same host a
 * dead owner is recognised at once; on another host only by its heartbeat going quiet.
 *
 * @param host host name of the owner
 * @param pid process id on that host
 * @param startedAtMillis when that process started (0 if the platform does not say)
 * @param purpose what the owner does, for messages ("ingest workload", "commit of batch X")
 */
public record ProcessOwner(String host, long pid, long startedAtMillis, String purpose) {

  private static final String HOST = hostName();

  /** This process, doing {@code purpose}. */
  public static ProcessOwner current(String purpose) {
    ProcessHandle self = ProcessHandle.current();
    return new ProcessOwner(HOST, self.pid(), startOf(self).orElse(0L), purpose);
  }

  private static Optional<Long> startOf(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }
  }

  boolean onThisHost() {
    return host.equals(HOST);
  }

  /** Whether the owner runs on this host and is no longer alive. */
  public boolean deadOnThisHost() {
    if (!onThisHost()) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return true;
    }
    Optional<Long> started = startOf(process.get());
    return startedAtMillis != 0 && started.isPresent() && started.get() != startedAtMillis;
  }

  public byte[] toBytes() {
    return (host + "\t" + pid + "\t" + startedAtMillis + "\t" + purpose.replace('\n', ' ') + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The owner written by {@link #toBytes()}, or empty if the text is not one (yet). */
  public static Optional<ProcessOwner> parse(byte[] bytes) {
    String[] fields = new String(bytes, StandardCharsets.UTF_8).strip().split("\t", 4);
    if (fields.length < 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ProcessOwner(fields[0], Long.parseLong(fields[1]),
          Long.parseLong(fields[2]), fields[3]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The owner written in the file {@code path}, or empty if it is missing or not one. */
  public static Optional<ProcessOwner> readFrom(FileSystem fs, Path path) throws IOException {
    Optional<byte[]> bytes = OwnedFiles.read(fs, path);
    return bytes.isEmpty() ? Optional.empty() : parse(bytes.get());
  }

  @Override
  public String toString() {
    return purpose + " (pid " + pid + " on " + host + ")";
  }
}
