package dev.servelens.runs;

import java.util.Locale;

/**
 * The files of a run directory that the ingest reads, told apart by their path inside the run
 * directory. Any other file under a run is not an input.
 */
enum RunFileKind {
  DRIVER_LOG("driver.log"),
  TAU2_LOG("logs/tau2_global.log"),
  KV("kv_cache_timeseries.csv"),
  METRICS("outputs/metrics_global.json"),
  TRIAL("outputs/all_domains/"),
  SCHEDULER("scheduler_timestamps");

  /** The path relative to the run directory (a folder prefix for trial files). */
  final String relative;

  RunFileKind(String relative) {
    this.relative = relative;
  }

  /** The file's kind, or null when the file is not a run input. */
  static RunFileKind of(String relativePath) {
    for (RunFileKind kind : values()) {
      if (kind == TRIAL) {
        if (isTrialFile(relativePath)) {
          return kind;
        }
      } else if (kind.relative.equals(relativePath)) {
        return kind;
      }
    }
    return null;
  }

  /** {@code outputs/all_domains/<domain>__<task>__trial<n>.json}. */
  private static boolean isTrialFile(String relativePath) {
    if (!relativePath.startsWith(TRIAL.relative)) {
      return false;
    }
    String name = relativePath.substring(TRIAL.relative.length());
    return name.indexOf('/') < 0 && name.contains("__trial")
        && name.toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** Whether the presence of a file of this kind makes its folder a run directory. */
  boolean marksRun() {
    return this == DRIVER_LOG || this == KV;
  }

  /** The run directory of a file of this kind, from the file's path. */
  String runPath(String path) {
    if (this == TRIAL) {
      String folder = path.substring(0, path.lastIndexOf('/') + 1);
      return folder.substring(0, folder.length() - relative.length() - 1);
    }
    return path.substring(0, path.length() - relative.length() - 1);
  }

  /** The file kind name stored in the catalog. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
