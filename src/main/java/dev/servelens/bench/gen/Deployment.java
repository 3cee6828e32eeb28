package dev.servelens.bench.gen;

import java.util.List;

/**
 * The model deployments a generated sweep benchmarks: model, serving mode, parallelism, what the
 * worker logs look like for it, and the constants of its performance model (at H100 speed).
 * Together they cover every log variant FORMATS lists: DP/TP/EP, TP and PP prefixes, the
 * disaggregated and aggregated batch lines, hybrid (sliding-window and Mamba) usage fields and
 * speculative decoding's accept length.
 */
enum Deployment {
  // Arguments, in order: model path, served name, architecture, disaggregated?, GPU types;
  // GPUs per prefill worker and per decode (or aggregated) worker, fewest workers, most prefill
  // workers, most decode (or aggregated) workers; rank prefix, hybrid pools, speculative?,
  // pipeline stages; weights GB, KV KiB per token, decode step ms at batch 1, extra ms per batched
  // request, prefill tokens/s per GPU (H100); (isl, osl) choices, concurrency 2^min..2^max,
  // attention backend.
  DEEPSEEK_R1_MTP(
      "/models/DeepSeek-R1", "deepseek-ai/DeepSeek-R1", "DeepseekV3ForCausalLM", true,
      List.of(GpuType.GB200, GpuType.B200, GpuType.H200), 4, 8, 1, 2, 4,
      RankPrefix.DP_TP_EP, Hybrid.NONE, true, 1, 690, 35, 24, 0.30, 6500,
      List.of(new int[] {1024, 1024}, new int[] {8192, 1024}), 2, 10, "trtllm_mla"),
  DEEPSEEK_R1_WIDE_EP(
      "/models/DeepSeek-R1", "deepseek-ai/DeepSeek-R1", "DeepseekV3ForCausalLM", true,
      List.of(GpuType.H100, GpuType.H200), 8, 16, 1, 2, 2,
      RankPrefix.DP_TP_EP, Hybrid.NONE, false, 1, 690, 35, 26, 0.32, 6000,
      List.of(new int[] {1024, 1024}, new int[] {8192, 1024}), 4, 10, "fa3"),
  QWEN3_235B(
      "/models/Qwen3-235B-A22B-FP8", "Qwen/Qwen3-235B-A22B-FP8", "Qwen3MoeForCausalLM", true,
      List.of(GpuType.H200, GpuType.B200, GpuType.H100), 4, 8, 1, 2, 4,
      RankPrefix.TP, Hybrid.NONE, false, 1, 240, 96, 16, 0.12, 9000,
      List.of(new int[] {1024, 1024}, new int[] {8192, 1024}, new int[] {1024, 8192}), 0, 8,
      "fa3"),
  LLAMA_405B_PP(
      "/models/Llama-3.1-405B-Instruct-FP8", "meta-llama/Llama-3.1-405B-Instruct-FP8",
      "LlamaForCausalLM", false, List.of(GpuType.H100, GpuType.H200), 16, 16, 2, 1, 2,
      RankPrefix.PP, Hybrid.NONE, false, 2, 410, 252, 38, 0.22, 3500,
      List.of(new int[] {1024, 1024}, new int[] {8192, 1024}), 0, 7, "fa3"),
  GPT_OSS_120B(
      "/models/gpt-oss-120b", "openai/gpt-oss-120b", "GptOssForCausalLM", false,
      List.of(GpuType.H100, GpuType.H200, GpuType.B200), 2, 2, 1, 4, 8,
      RankPrefix.TP, Hybrid.SWA, false, 1, 65, 72, 5, 0.035, 24000,
      List.of(new int[] {1024, 1024}, new int[] {1024, 8192}), 2, 10, "triton"),
  QWEN3_NEXT_80B(
      "/models/Qwen3-Next-80B-A3B-Instruct", "Qwen/Qwen3-Next-80B-A3B-Instruct",
      "Qwen3NextForCausalLM", false, List.of(GpuType.H200, GpuType.B200, GpuType.GB200), 4, 4, 1,
      2, 4, RankPrefix.TP, Hybrid.MAMBA, false, 1, 160, 24, 7, 0.03, 20000,
      List.of(new int[] {1024, 1024}, new int[] {8192, 1024}), 0, 9, "fa3");

