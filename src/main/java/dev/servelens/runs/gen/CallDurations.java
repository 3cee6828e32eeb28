package dev.servelens.runs.gen;

/**
 * The latency model of one run. The orchestrator's calls get slower with the number of busy
 * agents and are sized so that a fully busy run reaches the system's nominal steps/s (times a
 * small per-run factor); a system-dependent share of them stalls for minutes (lognormal, so a few
 * pass 20 minutes). User-simulator and expert calls are remote and do not depend on the system.
 */
final class CallDurations {

  /** Share of the orchestrator's turns that call a tool (the rest answer the user). */
  static final double TOOL_TURN = 0.62;
  /** Share of tool calls that consult an expert model. */
  static final double EXPERT_TOOL = 0.12;

  private static final double USER_MEDIAN_MS = 6500;
  private static final double USER_SIGMA = 0.5;
  private static final double TOOL_MEDIAN_MS = 25;
  private static final double TOOL_SIGMA = 1.0;
  private static final double EXPERT_MEDIAN_MS = 9000;
  private static final double EXPERT_SIGMA = 0.7;
  private static final double LLM_SIGMA = 0.45;
  private static final double STALL_SIGMA = 0.9;
  private static final double IDLE_LLM_MS = 2500;
  /** Mean gap between a call's end and its step record. */
  static final double STEP_OVERHEAD_MS = 25;

  private final RunRandom random;
  private final int concurrency;
  private final double fullLoadLlmMillis;
  private final double stallProbability;
  private final double stallMedianMillis;

  CallDurations(RunRandom random, RunSpec run) {
    this.random = random;
    this.concurrency = run.concurrency();
    SystemProfile system = run.system();
    double stepsPerSecond = system.stepsPerSecond(concurrency) * random.logNormal(1.0, 0.04);
    double meanStepMillis = 1000.0 * concurrency / stepsPerSecond;
    // A turn is two steps: the orchestrator's call, then a tool (or expert) or the user's answer.
    double otherMillis = TOOL_TURN * (mean(TOOL_MEDIAN_MS, TOOL_SIGMA)
        + EXPERT_TOOL * mean(EXPERT_MEDIAN_MS, EXPERT_SIGMA))
        + (1 - TOOL_TURN) * mean(USER_MEDIAN_MS, USER_SIGMA);
    this.fullLoadLlmMillis =
        Math.max(IDLE_LLM_MS, 2 * meanStepMillis - otherMillis - 2 * STEP_OVERHEAD_MS);
    this.stallProbability = system.stallProbability(concurrency);
    this.stallMedianMillis = system.stallMedianMillis;
  }

  private static double mean(double median, double sigma) {
    return median * Math.exp(sigma * sigma / 2);
  }

  /**
   * An orchestrator call while {@code busyAgents} agents work: {@code [wall, in vLLM]} in ms.
   * A stall behind ThunderReact's router is spent outside vLLM.
   */
  double[] llmCall(int busyAgents, boolean waitsOutsideServer) {
    double now = IDLE_LLM_MS + (fullLoadLlmMillis - IDLE_LLM_MS) * busyAgents / concurrency;
    double stallShare = stallProbability * mean(stallMedianMillis, STALL_SIGMA);
    double median = Math.max(300,
        (now - stallShare) / ((1 - stallProbability) * Math.exp(LLM_SIGMA * LLM_SIGMA / 2)));
    double served = random.logNormal(median, LLM_SIGMA);
    if (!random.chance(stallProbability)) {
      return new double[] {served, served * random.between(0.9, 0.99)};
    }
    double stalled = Math.max(served, random.logNormal(stallMedianMillis, STALL_SIGMA));
    return new double[] {stalled, waitsOutsideServer ? served : stalled * 0.98};
  }

  double userTurn() {
    double turn = random.logNormal(USER_MEDIAN_MS, USER_SIGMA);
    return random.chance(0.01) ? turn * 6 : turn;
  }

  double tool() {
    return random.logNormal(TOOL_MEDIAN_MS, TOOL_SIGMA);
  }

  double expert() {
    return random.logNormal(EXPERT_MEDIAN_MS, EXPERT_SIGMA);
  }

  /** The gap between a call's end and the step record that follows it. */
  long stepOverhead() {
    return random.intBetween(5, (int) (2 * STEP_OVERHEAD_MS) - 5);
  }
}
