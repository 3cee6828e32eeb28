package dev.servelens.bench.gen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the lines of one log file, holding back the latest line so that the file can end with
 * it cut off mid-line (a worker killed while writing), and accepting raw bytes (garbage from a
 * crashed writer). Closing closes the stream.
 */
final class LogSink implements AutoCloseable {

  private final OutputStream stream;
  private String pending;
  private boolean cutLastLine;

  LogSink(OutputStream stream) {
    this.stream = stream;
  }

  void line(CharSequence line) throws IOException {
    flushPending();
    pending = line.toString();
  }

  void bytes(byte[] raw) throws IOException {
    flushPending();
    stream.write(raw);
  }

  /** Ends the file with the first half of its last line and no newline. */
  void cutLastLine() {
    cutLastLine = true;
  }

  private void flushPending() throws IOException {
    if (pending != null) {
      stream.write(pending.getBytes(StandardCharsets.UTF_8));
      stream.write('\n');
      pending = null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (cutLastLine && pending != null) {
        stream.write(pending.substring(0, pending.length() / 2).getBytes(StandardCharsets.UTF_8));
        pending = null;
      }
      flushPending();
    } finally {
      stream.close();
    }
  }
}
