package dev.servelens.runs.gen;

/**
 * What the orchestrator's vLLM holds at a moment of the simulation: the requests it is serving
 * and the tokens of their contexts. The KV sampler reads it; the simulation updates it.
 */
final class ServerLoad {
  long contextTokens;
  int requests;

  void add(int tokens) {
    contextTokens += tokens;
    requests++;
  }

  void remove(int tokens) {
    contextTokens -= tokens;
    requests--;
  }
}
