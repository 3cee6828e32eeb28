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
 * wherever and however often it runs.
 */
final class SimulateScheduler implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Map<String, SimulationInputs>> inputs;
  private final int requests;
  private final long seed;

  SimulateScheduler(Broadcast<Map<String, SimulationInputs>> inputs, int requests, long seed) {
    this.inputs = inputs;
    this.requests = requests;
    this.seed = seed;
  }

  @Override
  public Row call(Row task) {
    String model = task.getString(0);
    int n = task.getInt(1);
    int k = task.getInt(2);
    int replicate = task.getInt(3);
    SimulationInputs modelInputs = inputs.value().get(model);
    double throughput =
        SchedulerSimulation.throughput(
            modelInputs.profile(), n, k, requests, modelInputs.outputLengths(),
            modelInputs.inputLengths(), new SplittableRandom(seedOf(seed, model, n, k, replicate)));
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
