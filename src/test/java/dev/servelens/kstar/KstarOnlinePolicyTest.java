package dev.servelens.kstar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The simulated online k* policy (k* recomputed every update interval from the EMA of the
 * output lengths over the simulated completion stream) against numbers worked out without the
 * event simulation: the closed form when every request finishes with its batch, and a plain
 * token-by-token simulation of the policy written here from its definition.
 */
class KstarOnlinePolicyTest {

  @Test
  void constantLengthsGiveTheClosedForm() {
    // L = 10 output and I = 100 prompt tokens every time: the EMA stays at 10, and whatever k
    // the policy picks, N requests start together and finish together, so each cycle costs
    // a_p + b_p N I + L (a_d + b_d N) for N L tokens. N = 4, profile (.5, .001, .1, .01):
    // 40 / (.5 + .4 + 10 * .14) = 40 / 2.3; N = 6: 60 / (.5 + .6 + 10 * .16) = 60 / 2.7.
    ServiceProfile profile = new ServiceProfile(0.5, 0.001, 0.1, 0.01);
    double[][] cases = {{4, 40 / 2.3}, {6, 60 / 2.7}};
    for (double[] c : cases) {
      int n = (int) c[0];
      for (boolean ofInverse : new boolean[] {false, true}) {
        double throughput = SchedulerSimulation.onlineThroughput(profile, n, 0.1, 0.3, ofInverse,
            3, 12 * n, TokenHistogram.constant(10), TokenHistogram.constant(100),
            new SplittableRandom(5));
        assertThat(throughput).isCloseTo(c[1], within(1e-9));
      }
    }
  }

  @Test
  void matchesATokenByTokenSimulationOfThePolicy() {
    // Lengths 2 or 40 (p between 1/40 and 1/2 as the EMA moves), a costly prefill: k* moves.
    ServiceProfile profile = new ServiceProfile(0.2, 0.0001, 0.01, 0.002);
    TokenHistogram outputs = new TokenHistogram(new long[] {2, 40}, new long[] {1, 1});
    TokenHistogram inputs = new TokenHistogram(new long[] {50, 300}, new long[] {3, 1});
    Set<Integer> seen = new TreeSet<>();
    for (long seed = 1; seed <= 5; seed++) {
      for (int interval : new int[] {1, 4, 16}) {
        double expected = reference(profile, 12, 1.0 / 21, 0.3, interval, 300, outputs, inputs,
            new SplittableRandom(seed), seen);
        double actual = SchedulerSimulation.onlineThroughput(profile, 12, 1.0 / 21, 0.3, false,
            interval, 300, outputs, inputs, new SplittableRandom(seed));
        assertThat(actual).isCloseTo(expected, within(expected * 1e-9));
      }
    }
    // The policy really changed its threshold along the way.
    assertThat(seen.size()).isGreaterThan(1);
  }

  @Test
  void withoutAnUpdateItKeepsTheOfflineKstar() {
    // An interval longer than the run: k stays at k* of the offline p, so the run is the fixed-k
    // run at that k with the same random stream.
    ServiceProfile profile = new ServiceProfile(0.2, 0.0001, 0.01, 0.002);
    TokenHistogram outputs = new TokenHistogram(new long[] {2, 40}, new long[] {1, 1});
    int kstar = KstarAnalyzeJobTest.bruteForceKstar(12, 1.0 / 21, profile);
    double online = SchedulerSimulation.onlineThroughput(profile, 12, 1.0 / 21, 0.3, false, 1000,
        300, outputs, TokenHistogram.constant(80), new SplittableRandom(9));
    double fixed = SchedulerSimulation.throughput(profile, 12, kstar, 300, outputs,
        TokenHistogram.constant(80), new SplittableRandom(9));
    assertThat(online).isEqualTo(fixed);
  }

  /**
   * The policy one decode step at a time: before each step, if requests wait and at least k
   * slots are free (or none run), one prefill admits min(free, waiting) requests (drawing each
   * one's input then output length); each step costs a_d + b_d * running; requests that reach
   * their length leave in admission order, each feeding m <- a L + (1 - a) m (m = L at the
   * first), and after every interval-th completion k = k*(N, 1 / m).
   */
  private static double reference(ServiceProfile profile, int n, double initialP, double alpha,
      int interval, int requests, TokenHistogram outputs, TokenHistogram inputs,
      SplittableRandom random, Set<Integer> seen) {
    int k = KstarAnalyzeJobTest.bruteForceKstar(n, initialP, profile);
    seen.add(k);
    List<long[]> running = new ArrayList<>(); // {remaining tokens, length}, admission order
    int waiting = requests;
    double seconds = 0;
    double tokens = 0;
    double m = 0;
    long completions = 0;
    while (true) {
      int free = n - running.size();
      if (waiting > 0 && (free >= k || running.isEmpty())) {
        int admitted = Math.min(free, waiting);
        long prompt = 0;
        for (int i = 0; i < admitted; i++) {
          prompt += inputs.sample(random);
          long length = Math.max(1, outputs.sample(random));
          running.add(new long[] {length, length});
          tokens += length;
        }
        waiting -= admitted;
        seconds += profile.alphaP() + profile.betaP() * prompt;
      }
      if (running.isEmpty()) {
        return tokens / seconds;
      }
      seconds += profile.alphaD() + profile.betaD() * running.size();
      List<long[]> still = new ArrayList<>();
      for (long[] request : running) {
        request[0]--;
        if (request[0] > 0) {
          still.add(request);
          continue;
        }
        m = completions == 0 ? request[1] : alpha * request[1] + (1 - alpha) * m;
        completions++;
        if (completions % interval == 0) {
          k = KstarAnalyzeJobTest.bruteForceKstar(n, 1.0 / m, profile);
          seen.add(k);
        }
      }
      running = still;
    }
  }
}
