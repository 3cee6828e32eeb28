package dev.servelens.runs;

import dev.servelens.io.SourceFile;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the run directories among listed files: every folder, at any depth, holding a {@code
 * driver.log} or a {@code kv_cache_timeseries.csv}; and assigns each run's input files to it.
 * Only file names are used (the listing), never file contents.
 */
final class RunDirectories {
  private RunDirectories() {}

  /**
   * @param files every file under the inputs
   * @param labels system and concurrency by directory name
   * @param knownIds run ids already in the catalog, by run path (kept for those runs)
   * @return the runs found, sorted by path
   */
  static List<RunDirectory> find(List<SourceFile> files, RunLabels labels,
      Map<String, String> knownIds) {
    TreeSet<String> runPaths = new TreeSet<>();
    for (SourceFile file : files) {
      for (RunFileKind kind : RunFileKind.values()) {
        if (kind.marksRun() && file.path().endsWith("/" + kind.relative)) {
          runPaths.add(kind.runPath(file.path()));
        }
      }
    }
    Map<String, Map<RunFileKind, List<SourceFile>>> byRun = new TreeMap<>();
    for (String runPath : runPaths) {
      Map<RunFileKind, List<SourceFile>> kinds = new EnumMap<>(RunFileKind.class);
      for (RunFileKind kind : RunFileKind.values()) {
        kinds.put(kind, new ArrayList<>());
      }
      byRun.put(runPath, kinds);
    }
    for (SourceFile file : files) {
      String runPath = runPaths.floor(file.path());
      while (runPath != null && !file.path().startsWith(runPath + "/")) {
        runPath = runPaths.lower(runPath);
      }
      if (runPath != null) {
        RunFileKind kind = RunFileKind.of(file.path().substring(runPath.length() + 1));
        if (kind != null) {
          byRun.get(runPath).get(kind).add(file);
        }
      }
    }
    Map<String, String> ids = ids(runPaths, knownIds);
    List<RunDirectory> runs = new ArrayList<>();
    for (Map.Entry<String, Map<RunFileKind, List<SourceFile>>> run : byRun.entrySet()) {
      runs.add(new RunDirectory(run.getKey(), ids.get(run.getKey()),
          labels.of(name(run.getKey())), run.getValue()));
    }
    return runs;
  }

  /** Run ids: the directory name, or parent/name where a name is used by another run. */
  private static Map<String, String> ids(TreeSet<String> runPaths, Map<String, String> known) {
    Map<String, Integer> uses = new HashMap<>();
    for (String path : runPaths) {
      uses.merge(name(path), 1, Integer::sum);
    }
    Map<String, String> pathByKnownId = new HashMap<>();
    known.forEach((path, id) -> pathByKnownId.put(id, path));
    Map<String, String> ids = new HashMap<>();
    for (String path : runPaths) {
      String id = known.get(path);
      if (id == null) {
        id = name(path);
        String owner = pathByKnownId.get(id);
        if (uses.get(id) > 1 || (owner != null && !owner.equals(path))) {
          id = name(parent(path)) + "/" + id;
        }
      }
      ids.put(path, id);
    }
    return ids;
  }

  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "" : path.substring(0, slash);
  }
}
