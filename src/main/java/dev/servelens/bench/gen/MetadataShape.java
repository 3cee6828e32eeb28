package dev.servelens.bench.gen;

/** The shapes of {@code {jobid}.json} found in real sweeps (FORMATS "B"). */
enum MetadataShape {
  /** {@code run_metadata} and {@code benchmark}. */
  OLD_BENCHMARK,
  /** {@code run_metadata} and only {@code profiler_metadata}: the reference loader drops these. */
  OLD_PROFILER_ONLY,
  /** {@code run_metadata} with both {@code profiler_metadata} and {@code benchmark}. */
  OLD_BOTH,
  /** The flat shape: {@code job_id, generated_at, model, resources, benchmark, tags}. */
  NEW_FLAT
}
