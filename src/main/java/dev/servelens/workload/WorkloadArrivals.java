package dev.servelens.workload;

/**
 * A fixed number of request start times within one slice, drawn in ascending order without holding
 * them: the uniform order statistics of the slice's integrated rate, generated one after the other,
 * mapped back to time through the minute bins of {@link WorkloadRateModel}.
 *
 * <p>Given the count, this is exactly a non-homogeneous Poisson process over the slice.
 */
final class WorkloadArrivals {

  private final WorkloadRateModel rateModel;
  private final long sliceEndMs;
  private final double totalMass;
  private long remaining;

  /** Position of the last arrival as a fraction of the slice's integrated rate. */
  private double position;

  private long binStartMs;
  private long binEndMs;
  private double binMass;
  private double massBeforeBin;

  WorkloadArrivals(WorkloadRateModel rateModel, long sliceStartMs, long sliceEndMs, long count) {
    this.rateModel = rateModel;
    this.sliceEndMs = sliceEndMs;
    this.totalMass = rateModel.integrate(sliceStartMs, sliceEndMs);
    this.remaining = count;
    this.binStartMs = sliceStartMs;
    this.binEndMs = WorkloadRateModel.binEnd(sliceStartMs, sliceEndMs);
    this.binMass = rateModel.binMass(binStartMs, binEndMs);
  }

  /** Arrivals not yet drawn. */
  long remaining() {
    return remaining;
  }

  /** The next arrival in epoch milliseconds; never earlier than the previous one. */
  long next(WorkloadRandom random) {
    if (remaining <= 0) {
      throw new IllegalStateException("no arrivals left in this slice");
    }
    // The minimum of `remaining` uniforms on (position, 1), by inversion.
    double step = -StrictMath.expm1(StrictMath.log(random.nextOpenUnit()) / remaining);
    position += (1.0 - position) * step;
    remaining--;
    double target = position * totalMass;
    while (massBeforeBin + binMass < target && binEndMs < sliceEndMs) {
      massBeforeBin += binMass;
      binStartMs = binEndMs;
      binEndMs = WorkloadRateModel.binEnd(binStartMs, sliceEndMs);
      binMass = rateModel.binMass(binStartMs, binEndMs);
    }
    double within = binMass > 0.0 ? (target - massBeforeBin) / binMass : 0.0;
    within = Math.max(0.0, Math.min(within, 1.0));
    long time = binStartMs + (long) (within * (binEndMs - binStartMs));
    return Math.min(time, sliceEndMs - 1);
  }
}
