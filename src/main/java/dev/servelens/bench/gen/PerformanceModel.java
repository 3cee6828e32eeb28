package dev.servelens.bench.gen;

/**
 * A closed-loop queueing model of one run, so that the generated numbers behave like real
 * sweeps: TPOT grows with the requests batched on a rank, each rank's batch is capped by its KV
 * cache, prefill capacity caps the request rate, and whatever exceeds a cap waits, which shows up
 * as TTFT. Per-GPU throughput therefore rises and saturates with concurrency while per-user
 * throughput falls: a real Pareto curve.
 *
 * <p>With {@code c} clients each holding one request, the request rate is {@code c / (TTFT +
 * (osl - 1) x TPOT)} (Little's law), bounded by decode capacity ({@code ranks x max batch /
 * decode time}) and prefill capacity ({@code prefill tokens/s / isl}).
 */
final class PerformanceModel {

  private static final double DISAGGREGATED_TRANSFER_MS = 35;
  private static final double ACTIVATION_GB = 4;

  private final BenchRunPlan plan;
  private final WorkerGroup decode;
  private final WorkerGroup prefill;

  PerformanceModel(BenchRunPlan plan) {
    this.plan = plan;
    this.decode = plan.deployment.disaggregated ? plan.group("decode") : plan.group("agg");
    this.prefill = plan.deployment.disaggregated ? plan.group("prefill") : decode;
  }

  /** The operating point with {@code clients} concurrent requests and output length {@code osl}. */
  OperatingPoint at(int clients, int osl) {
    Deployment model = plan.deployment;
    double speed = plan.gpu.speed * plan.speed;
    int ranks = decode.batchRanks();
    long kvTokens = kvTokensPerRank(decode);
    double maxBatch = Math.max(1, Math.min(1024, 0.9 * kvTokens / (plan.isl + osl)));
    double contextFactor = 0.5 + 0.5 * (plan.isl + osl / 2.0) / 1536.0;
    double prefillRate = model.prefillTokensPerGpuSecond * speed * prefill.gpus();
    double perWorkerPrefill = model.prefillTokensPerGpuSecond * speed * prefill.gpusPerWorker();
    double ttftFloorMs = 1000.0 * plan.isl / perWorkerPrefill
        + (model.disaggregated ? DISAGGREGATED_TRANSFER_MS : 8);
    double prefillCap = prefillRate / plan.isl;

    double batch = Math.min((double) clients / ranks, maxBatch);
    double tpot = 0;
    double rate = 0;
    double acceptLength = 1;
    for (int iteration = 0; iteration < 4; iteration++) {
      acceptLength = model.speculative ? 1 + 1.8 * Math.exp(-batch / 96.0) : 1;
      tpot = (model.decodeBaseMs / Math.pow(speed, 0.7)
          + model.decodePerRequestMs * batch * contextFactor / speed) / acceptLength;
      if (!model.disaggregated) {
        // Aggregated workers also run the prefills: decode steps stall for that share of time.
        double prefillShare = Math.min(0.8, rate * plan.isl / prefillRate);
        tpot /= 1 - prefillShare;
      }
      double closedLoop = clients / ((ttftFloorMs + (osl - 1) * tpot) / 1000.0);
      double decodeCap = ranks * maxBatch / ((osl - 1) * tpot / 1000.0);
      rate = Math.min(closedLoop, Math.min(decodeCap, prefillCap));
      batch = Math.min(maxBatch, rate * (osl - 1) * tpot / 1000.0 / ranks);
    }
    double ttft = Math.max(ttftFloorMs, 1000.0 * clients / rate - (osl - 1) * tpot);
    double decodeQueue = Math.max(0, (double) clients / ranks - batch
        - rate * ttftFloorMs / 1000.0 / ranks);
    double prefillQueue = Math.max(0, rate * (ttft - ttftFloorMs) / 1000.0 / prefill.batchRanks());
    if (model.disaggregated) {
      decodeQueue = Math.min(decodeQueue, clients / (double) ranks);
    }
    return new OperatingPoint(
        tpot, ttft, rate, batch, decodeQueue, prefillQueue, kvTokens, acceptLength);
  }

  /** KV cache tokens of one batch rank: free memory of the rank's GPUs over bytes per token. */
  long kvTokensPerRank(WorkerGroup group) {
    int gpusPerRank = group.dataParallelRanks() ? 1 : group.gpusPerWorker();
    return (long) (kvCacheGbPerGpu(group) * gpusPerRank * 1024 * 1024
        / plan.deployment.kvKibPerToken);
  }

  /** Memory per GPU given to the KV cache: the static fraction less weights and activations. */
  double kvCacheGbPerGpu(WorkerGroup group) {
    return plan.gpu.memoryGb * plan.memoryFraction - weightsGbPerGpu(group) - ACTIVATION_GB;
  }

  /** Weights per GPU of a worker of {@code group}, in GB. */
  double weightsGbPerGpu(WorkerGroup group) {
    return plan.deployment.weightsGb / (double) group.gpusPerWorker();
  }

  /** The decode (or aggregated) group: the ranks that generate tokens. */
  WorkerGroup decodeGroup() {
    return decode;
  }

  /** The prefill (or aggregated) group: the ranks that process prompts. */
  WorkerGroup prefillGroup() {
    return prefill;
  }
}
