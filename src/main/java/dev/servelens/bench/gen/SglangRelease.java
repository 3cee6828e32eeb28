package dev.servelens.bench.gen;

/**
 * The SGLang container a run used. Log formats changed between releases, so the release decides
 * the timestamp style, whether batch lines carry an iteration number and whether the prefix is
 * coloured; a newer release is also a little faster.
 */
enum SglangRelease {
  V0_4("lmsysorg/sglang:v0.4.10.post2", false, false, false, 1.00),
  V0_5_3("lmsysorg/sglang:v0.5.3-cu129", false, true, false, 1.04),
  V0_5_5("lmsysorg/sglang:v0.5.5", true, true, true, 1.07),
  DEV("lmsysorg/sglang:dev-cu13", true, true, false, 1.09);

  final String container;
  final boolean isoTimestamps;
  final boolean iterationNumbers;
  final boolean ansiColour;
  final double speedup;

  SglangRelease(
      String container,
      boolean isoTimestamps,
      boolean iterationNumbers,
      boolean ansiColour,
      double speedup) {
    this.container = container;
    this.isoTimestamps = isoTimestamps;
    this.iterationNumbers = iterationNumbers;
    this.ansiColour = ansiColour;
    this.speedup = speedup;
  }
}
