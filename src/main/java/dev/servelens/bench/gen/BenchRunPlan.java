package dev.servelens.bench.gen;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Everything decided about one run directory before it is written: who ran what, where, how,
 * and which of its files are missing or damaged. Built on the driver by {@link BenchPlanner} and
 * shipped to the task that writes the directory, which draws the rest from {@link #seed}.
 */
final class BenchRunPlan implements Serializable {

  private static final long serialVersionUID = 1L;

  static final DateTimeFormatter RUN_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT);

  int index;
  long seed;
  int jobId;
  LocalDateTime started;
  Deployment deployment;
  GpuType gpu;
  SglangRelease release;
  /** Prefill then decode for a disaggregated run; the aggregated workers otherwise. */
  List<WorkerGroup> groups;
  int isl;
  int osl;
  int[] concurrencies;
  /** How many of {@link #concurrencies}, from the first, have a result file. */
  int presentCount;
  boolean profiling;
  MetadataShape shape;
  /** Results and worker logs sit in a {@code logs/} subfolder of the run directory. */
  boolean nestedLogs;
  /** A leftover {@code osl_<osl>0} result folder sits beside the real one. */
  boolean decoyNeighbour;
  DirtyKind dirty = DirtyKind.NONE;
  List<String> tags;
  /** Speed of this run relative to its deployment's model (release, noise). */
  double speed;
  double memoryFraction;
  int firstNodeNumber;
  boolean goodputSlo;
  /** Input lengths drawn from [ratio x isl, isl] instead of exactly isl. */
  double inputRangeRatio;
  boolean nvlsEnabled;
  boolean jitDeepGemm;

  /** {@code {jobid}_{topology}_{YYYYMMDD_HHMMSS}}. */
  String directoryName() {
    return jobId + "_" + topology() + "_" + started.format(RUN_DATE);
  }

  /** {@code 1P_4D} for a disaggregated run, {@code 8A} for an aggregated one (workers). */
  String topology() {
    if (deployment.disaggregated) {
      return groups.get(0).workers() + "P_" + groups.get(1).workers() + "D";
    }
    return groups.get(0).workers() + "A";
  }

  /** The group of {@code role}, or null. */
  WorkerGroup group(String role) {
    for (WorkerGroup group : groups) {
      if (group.role().equals(role)) {
        return group;
      }
    }
    return null;
  }

  /** Nodes of the group of {@code role}, 0 without one. */
  int nodes(String role) {
    WorkerGroup group = group(role);
    return group == null ? 0 : group.nodes();
  }

  /** Workers of the group of {@code role}, 0 without one. */
  int workers(String role) {
    WorkerGroup group = group(role);
    return group == null ? 0 : group.workers();
  }

  /** GPUs the analysis charges the run for: whole nodes times GPUs per node. */
  int totalGpus() {
    int nodes = 0;
    for (WorkerGroup group : groups) {
      nodes += group.nodes();
    }
    return nodes * gpu.gpusPerNode;
  }

  /** The host name of run-wide node {@code node}. */
  String hostName(int node) {
    return gpu.hostPrefix + String.format(Locale.ROOT, "%02d", firstNodeNumber + node);
  }

  /** The benchmark type written in the metadata. */
  String benchmarkType() {
    return profiling ? "torch-profiler" : "sa-bench";
  }

  /** The {@code x}-separated list of concurrencies written in the metadata. */
  String concurrencyList() {
    return join(concurrencies.length);
  }

  /** The {@code x}-separated list of concurrencies that have a result file. */
  String presentConcurrencyList() {
    return join(presentCount);
  }

  private String join(int count) {
    StringJoiner joined = new StringJoiner("x");
    Arrays.stream(concurrencies, 0, count).forEach(c -> joined.add(Integer.toString(c)));
    return joined.toString();
  }

  /** The result folder name, {@code sa-bench_isl_{isl}_osl_{osl}}, for output length {@code o}. */
  String resultFolder(int outputLength) {
    return benchmarkType() + "_isl_" + isl + "_osl_" + outputLength;
  }

  /** Where results and worker logs go, relative to the run directory ("" or "logs/"). */
  String logsPrefix() {
    return nestedLogs ? "logs/" : "";
  }
}
