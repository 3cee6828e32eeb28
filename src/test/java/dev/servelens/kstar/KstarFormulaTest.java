package dev.servelens.kstar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pure parts of the family: fits, tau, k*, N*, the simulation and the online estimate. */
class KstarFormulaTest {

  @Test
  void fitRecoversAKnownLineFromNoiselessSamples() {
    double[] x = new double[30];
    double[] y = new double[30];
    for (int i = 0; i < x.length; i++) {
      x[i] = 100 * (i + 1);
      y[i] = 0.02 + 5e-5 * x[i];
    }
    LineFit fit = LineFit.of(x, y);
    assertThat(fit.alpha()).isCloseTo(0.02, within(1e-12));
    assertThat(fit.beta()).isCloseTo(5e-5, within(1e-15));
    assertThat(fit.r2()).isCloseTo(1.0, within(1e-9));
    assertThat(fit.clamped()).isFalse();
  }

  @Test
  void fitRecoversAKnownLineFromNoisySamplesWithinFiveStandardErrors() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 30;
    double sigma = 1e-3;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 100 * (i + 1);
      y[i] = 0.02 + 5e-5 * x[i] + sigma * gaussian(random);
    }
    LineFit fit = LineFit.of(x, y);
    // OLS standard errors with known sigma: SE(beta) = sigma / sqrt(Sxx),
    // SE(alpha) = sigma * sqrt(1/n + mean(x)^2 / Sxx). Five of them is a miss once in ~1.7M.
    double mean = 0;
    for (double v : x) {
      mean += v / n;
    }
    double sxx = 0;
    for (double v : x) {
      sxx += (v - mean) * (v - mean);
    }
    assertThat(fit.beta()).isCloseTo(5e-5, within(5 * sigma / Math.sqrt(sxx)));
    assertThat(fit.alpha()).isCloseTo(0.02, within(5 * sigma * Math.sqrt(1.0 / n + mean * mean / sxx)));
    assertThat(fit.r2()).isGreaterThan(0.99).isLessThan(1.0);
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  @Test
  void negativeInterceptIsClampedAndTheSlopeRefitThroughTheOrigin() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] y = new double[10];
    for (int i = 0; i < 10; i++) {
      y[i] = -0.002 + 0.01 * x[i];
    }
    LineFit fit = LineFit.of(x, y);
    // OLS gives alpha = -0.002 < 0; through the origin beta = sum(xy) / sum(xx)
    // = (-0.002 * 55 + 0.01 * 385) / 385 = 3.74 / 385.
    assertThat(fit.clamped()).isTrue();
    assertThat(fit.alpha()).isEqualTo(0.0);
    assertThat(fit.beta()).isCloseTo(3.74 / 385, within(1e-15));
    assertThat(fit.r2()).isLessThan(1.0).isGreaterThan(0.99);
  }

  @Test
  void fitNeedsTwoDistinctX() {
    assertThatThrownBy(() -> LineFit.of(new double[] {4, 4}, new double[] {1, 2}))
        .hasMessageContaining("two distinct x");
  }

  private static final ServiceProfile UNIT_DECODE = new ServiceProfile(0.3, 0, 1, 0);

  @Test
  void tauIsInfiniteForNoRunningRequestsAndBehavesAtTheEdgesOfP() {
    assertThat(KstarFormula.tau(0, 0.5, UNIT_DECODE)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(KstarFormula.tau(-3, 0.5, UNIT_DECODE)).isEqualTo(Double.POSITIVE_INFINITY);
    // p = 1: every request ends after one step, so the next completion is one step away.
    ServiceProfile profile = new ServiceProfile(0, 0, 0.01, 0.001);
    assertThat(KstarFormula.tau(8, 1.0, profile)).isCloseTo(0.018, within(1e-15));
    // p near 1: 1 - (1 - p)^j is 1 - 1e-9^2 at j = 2.
    assertThat(KstarFormula.tau(2, 1 - 1e-9, profile)).isCloseTo(0.012, within(1e-12));
    // p near 0: 1 - (1 - p)^j ~ j * p, so tau ~ step / (j * p); naive pow would lose digits.
    double p = 1e-12;
    assertThat(KstarFormula.tau(4, p, profile) * 4 * p / 0.014).isCloseTo(1.0, within(1e-9));
    assertThatThrownBy(() -> KstarFormula.tau(1, 0.0, profile)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> KstarFormula.tau(1, 1.5, profile)).hasMessageContaining("(0, 1]");
  }

  @Test
  void kstarMatchesAHandComputationForN4() {
    // alpha_d = 1, beta_d = 0, p = 1/2: tau(j) = 1 / (1 - 2^-j)
    //   tau(1) = 2, tau(2) = 4/3, tau(3) = 8/7 = 1.142857, tau(4) = 16/15 = 1.066667.
    // k = 1: 1 * tau(3) = 1.142857 >= tau(4) + a_p = 1.066667 + a_p  iff a_p <= 0.076190
    // k = 2: 2 * tau(2) = 2.666667 >= tau(4) + tau(3) + a_p = 2.209524 + a_p  iff a_p <= 0.457143
    // k = 3: 3 * tau(1) = 6 >= tau(4) + tau(3) + tau(2) + a_p = 3.542857 + a_p  iff a_p <= 2.457143
    // k = 4: 4 * tau(0) = infinity, always.
    assertThat(kstar(0.05)).isEqualTo(1);
    assertThat(kstar(0.3)).isEqualTo(2);
    assertThat(kstar(0.457)).isEqualTo(2);
    assertThat(kstar(0.458)).isEqualTo(3);
    assertThat(kstar(1.0)).isEqualTo(3);
    assertThat(kstar(5.0)).isEqualTo(4);
  }

  private static int kstar(double alphaP) {
    return KstarFormula.kstar(4, 0.5, new ServiceProfile(alphaP, 0, 1, 0));
  }

  @Test
  void kstarIsTheSmallestQualifyingKAndNeverAboveN() {
    ServiceProfile profile = new ServiceProfile(0.015, 6e-5, 0.012, 1e-4);
    for (double p : new double[] {1e-4, 1.0 / 300, 0.05, 0.5, 1.0}) {
      for (int n : new int[] {1, 2, 7, 32, 64}) {
        int kstar = KstarFormula.kstar(n, p, profile);
        assertThat(kstar).isBetween(1, n);
        assertThat(qualifies(n, kstar, p, profile)).isTrue();
        for (int k = 1; k < kstar; k++) {
          assertThat(qualifies(n, k, p, profile)).as("n=%d p=%s k=%d", n, p, k).isFalse();
        }
      }
    }
  }

  /** The condition written out directly, summing tau afresh for each k. */
  private static boolean qualifies(int n, int k, double p, ServiceProfile profile) {
    double sum = 0;
    for (int j = n - k + 1; j <= n; j++) {
      sum += KstarFormula.tau(j, p, profile);
    }
    return k * KstarFormula.tau(n - k, p, profile) >= sum + profile.alphaP();
  }

  @Test
  void simulationWithDeterministicLengthsMatchesTheClosedForm() {
    // Every request has L = 10 output tokens and I = 100 prompt tokens; N = 4, M = 8 requests.
    // The first prefill fills all 4 slots; they decode in lock step and finish together after
    // L steps, so all 4 slots are free (>= k for every k) and the next prefill admits 4 again.
    // Each cycle: prefill 0.5 + 0.001 * 400 = 0.9 s, decode 10 * (0.1 + 0.01 * 4) = 1.4 s,
    // 40 tokens: throughput = N L / (a_p + b_p N I + L (a_d + b_d N)) = 40 / 2.3 tokens/s.
    ServiceProfile profile = new ServiceProfile(0.5, 0.001, 0.1, 0.01);
    for (int k = 1; k <= 4; k++) {
      double throughput = SchedulerSimulation.throughput(profile, 4, k, 8,
          TokenHistogram.constant(10), TokenHistogram.constant(100), new SplittableRandom(1));
      assertThat(throughput).isCloseTo(40 / 2.3, within(1e-9));
    }
  }

  @Test
  void simulationAdmitsOnlyWhenKSlotsAreFree() {
    // N = 2, M = 2, lengths drawn 1 or 3: with k = 2 the second prefill waits for both; here
    // both requests start in the first prefill, so time = a_p + steps; tokens = L1 + L2.
    // One request of length 1 and one of 3: 1 step at batch 2, 2 steps at batch 1.
    ServiceProfile profile = new ServiceProfile(1, 0, 1, 1);
    TokenHistogram lengths = new TokenHistogram(new long[] {1, 3}, new long[] {1, 1});
    SplittableRandom random = new SplittableRandom(3);
    SplittableRandom copy = new SplittableRandom(3);
    long first = lengths.sample(copy);
    long second = lengths.sample(copy);
    double throughput = SchedulerSimulation.throughput(profile, 2, 2, 2, lengths,
        TokenHistogram.constant(0), random);
    long shorter = Math.min(first, second);
    long longer = Math.max(first, second);
    double seconds = 1 + shorter * 3 + (longer - shorter) * 2;
    assertThat(throughput).isCloseTo((first + second) / seconds, within(1e-12));
  }

  @Test
  void emaTrajectoryMatchesAHandComputation() {
    // a = 0.3, lengths 100, 200, 50, 400, k* every 2 completions:
    // m1 = 100; m2 = 0.3*200 + 0.7*100 = 130; m3 = 0.3*50 + 0.7*130 = 106;
    // m4 = 0.3*400 + 0.7*106 = 194.2. Points at 2 (m = 130) and 4 (m = 194.2).
    OnlineKstar ema = new OnlineKstar(0.3, false, 2, 100);
    for (long length : new long[] {100, 200, 50, 400}) {
      ema.complete(length);
    }
    List<OnlineKstar.Point> points = ema.points();
    assertThat(points).hasSize(2);
    assertThat(points.get(0).completions()).isEqualTo(2);
    assertThat(points.get(0).mean()).isCloseTo(130, within(1e-9));
    assertThat(points.get(1).mean()).isCloseTo(194.2, within(1e-9));
    assertThat(ema.p()).isCloseTo(1 / 194.2, within(1e-12));
    // The seed's EMA of 1/L: q1 = 0.01; q2 = 0.3*0.005 + 0.7*0.01 = 0.0085;
    // q3 = 0.3*0.02 + 0.7*0.0085 = 0.01195; q4 = 0.3*0.0025 + 0.7*0.01195 = 0.009115.
    OnlineKstar inverse = new OnlineKstar(0.3, true, 2, 100);
    for (long length : new long[] {100, 200, 50, 400}) {
      inverse.complete(length);
    }
    assertThat(inverse.points().get(0).p()).isCloseTo(0.0085, within(1e-15));
    assertThat(inverse.p()).isCloseTo(0.009115, within(1e-15));
  }

  @Test
  void trajectoryIsThinnedToABoundedNumberOfPoints() {
    OnlineKstar ema = new OnlineKstar(0.3, false, 1, 10);
    for (int i = 0; i < 1000; i++) {
      ema.complete(100);
    }
    assertThat(ema.points().size()).isBetween(10, 20);
    assertThat(ema.points().get(ema.points().size() - 1).completions()).isLessThanOrEqualTo(1000);
  }

  @Test
  void memoryBoundIsTheLargestNWithinTheCantelliBound() {
    // mu = 1000, sigma = 500, eps = 0.2: N*1000 + 500*sqrt(4N) = 1000 N + 1000 sqrt(N) <= B.
    // B = 10000: N = 7 -> 7000 + 2645.8 = 9645.8 fits; N = 8 -> 8000 + 2828.4 = 10828.4 does not.
    assertThat(MemoryBound.nStar(1000, 500, 10_000, 0.2)).isEqualTo(7);
    assertThat(MemoryBound.nStar(1000, 0, 10_000, 0.2)).isEqualTo(10);
    assertThat(MemoryBound.nStar(1000, 500, 500, 0.2)).isZero();
  }
}
