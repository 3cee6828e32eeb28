package dev.servelens.bench.gen;

/** The one way a dirty run is damaged; {@link #NONE} for a clean run. */
enum DirtyKind {
  NONE("ok"),
  /** One concurrency result file cut off mid-JSON. */
  CUT_RESULT("ok"),
  /** A result file without {@code mean_tpot_ms}: TPS/User is unknown for that point. */
  RESULT_WITHOUT_TPOT("ok"),
  /** The last line of a decode worker's log cut off without a newline. */
  TRUNCATED_LOG_LINE("ok"),
  /** A block of binary garbage in the middle of a worker log. */
  BINARY_LOG("ok"),
  /** No {@code {jobid}.json}: the run cannot be loaded. */
  MISSING_METADATA("missing_metadata"),
  /** {@code {jobid}.json} cut off: the run cannot be loaded. */
  INVALID_METADATA("invalid_metadata");

  /** What the truth file says about the run's metadata. */
  final String runStatus;

  DirtyKind(String runStatus) {
    this.runStatus = runStatus;
  }
}
