package dev.servelens.kstar;

import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Runs one {@link SchedulerSimulation} per {@code (model, n, k, replicate)} row, with a random
 * stream seeded by {@code (seed, model, n, k, replicate)} so each row's result is reproducible
 * wherever and however often it runs. A row with {@code k = }{@link #ONLINE_POLICY} simulates the
 * online k* policy instead of a fixed k.
 */
final class SimulateScheduler implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Map<String, SimulationInputs>> inputs;
  /** The k of a task that simulates the online k* policy (fixed thresholds are 1..N). */
  static final int ONLINE_POLICY = 0;

  private final int requests;
  private final long seed;
  private final double emaAlpha;
  private final boolean emaOfInverse;
  private final int updateInterval;

  SimulateScheduler(Broadcast<Map<String, SimulationInputs>> inputs, int requests, long seed,
      double emaAlpha, boolean emaOfInverse, int updateInterval) {
    this.inputs = inputs;
    this.requests = requests;
    this.seed = seed;
    this.emaAlpha = emaAlpha;
    this.emaOfInverse = emaOfInverse;
    this.updateInterval = updateInterval;
  }

  @Override
  public Row call(Row task) {
    String model = task.getString(0);
    int n = task.getInt(1);
    int k = task.getInt(2);
    int replicate = task.getInt(3);
    SimulationInputs modelInputs = inputs.value().get(model);
    SplittableRandom random = new SplittableRandom(seedOf(seed, model, n, k, replicate));
    double throughput = k == ONLINE_POLICY
        ? SchedulerSimulation.onlineThroughput(modelInputs.profile(), n, modelInputs.p(),
            emaAlpha, emaOfInverse, updateInterval, requests, modelInputs.outputLengths(),
            modelInputs.inputLengths(), random)
        : SchedulerSimulation.throughput(modelInputs.profile(), n, k, requests,
            modelInputs.outputLengths(), modelInputs.inputLengths(), random);
    return RowFactory.create(model, n, k, replicate, throughput);
  }

  static long seedOf(long seed, String model, int n, int k, int replicate) {
    long h = mix(seed);
    h = mix(h ^ model.hashCode());
    h = mix(h ^ n);
    h = mix(h ^ k);
    return mix(h ^ replicate);
  }

  /** The SplitMix64 finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
