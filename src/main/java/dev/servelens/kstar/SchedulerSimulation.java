package dev.servelens.kstar;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Discrete-event simulation of the prefill/decode competition scheduler on one replica.
 *
 * <p>{@code requests} requests wait at time 0. The engine has {@code n} slots. Whenever at least
 * {@code k} slots are free (or nothing runs) and requests wait, one prefill admits as many waiting
 * requests as there are free slots, costing {@code alpha_p + beta_p * (their input tokens)};
 * otherwise one decode step advances every running request by one token, costing {@code alpha_d +
 * beta_d * running}. A request with output length {@code L} (drawn from the model's histogram,
 * at least 1) leaves after its L-th decode step, freeing its slot. The batch only changes at
 * completions and prefills, so the simulation jumps from event to event (a priority queue of
 * finishing steps) instead of stepping token by token: O(requests * log n).
 *
 * <p>Throughput is output tokens per second: all requests' output tokens over the time the last
 * one completes.
 */
final class SchedulerSimulation {
  private SchedulerSimulation() {}

  static double throughput(
      ServiceProfile profile,
      int n,
      int k,
      int requests,
      TokenHistogram outputLengths,
      TokenHistogram inputLengths,
      SplittableRandom random) {
    if (k < 1 || k > n || requests < 1) {
      throw new IllegalArgumentException(
          "need 1 <= k <= N and requests >= 1; got k=" + k + ", N=" + n + ", requests=" + requests);
    }
    PriorityQueue<Long> finishSteps = new PriorityQueue<>();
    long step = 0;
    double seconds = 0;
    double tokens = 0;
    int waiting = requests;
    while (true) {
      int free = n - finishSteps.size();
      if (waiting > 0 && (free >= k || finishSteps.isEmpty())) {
        int admitted = Math.min(free, waiting);
        long promptTokens = 0;
        for (int i = 0; i < admitted; i++) {
          promptTokens += inputLengths.sample(random);
          long length = Math.max(1, outputLengths.sample(random));
          tokens += length;
          finishSteps.add(step + length);
        }
        waiting -= admitted;
        seconds += profile.prefillSeconds(promptTokens);
      }
      if (finishSteps.isEmpty()) {
        return tokens / seconds;
      }
      long next = finishSteps.peek();
      seconds += (next - step) * profile.decodeStepSeconds(finishSteps.size());
      step = next;
      while (!finishSteps.isEmpty() && finishSteps.peek() == step) {
        finishSteps.poll();
      }
    }
  }
}
