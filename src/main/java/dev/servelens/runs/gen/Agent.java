package dev.servelens.runs.gen;

/** One concurrent agent of the simulation: the task it works on and the call it waits for. */
final class Agent {

  /** What the agent waits for; the event at {@link #due} is its completion. */
  enum Phase { USER, LLM, EXPERT, TOOL, STEP, EVALUATION, CONTEXT_ERROR, EXPERT_ERROR, START }

  /** How a task will end. */
  enum Outcome { OK, CONTEXT_ERROR, EXPERT_ERROR }

  final int index;
  final int thread;

  String domain;
  int taskId;
  String task;
  int step;
  int steps;
  int errorStep;
  Outcome outcome;
  int contextSlope;

  Phase phase;
  long due;
  long stepStart;
  String fromRole;
  String toRole;

  double callMillis;
  double inferMillis;
  int contextTokens;
  boolean toolCalls;
  String function;
  String expertModel;
  double expertMillis;

  Agent(int index, int thread) {
    this.index = index;
    this.thread = thread;
  }

  /** Tokens of the agent's context at its current step. */
  int context() {
    return Math.min(30_000, 1500 + contextSlope * step);
  }
}
