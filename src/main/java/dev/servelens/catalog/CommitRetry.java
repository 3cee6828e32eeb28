package dev.servelens.catalog;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an ingest again, from its plan, when its commit lost a race: another ingest committed
 * some of the same files while it ran. The next attempt sees those files in the manifest and
 * reads only the others (often none, so it ends with "nothing new").
 */
public final class CommitRetry {
  private static final Logger LOG = LoggerFactory.getLogger(CommitRetry.class);
  static final int ATTEMPTS = 3;

  private CommitRetry() {}

  public static <T> T run(String what, Supplier<T> ingest) {
    for (int attempt = 1; ; attempt++) {
      try {
        return ingest.get();
      } catch (CommitConflictException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        LOG.warn("{}: another ingest committed {} of the same file(s) meanwhile ({}); planning"
            + " again", what, e.files().size(), e.files().get(0));
      }
    }
  }
}
