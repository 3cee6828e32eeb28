package dev.servelens.io;

/**
 * What one ingest did, for the log and the command line.
 *
 * @param filesFound input files found
 * @param filesIngested new files read by this ingest
 * @param filesSkipped files already in the manifest, unchanged
 * @param filesChanged files in the manifest whose size or time changed since (not re-read)
 * @param rowsRead data rows read (header lines excluded)
 * @param rowsKept rows written to the family's table
 * @param rowsRejected rows written to the family's rejects table
 * @param blankLines blank lines read: no rows, so neither kept nor rejected
 */
public record IngestSummary(
    int filesFound,
    int filesIngested,
    int filesSkipped,
    int filesChanged,
    long rowsRead,
    long rowsKept,
    long rowsRejected,
    long blankLines) {

  /** A summary without blank lines. */
  public IngestSummary(int filesFound, int filesIngested, int filesSkipped, int filesChanged,
      long rowsRead, long rowsKept, long rowsRejected) {
    this(filesFound, filesIngested, filesSkipped, filesChanged, rowsRead, rowsKept, rowsRejected,
        0);
  }

  /** This summary with the blank lines of {@code counts}. */
  public IngestSummary withBlankLines(ParseCounts counts) {
    return new IngestSummary(filesFound, filesIngested, filesSkipped, filesChanged, rowsRead,
        rowsKept, rowsRejected, counts.totalBlank());
  }

  @Override
  public String toString() {
    return String.format(
        "%d file(s) found, %d ingested, %d already in the catalog, %d changed since ingested;"
            + " rows read %d = kept %d + rejected %d%s",
        filesFound, filesIngested, filesSkipped, filesChanged, rowsRead, rowsKept, rowsRejected,
        blankLines == 0 ? "" : "; " + blankLines + " blank line(s) skipped (not rows)");
  }
}
