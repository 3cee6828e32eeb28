package dev.servelens.catalog;

/**
 * The steps of a catalog commit, in order, with a hook that tests use to pause or stop a
 * commit at each of them (forcing the interleavings of concurrent writers and readers, and
 * crashes, that timing alone would rarely produce). The hook does nothing in normal runs.
 */
public enum CommitStep {
  /** The batch is written and its commit starts: the lock is not taken yet. */
  PUBLISHING,
  /** Waiting for another process's lock. */
  WAITING,
  /** The lock is held. */
  LOCKED,
  /** Checked that no file of the batch was committed by another batch meanwhile. */
  CHECKED,
  /** The commit marker is written: from here on the batch is rolled forward, never back. */
  MARKED,
  /** One table's files are moved into the catalog. */
  MOVED_TABLE,
  /** The commit is recorded in the commit log; readers see the new version. */
  RECORDED,
  /** The staged batch is gone; the lock is released next. */
  UNSTAGED;

  /** Called at each step with the step and the batch id (or lock purpose). */
  @FunctionalInterface
  public interface Hook {
    void at(CommitStep step, String subject);
  }

  private static volatile Hook hook = (step, subject) -> {};

  /** Installs {@code next} (tests only); returns the hook installed before. */
  public static Hook install(Hook next) {
    Hook previous = hook;
    hook = next;
    return previous;
  }

  void reached(String subject) {
    hook.at(this, subject);
  }
}
