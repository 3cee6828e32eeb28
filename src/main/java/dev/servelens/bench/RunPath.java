package dev.servelens.bench;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where a file sits in a benchmark logs tree and what it is. A run directory is named {@code
 * {jobid}_{topology}_{YYYYMMDD_HHMMSS}}; its files may sit directly in it or in its {@code logs/}
 * subfolder:
 *
 * <ul>
 *   <li>{@code {jobid}.json}: the run's metadata ({@link Kind#METADATA});
 *   <li>{@code {type}_isl_{isl}_osl_{osl}/concurrency_{n}.json}: one result ({@link
 *       Kind#RESULT}); the folder's type, ISL and OSL are kept, and the analysis uses only the
 *       folder named exactly after the run's benchmark settings;
 *   <li>{@code <node>_<role>_config.json}: a node configuration snapshot ({@link Kind#CONFIG});
 *   <li>{@code <node>_{prefill|decode|agg}_w{k}.err|.out}: a worker log ({@link Kind#WORKER_LOG}).
 * </ul>
 *
 * Anything else is {@link Kind#OTHER} and not read.
 *
 * @param runDir the run directory's full path
 * @param jobId the job id from the directory name
 * @param topology e.g. {@code 1P_4D} or {@code 8A}
 * @param runStamp {@code YYYYMMDD_HHMMSS} from the directory name
 * @param node node name (configs and logs), else null
 * @param role prefill, decode or agg (configs and logs), else null
 * @param worker worker index (logs), else null
 * @param resultType the result folder's benchmark type (results), else null
 * @param isl the result folder's input length (results)
 * @param osl the result folder's output length (results)
 * @param concurrency the result file's concurrency (results)
 */
record RunPath(Kind kind, String runDir, String jobId, String topology, String runStamp,
    String node, String role, Integer worker, String resultType, Integer isl, Integer osl,
    Integer concurrency) implements Serializable {

  enum Kind { METADATA, RESULT, CONFIG, WORKER_LOG, OTHER }

  private static final String LOGS = "logs";

  /** Classifies {@code path} (a Hadoop path string); {@code OTHER} outside any run directory. */
  static RunPath of(String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      String[] run = runName(parts[i]);
      if (run == null) {
        continue;
      }
      String runDir = String.join("/", java.util.Arrays.copyOfRange(parts, 0, i + 1));
      int rest = i + 1;
      if (parts.length - rest >= 2 && parts[rest].equals(LOGS)) {
        rest++;
      }
      return classify(runDir, run, java.util.Arrays.copyOfRange(parts, rest, parts.length));
    }
    return other(null, null);
  }

  private static RunPath classify(String runDir, String[] run, String[] relative) {
    String name = relative[relative.length - 1];
    if (relative.length == 2) {
      return result(runDir, run, relative[0], name);
    }
    if (relative.length != 1) {
      return other(runDir, run);
    }
    if (name.equals(run[0] + ".json")) {
      return new RunPath(Kind.METADATA, runDir, run[0], run[1], run[2], null, null, null, null,
          null, null, null);
    }
    if (name.endsWith("_config.json")) {
      String stem = name.substring(0, name.length() - "_config.json".length());
      String role = roleSuffix(stem);
      String node = role == null ? stem : stem.substring(0, stem.length() - role.length() - 1);
      return new RunPath(Kind.CONFIG, runDir, run[0], run[1], run[2], node, role, null, null,
          null, null, null);
    }
    return workerLog(runDir, run, name);
  }

  private static RunPath result(String runDir, String[] run, String folder, String name) {
    int isl = folder.lastIndexOf("_isl_");
    int osl = folder.lastIndexOf("_osl_");
    Integer concurrency = name.startsWith("concurrency_") && name.endsWith(".json")
        ? wholeNumber(name.substring("concurrency_".length(), name.length() - 5)) : null;
    if (isl <= 0 || osl < isl || concurrency == null) {
      return other(runDir, run);
    }
    Integer islValue = wholeNumber(folder.substring(isl + 5, osl));
    Integer oslValue = wholeNumber(folder.substring(osl + 5));
    if (islValue == null || oslValue == null) {
      return other(runDir, run);
    }
    return new RunPath(Kind.RESULT, runDir, run[0], run[1], run[2], null, null, null,
        folder.substring(0, isl), islValue, oslValue, concurrency);
  }

  private static RunPath workerLog(String runDir, String[] run, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".err") && !lower.endsWith(".out")) {
      return other(runDir, run);
    }
    String stem = name.substring(0, name.length() - 4);
    int w = stem.lastIndexOf("_w");
    Integer worker = w < 0 ? null : wholeNumber(stem.substring(w + 2));
    String role = worker == null ? null : roleSuffix(stem.substring(0, w));
    if (role == null) {
      return other(runDir, run);
    }
    String node = stem.substring(0, w - role.length() - 1);
    return new RunPath(Kind.WORKER_LOG, runDir, run[0], run[1], run[2], node, role, worker,
        null, null, null, null);
  }

  /** The role at the end of {@code stem} ({@code ..._prefill}), or null. */
  private static String roleSuffix(String stem) {
    for (String role : new String[] {BenchColumns.ROLE_PREFILL, BenchColumns.ROLE_DECODE,
        BenchColumns.ROLE_AGG}) {
      if (stem.endsWith("_" + role) && stem.length() > role.length() + 1) {
        return role;
      }
    }
    return null;
  }

  /**
   * Splits a run directory name into job id, topology and {@code YYYYMMDD_HHMMSS}, or returns
   * null when the name is not one.
   */
  static String[] runName(String name) {
    int first = name.indexOf('_');
    if (first <= 0 || name.length() < first + 1 + 16) {
      return null;
    }
    String stamp = name.substring(name.length() - 15);
    String topology = name.substring(first + 1, name.length() - 16);
    boolean stampOk = stamp.charAt(8) == '_' && name.charAt(name.length() - 16) == '_';
    for (int i = 0; stampOk && i < stamp.length(); i++) {
      stampOk = i == 8 || Character.isDigit(stamp.charAt(i));
    }
    if (!stampOk || topology.isEmpty()) {
      return null;
    }
    return new String[] {name.substring(0, first), topology, stamp};
  }

  private static RunPath other(String runDir, String[] run) {
    return new RunPath(Kind.OTHER, runDir, run == null ? null : run[0],
        run == null ? null : run[1], run == null ? null : run[2], null, null, null, null, null,
        null, null);
  }

  private static Integer wholeNumber(String text) {
    if (text.isEmpty() || text.length() > 9) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isDigit(text.charAt(i))) {
        return null;
      }
    }
    return Integer.parseInt(text);
  }
}
