package dev.servelens.workload;

import java.util.List;

/**
 * The built-in models of the synthetic trace, most popular first, each with its own request shape:
 * lognormal prompt and completion lengths, a time to first token that grows with the prompt, and a
 * per-token decode time. Reasoning models write long completions; small models are fast; code
 * models get long prompts.
 */
final class WorkloadModels {

  static final int MAX_INPUT_TOKENS = 131_072;
  static final int MAX_OUTPUT_TOKENS = 32_768;

  /**
   * One model's request shape.
   *
   * @param name the model id as written to {@code model_id}
   * @param inputMedian median prompt length in tokens
   * @param inputSigma log-scale standard deviation of the prompt length
   * @param outputMedian median completion length in tokens
   * @param outputSigma log-scale standard deviation of the completion length
   * @param ttftBaseSeconds time to first token of an empty prompt
   * @param prefillTokensPerSecond prompt tokens processed per second before the first token
   * @param secondsPerOutputToken mean decode time per completion token
   */
  record Profile(
      String name,
      double inputMedian,
      double inputSigma,
      double outputMedian,
      double outputSigma,
      double ttftBaseSeconds,
      double prefillTokensPerSecond,
      double secondsPerOutputToken) {}

  static final List<Profile> ALL =
      List.of(
          new Profile("deepseek-ai/DeepSeek-R1", 1200, 1.1, 1400, 0.8, 0.35, 6_000, 0.030),
          new Profile("meta-llama/Llama-3.3-70B-Instruct", 900, 1.0, 280, 0.9, 0.18, 9_000, 0.022),
          new Profile("Qwen/Qwen2.5-72B-Instruct", 1000, 1.0, 320, 0.9, 0.20, 8_500, 0.024),
          new Profile("deepseek-ai/DeepSeek-V3", 1500, 1.1, 450, 0.9, 0.30, 7_000, 0.028),
          new Profile("meta-llama/Llama-3.1-8B-Instruct", 600, 1.0, 220, 0.9, 0.05, 30_000, 0.008),
          new Profile("Qwen/Qwen2.5-Coder-32B-Instruct", 2500, 0.9, 380, 0.8, 0.12, 14_000, 0.014),
          new Profile(
              "mistralai/Mistral-7B-Instruct-v0.3", 500, 0.9, 200, 0.8, 0.04, 32_000, 0.007),
          new Profile("google/gemma-2-27b-it", 700, 0.9, 260, 0.8, 0.10, 15_000, 0.015),
          new Profile("Qwen/QwQ-32B", 800, 1.0, 1800, 0.7, 0.12, 14_000, 0.016),
          new Profile(
              "meta-llama/Llama-3.1-405B-Instruct", 1100, 1.0, 300, 0.9, 0.45, 3_500, 0.045),
          new Profile(
              "mistralai/Mixtral-8x22B-Instruct-v0.1", 800, 1.0, 300, 0.9, 0.20, 9_000, 0.020),
          new Profile("microsoft/phi-4", 450, 0.9, 240, 0.8, 0.05, 25_000, 0.010),
          new Profile(
              "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", 700, 1.0, 1500, 0.7, 0.18, 9_000, 0.022),
          new Profile("google/gemma-2-9b-it", 400, 0.9, 200, 0.8, 0.05, 28_000, 0.009),
          new Profile(
              "mistralai/Mistral-Small-24B-Instruct-2501", 650, 0.9, 250, 0.8, 0.08, 18_000, 0.012),
          new Profile("Qwen/Qwen2.5-7B-Instruct", 550, 1.0, 210, 0.9, 0.04, 30_000, 0.008),
          new Profile("meta-llama/Llama-3.2-3B-Instruct", 350, 0.9, 160, 0.8, 0.03, 45_000, 0.005),
          new Profile(
              "NousResearch/Hermes-3-Llama-3.1-70B", 850, 1.0, 330, 0.9, 0.18, 9_000, 0.022));

  private WorkloadModels() {}
}
