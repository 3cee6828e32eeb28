package dev.servelens.workload;

import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/**
 * Turns a partition holding its own index (from {@code spark.range(0, n, 1, n)}) into the lines of
 * that partition's output file, streamed by a {@link WorkloadLineIterator}.
 */
final class SliceToWorkloadLines implements MapPartitionsFunction<Long, String> {

  private static final long serialVersionUID = 1L;

  private final WorkloadPlan plan;

  SliceToWorkloadLines(WorkloadPlan plan) {
    this.plan = plan;
  }

  @Override
  public Iterator<String> call(Iterator<Long> partitionIndexes) {
    if (!partitionIndexes.hasNext()) {
      return Collections.emptyIterator();
    }
    long partition = partitionIndexes.next();
    if (partitionIndexes.hasNext()) {
      throw new IllegalStateException("expected one slice index per partition, got several");
    }
    return new WorkloadLineIterator(plan, Math.toIntExact(partition));
  }
}
