package dev.servelens.stats;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * The output of a one-pass scan over a task's rows: {@link #fill} reads input until it has
 * queued some rows in {@link #ready}, and queues none once the input is done.
 */
abstract class QueuedRows implements Iterator<Row> {
  protected final ArrayDeque<Row> ready = new ArrayDeque<>();

  /** Queues the next rows, or none when there are no more. */
  protected abstract void fill();

  @Override
  public boolean hasNext() {
    if (ready.isEmpty()) {
      fill();
    }
    return !ready.isEmpty();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }
}
