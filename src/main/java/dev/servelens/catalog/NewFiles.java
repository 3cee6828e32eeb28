package dev.servelens.catalog;

import dev.servelens.io.IngestSummary;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.SourceFile;
import dev.servelens.io.StrictModeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files an incremental ingest still has to read: those the manifest does not hold. A file
 * the manifest holds with the same size and modification time is skipped; one whose size or
 * time changed is reported and not re-read (its rows are in the catalog already), or fails the
 * ingest under {@code --strict}.
 *
 * @param fresh files to read
 * @param skipped files already ingested, unchanged
 * @param changed files ingested before whose size or time changed since
 */
public record NewFiles(List<SourceFile> fresh, int skipped, int changed) {
  private static final Logger LOG = LoggerFactory.getLogger(NewFiles.class);

  /** Sorts {@code found} against the manifest rows of {@code family}. */
  public static NewFiles select(Catalog catalog, String family, List<SourceFile> found,
      boolean strict) {
    Map<String, ManifestEntry> known = catalog.manifest(family);
    List<SourceFile> fresh = new ArrayList<>();
    int skipped = 0;
    int changed = 0;
    for (SourceFile file : found) {
      ManifestEntry entry = known.get(file.path());
      if (entry == null) {
        fresh.add(file);
      } else if (entry.sizeBytes() == file.sizeBytes()
          && entry.modifiedAtMillis() == file.modifiedAtMillis()) {
        skipped++;
      } else {
        changed++;
        String message = file.path() + " changed since it was ingested (size "
            + entry.sizeBytes() + " -> " + file.sizeBytes() + "); not re-read: its rows are"
            + " already in the catalog. Ingest it into a new catalog or under a new name.";
        if (strict) {
          throw new StrictModeException(message);
        }
        LOG.warn(message);
      }
    }
    if (fresh.isEmpty()) {
      LOG.info("Nothing new to ingest: {} file(s) already in the catalog", skipped);
    }
    return new NewFiles(fresh, skipped, changed);
  }

  /** What an ingest did that found {@code found} files and nothing new among them. */
  public IngestSummary nothingNew(int found) {
    return new IngestSummary(found, 0, skipped, changed, 0, 0, 0);
  }

  /** What an ingest did that found {@code found} files and read the fresh ones into counts. */
  public IngestSummary summary(int found, ParseCounts counts) {
    return new IngestSummary(found, fresh.size(), skipped, changed,
        counts.totalKept() + counts.totalRejected(), counts.totalKept(), counts.totalRejected());
  }
}
