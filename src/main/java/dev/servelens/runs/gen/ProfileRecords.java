package dev.servelens.runs.gen;

/**
 * The bodies of the benchmark's profiling records, everything after {@code [PROFILE] <time> }:
 * {@code task=retail_12 thread=1403 type=step_complete step=3 total_duration_ms=1834.20
 * from_role=agent to_role=env}. Floats carry two decimals, as the benchmark prints them.
 */
final class ProfileRecords {

  static final String ORCHESTRATOR = "Nemotron-Orchestrator-8B";
  static final String USER_MODEL = "gpt-5";

  private ProfileRecords() {}

  private static StringBuilder head(String task, int thread, String type, int step) {
    return new StringBuilder(192).append("task=").append(task).append(" thread=").append(thread)
        .append(" type=").append(type).append(" step=").append(step);
  }

  private static StringBuilder millis(StringBuilder body, String field, double value) {
    return LogTime.fixed(body.append(' ').append(field).append('='), value, 2);
  }

  /** A step_complete body: the step's wall time and its role edge. */
  static StringBuilder stepComplete(String task, int thread, int step, double totalMillis,
      String from, String to) {
    return millis(head(task, thread, "step_complete", step), "total_duration_ms", totalMillis)
        .append(" from_role=").append(from).append(" to_role=").append(to);
  }

  /** An orchestrator call: wall time, time inside vLLM and its prefill/decode split. */
  static StringBuilder llmCall(String task, int thread, int step, double durationMillis,
      double inferMillis, double prefillMillis, int inputTokens, int outputTokens,
      boolean toolCalls) {
    StringBuilder body = head(task, thread, "llm_call", step)
        .append(" model=").append(ORCHESTRATOR).append(" call_type=orchestrator");
    millis(body, "duration_ms", durationMillis);
    millis(body, "vllm_infer_ms", inferMillis);
    millis(body, "prefill_ms", prefillMillis);
    millis(body, "decode_ms", inferMillis - prefillMillis);
    return body.append(" input_tokens=").append(inputTokens)
        .append(" output_tokens=").append(outputTokens)
        .append(" has_tool_calls=").append(toolCalls ? "True" : "False");
  }

  /** A call to one of the remote expert models. */
  static StringBuilder expertCall(String task, int thread, int step, String model,
      double durationMillis, double prefillMillis, int inputTokens, int outputTokens) {
    StringBuilder body = head(task, thread, "expert_call", step)
        .append(" model=").append(model).append(" call_type=expert");
    millis(body, "duration_ms", durationMillis);
    millis(body, "prefill_ms", prefillMillis);
    millis(body, "decode_ms", durationMillis * 0.97 - prefillMillis);
    return body.append(" input_tokens=").append(inputTokens)
        .append(" output_tokens=").append(outputTokens);
  }

  /** A tool executed by the environment. */
  static StringBuilder toolCall(String task, int thread, int step, String function,
      double durationMillis, boolean error) {
    StringBuilder body = head(task, thread, "tool_call", step)
        .append(" function=").append(function).append(" call_type=env");
    return millis(body, "duration_ms", durationMillis)
        .append(" error=").append(error ? "True" : "False");
  }

  /** A turn of the user simulator (a USER_JUDGE record). */
  static StringBuilder userSim(String task, int thread, int step, double durationMillis) {
    StringBuilder body = head(task, thread, "user_sim", step)
        .append(" model=").append(USER_MODEL).append(" call_type=user_simulator");
    return millis(body, "duration_ms", durationMillis);
  }
}