  /** How the ranks of a worker name themselves at the start of a log line. */
  enum RankPrefix {
    DP_TP_EP,
    TP,
    PP
  }

  /** Which extra KV-pool usage fields a hybrid model's batch lines carry. */
  enum Hybrid {
    NONE,
    SWA,
    MAMBA
  }

  final String modelPath;
  final String servedName;
  final String architecture;
  final boolean disaggregated;
  final List<GpuType> gpus;
  /** GPUs per prefill worker (disaggregated) at least; doubled until the weights fit. */
  final int prefillGpus;
  /** GPUs per decode worker (disaggregated) or per aggregated worker, at least. */
  final int decodeGpus;
  final int minWorkers;
  final int maxPrefillWorkers;
  final int maxDecodeWorkers;
  final RankPrefix prefix;
  final Hybrid hybrid;
  final boolean speculative;
  final int pipelineStages;
  final int weightsGb;
  final int kvKibPerToken;
  final double decodeBaseMs;
  final double decodePerRequestMs;
  final double prefillTokensPerGpuSecond;
  final List<int[]> sequenceLengths;
  final int minConcurrencyExponent;
  final int maxConcurrencyExponent;
  final String attentionBackend;

  Deployment(
      String modelPath,
      String servedName,
      String architecture,
      boolean disaggregated,
      List<GpuType> gpus,
      int prefillGpus,
      int decodeGpus,
      int minWorkers,
      int maxPrefillWorkers,
      int maxDecodeWorkers,
      RankPrefix prefix,
      Hybrid hybrid,
      boolean speculative,
      int pipelineStages,
      int weightsGb,
      int kvKibPerToken,
      double decodeBaseMs,
      double decodePerRequestMs,
      double prefillTokensPerGpuSecond,
      List<int[]> sequenceLengths,
      int minConcurrencyExponent,
      int maxConcurrencyExponent,
      String attentionBackend) {
    this.modelPath = modelPath;
    this.servedName = servedName;
    this.architecture = architecture;
    this.disaggregated = disaggregated;
    this.gpus = gpus;
    this.prefillGpus = prefillGpus;
    this.decodeGpus = decodeGpus;
    this.minWorkers = minWorkers;
    this.maxPrefillWorkers = maxPrefillWorkers;
    this.maxDecodeWorkers = maxDecodeWorkers;
    this.prefix = prefix;
    this.hybrid = hybrid;
    this.speculative = speculative;
    this.pipelineStages = pipelineStages;
    this.weightsGb = weightsGb;
    this.kvKibPerToken = kvKibPerToken;
    this.decodeBaseMs = decodeBaseMs;
    this.decodePerRequestMs = decodePerRequestMs;
    this.prefillTokensPerGpuSecond = prefillTokensPerGpuSecond;
    this.sequenceLengths = sequenceLengths;
    this.minConcurrencyExponent = minConcurrencyExponent;
    this.maxConcurrencyExponent = maxConcurrencyExponent;
    this.attentionBackend = attentionBackend;
  }

  /** Whether each GPU of a worker is its own attention data-parallel rank. */
  boolean dataParallelAttention() {
    return prefix == RankPrefix.DP_TP_EP;
  }

  /** GPUs per worker on {@code gpu}: {@code base} doubled until weights leave 8 GB per GPU. */
  int gpusPerWorker(int base, GpuType gpu) {
    int gpus = base;
    while (gpus * (gpu.memoryGb * 0.85 - 8) < weightsGb) {
      gpus *= 2;
    }
    return gpus;
  }
}
