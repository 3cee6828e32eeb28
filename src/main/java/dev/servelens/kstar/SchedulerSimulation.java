package dev.servelens.kstar;

import java.util.Comparator;
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
 * <p>The threshold k is either fixed ({@link #throughput}) or the online policy's ({@link
 * #onlineThroughput}): k* recomputed from the online estimate of p over the simulated completion
 * stream every {@code interval} completions. Requests finishing at the same step complete in
 * the order they were admitted. Both draw the same lengths in the same order for a given random
 * stream (per admitted request: its input, then its output length).
 *
 * <p>Throughput is output tokens per second: all requests' output tokens over the time the last
 * one completes.
 */
final class SchedulerSimulation {
  private SchedulerSimulation() {}

  /** The switching threshold in force, told of every completion. */
  interface Threshold {
    int k();

    void completed(long outputLength);
  }

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
    Threshold fixed = new Threshold() {
      @Override
      public int k() {
        return k;
      }

      @Override
      public void completed(long outputLength) {}
    };
    return run(profile, n, fixed, requests, outputLengths, inputLengths, random);
  }

  /**
   * The online k* policy: k starts at k* for {@code initialP} (the offline p) and is set to k*
   * at the online estimate's p after every {@code interval}-th completion, the estimate an EMA
   * over the completion stream exactly as {@link OnlineKstar} computes it.
   */
  static double onlineThroughput(
      ServiceProfile profile,
      int n,
      double initialP,
      double emaAlpha,
      boolean emaOfInverse,
      long interval,
      int requests,
      TokenHistogram outputLengths,
      TokenHistogram inputLengths,
      SplittableRandom random) {
    if (n < 1 || requests < 1) {
      throw new IllegalArgumentException(
          "need N >= 1 and requests >= 1; got N=" + n + ", requests=" + requests);
    }
    OnlineKstar estimate = new OnlineKstar(emaAlpha, emaOfInverse, interval, 1);
    Threshold online = new Threshold() {
      private int k = KstarFormula.kstar(n, initialP, profile);

      @Override
      public int k() {
        return k;
      }

      @Override
      public void completed(long outputLength) {
        estimate.complete(outputLength);
        if (estimate.completions() % interval == 0) {
          k = KstarFormula.kstar(n, estimate.p(), profile);
        }
      }
    };
    return run(profile, n, online, requests, outputLengths, inputLengths, random);
  }

  /** Running requests as {finish step, output length, admission number}. */
  private static double run(
      ServiceProfile profile,
      int n,
      Threshold threshold,
      int requests,
      TokenHistogram outputLengths,
      TokenHistogram inputLengths,
      SplittableRandom random) {
    PriorityQueue<long[]> running = new PriorityQueue<>(
        Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[2]));
    long step = 0;
    double seconds = 0;
    double tokens = 0;
    int waiting = requests;
    long admittedSoFar = 0;
    while (true) {
      int free = n - running.size();
      if (waiting > 0 && (free >= threshold.k() || running.isEmpty())) {
        int admitted = Math.min(free, waiting);
        long promptTokens = 0;
        for (int i = 0; i < admitted; i++) {
          promptTokens += inputLengths.sample(random);
          long length = Math.max(1, outputLengths.sample(random));
          tokens += length;
          running.add(new long[] {step + length, length, admittedSoFar++});
        }
        waiting -= admitted;
        seconds += profile.prefillSeconds(promptTokens);
      }
      if (running.isEmpty()) {
        return tokens / seconds;
      }
      long next = running.peek()[0];
      seconds += (next - step) * profile.decodeStepSeconds(running.size());
      step = next;
      while (!running.isEmpty() && running.peek()[0] == step) {
        threshold.completed(running.poll()[1]);
      }
    }
  }
}
