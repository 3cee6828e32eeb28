package dev.servelens.catalog;

import java.util.List;

/**
 * A batch was not published because another batch committed some of the same source files
 * after this one planned: publishing it would count their rows twice. Nothing of the batch is
 * visible; ingesting again reads only the files still missing.
 */
public final class CommitConflictException extends RuntimeException {
  private final List<String> files;

  CommitConflictException(String catalog, String batchId, List<String> files) {
    super("catalog " + catalog + ": batch " + batchId + " not published: " + files.size()
        + " of its file(s) were committed by another ingest while it ran (e.g. " + files.get(0)
        + "). Nothing of this batch is in the catalog; run the ingest again to read the files"
        + " still missing.");
    this.files = List.copyOf(files);
  }

  /** The source files another batch committed first. */
  public List<String> files() {
    return files;
  }
}
