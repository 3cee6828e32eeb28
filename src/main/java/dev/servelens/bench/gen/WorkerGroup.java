package dev.servelens.bench.gen;

import java.io.Serializable;

/**
 * The workers of one role in a run ({@code prefill}, {@code decode} or {@code agg}) and the nodes
 * they occupy: a worker larger than a node spans several nodes, smaller workers share one.
 *
 * @param role the role as it appears in log file names
 * @param workers number of workers
 * @param gpusPerWorker GPUs of one worker (tensor x pipeline parallel size)
 * @param gpusPerNode GPUs of one node
 * @param firstNode index, within the run, of the group's first node
 * @param dataParallelRanks whether every GPU is an attention data-parallel rank of its own
 */
record WorkerGroup(
    String role,
    int workers,
    int gpusPerWorker,
    int gpusPerNode,
    int firstNode,
    boolean dataParallelRanks)
    implements Serializable {

  /** Nodes the group occupies. */
  int nodes() {
    return (workers * gpusPerWorker + gpusPerNode - 1) / gpusPerNode;
  }

  /** Ranks that log batch lines: every GPU with data-parallel attention, else one per worker. */
  int batchRanks() {
    return workers * batchRanksPerWorker();
  }

  /** Ranks of one worker that log batch lines. */
  int batchRanksPerWorker() {
    return dataParallelRanks ? gpusPerWorker : 1;
  }

  /** Run-wide index of the node holding GPU {@code gpu} (0-based) of worker {@code worker}. */
  int nodeOf(int worker, int gpu) {
    return firstNode + (worker * gpusPerWorker + gpu) / gpusPerNode;
  }

  /** GPUs in the group. */
  int gpus() {
    return workers * gpusPerWorker;
  }
}
