package dev.servelens.bench.gen;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded draws for the benchmark generator. Every run and every result file takes its own stream
 * from {@link #streamSeed}, so a file's bytes do not depend on which task wrote it or in what
 * order; {@link StrictMath} keeps the draws equal on every JVM.
 */
final class BenchRandom {

  private static final long INCREMENT = 0x9E3779B97F4A7C15L;

  private final SplittableRandom random;

  BenchRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The seed of stream ({@code seed}, {@code a}, {@code b}), well mixed (SplitMix64 finaliser). */
  static long streamSeed(long seed, long a, long b) {
    long z = seed;
    for (long part : new long[] {a, b}) {
      z += INCREMENT * (part + 1);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
    }
    return z;
  }

  /** Uniform on [0, 1). */
  double unit() {
    return random.nextDouble();
  }

  /** Uniform on [low, high). */
  double between(double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** Uniform on [0, bound). */
  int below(int bound) {
    return random.nextInt(bound);
  }

  /** Uniform on [low, high]. */
  int inclusive(int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  /** True with probability {@code probability}. */
  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  /** One element of {@code choices}, uniformly. */
  <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** Standard normal (Box-Muller; one of the pair is dropped to keep the stream simple). */
  double gaussian() {
    double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - random.nextDouble()));
    return radius * StrictMath.cos(2.0 * Math.PI * random.nextDouble());
  }

  /** {@code value} times a lognormal factor of median 1 and log-scale deviation {@code sigma}. */
  double jitter(double value, double sigma) {
    return value * StrictMath.exp(sigma * gaussian());
  }
}
