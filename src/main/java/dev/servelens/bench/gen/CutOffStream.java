package dev.servelens.bench.gen;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes on the first {@code limit} bytes written to it and drops the rest: a file cut off as if
 * its writer died, made without the writer knowing.
 */
final class CutOffStream extends FilterOutputStream {

  private long remaining;

  CutOffStream(OutputStream out, long limit) {
    super(out);
    this.remaining = limit;
  }

  @Override
  public void write(int b) throws IOException {
    if (remaining > 0) {
      out.write(b);
      remaining--;
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int kept = (int) Math.min(length, remaining);
    if (kept > 0) {
      out.write(bytes, offset, kept);
      remaining -= kept;
    }
  }
}
