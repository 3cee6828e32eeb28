package dev.servelens.runs;

import dev.servelens.io.SourceFile;
import java.sql.Timestamp;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One run directory as listed: its id, labels and input files by kind.
 *
 * @param runPath the directory, fully qualified
 * @param runId the directory's name, or parent/name when two runs share a name
 * @param label system and concurrency
 * @param files the run's input files by kind (every kind present, possibly empty)
 */
record RunDirectory(String runPath, String runId, RunLabels.Label label,
    Map<RunFileKind, List<SourceFile>> files) {

  RunDirectory {
    files = new EnumMap<>(files);
  }

  boolean has(RunFileKind kind) {
    return !files.get(kind).isEmpty();
  }

  /** The row of {@link RunsColumns#RUNS_TABLE}. */
  Row toRow(long ingestedAtMillis, String batchId) {
    return RowFactory.create(runId, runPath, label.system(), label.concurrency(), label.source(),
        has(RunFileKind.DRIVER_LOG), has(RunFileKind.TAU2_LOG), has(RunFileKind.KV),
        has(RunFileKind.METRICS), has(RunFileKind.SCHEDULER), files.get(RunFileKind.TRIAL).size(),
        new Timestamp(ingestedAtMillis), batchId);
  }
}
