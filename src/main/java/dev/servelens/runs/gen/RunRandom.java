package dev.servelens.runs.gen;

import java.util.SplittableRandom;

/**
 * Seeded draws for one stream of one synthetic run. Every run and every concern inside a run
 * (simulation, log noise, KV noise, dirt) has its own stream, so changing one option never
 * reshuffles the draws of another and the files do not depend on how Spark splits the work.
 */
final class RunRandom {

  private final SplittableRandom random;

  RunRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A stream of the run seeded {@code runSeed}, named by a small constant. */
  static RunRandom stream(long runSeed, int stream) {
    return new RunRandom(new SplittableRandom(runSeed ^ (0x632BE59BD9B4E019L * (stream + 1)))
        .nextLong());
  }

  /** Uniform on [0, 1). */
  double unit() {
    return random.nextDouble();
  }

  /** Uniform on [low, high). */
  double between(double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** Uniform on [low, high] (both inclusive). */
  int intBetween(int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  /** Uniform on [0, bound). */
  int below(int bound) {
    return random.nextInt(bound);
  }

  /** True with probability {@code probability}. */
  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  /** A uniformly chosen element. */
  <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Lognormal: {@code median * exp(sigma * Z)}, Z standard normal (Box-Muller, strict math). */
  double logNormal(double median, double sigma) {
    double radius = Math.sqrt(-2.0 * StrictMath.log(1.0 - random.nextDouble()));
    double normal = radius * StrictMath.cos(2.0 * Math.PI * random.nextDouble());
    return median * StrictMath.exp(sigma * normal);
  }

  /** A random long, for derived seeds and identifiers. */
  long nextLong() {
    return random.nextLong();
  }
}
