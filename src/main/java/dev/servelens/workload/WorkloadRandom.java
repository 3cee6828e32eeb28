package dev.servelens.workload;

import java.util.SplittableRandom;

/**
 * The random draws of the workload generator, on top of {@link SplittableRandom}, with the
 * transcendental functions taken from {@link StrictMath} so that a seed gives the same trace on
 * every JVM.
 */
final class WorkloadRandom {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final SplittableRandom random;
  private double spareGaussian;
  private boolean hasSpareGaussian;

  WorkloadRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A well-mixed seed for the stream named by ({@code seed}, {@code stream}, {@code index}). */
  static long seedFor(long seed, long stream, long index) {
    long mixed = mix(seed + GOLDEN_GAMMA);
    mixed = mix(mixed ^ (stream * GOLDEN_GAMMA));
    return mix(mixed + index * GOLDEN_GAMMA);
  }

  private static long mix(long value) {
    long z = value;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform on [0, 1). */
  double nextUnit() {
    return random.nextDouble();
  }

  /** Uniform on (0, 1], safe to take the logarithm of. */
  double nextOpenUnit() {
    return 1.0 - random.nextDouble();
  }

  /** Uniform on [0, bound). */
  long nextLong(long bound) {
    return random.nextLong(bound);
  }

  /** Uniform on [0, bound). */
  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** True with probability {@code probability}. */
  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  /** Standard normal, by Marsaglia's polar method. */
  double nextGaussian() {
    if (hasSpareGaussian) {
      hasSpareGaussian = false;
      return spareGaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = 2.0 * random.nextDouble() - 1.0;
      v = 2.0 * random.nextDouble() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double factor = Math.sqrt(-2.0 * StrictMath.log(s) / s);
    spareGaussian = v * factor;
    hasSpareGaussian = true;
    return u * factor;
  }

  /** Lognormal with the given median and log-scale standard deviation. */
  double nextLogNormal(double median, double sigma) {
    return median * StrictMath.exp(sigma * nextGaussian());
  }

  /** Exponential with the given mean. */
  double nextExponential(double mean) {
    return -mean * StrictMath.log(nextOpenUnit());
  }
}
