package dev.servelens.bench.gen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code .err} log of one worker on one node: the launch command (with
 * {@code --tp-size --dp-size --ep-size}), start-up noise, the memory lines of every GPU rank on
 * the node ({@code avail mem=}, {@code mem usage=}, {@code KV size:}, {@code #tokens:}), warm-up
 * batches, then during each benchmark segment the prefill and/or decode batch lines of the
 * node's logging ranks, merged in time order, with unrelated lines in between.
 */
final class WorkerLogFile {

  /** Batch lines per rank and kind per segment, at most (real logs have thousands). */
  static final int MAX_LINES_PER_SEGMENT = 16;

  private final BenchRunPlan plan;
  private final PerformanceModel model;
  private final SglangLineFormat format;
  private final BenchRandom random;
  private final BatchLineDraws draws;

  /** One timed line, for merging the ranks' lines in time order. */
  private record TimedLine(long millis, String text) {}

  WorkerLogFile(BenchRunPlan plan, PerformanceModel model, BenchRandom random) {
    this.plan = plan;
    this.model = model;
    this.format = new SglangLineFormat(plan);
    this.random = random;
    this.draws = new BatchLineDraws(plan, model, random);
  }

  /**
   * Writes the log of worker {@code worker} of {@code group} on run-wide node {@code node}.
   *
   * @param launchMillis when the worker was started
   * @param segments the benchmarks, in time order
   */
  void write(LogSink log, WorkerGroup group, int worker, int node, long launchMillis,
      List<Segment> segments, boolean binaryGarbage) throws IOException {
    List<Integer> gpus = new ArrayList<>();
    for (int gpu = 0; gpu < group.gpusPerWorker(); gpu++) {
      if (group.nodeOf(worker, gpu) == node) {
        gpus.add(gpu);
      }
    }
    boolean firstNode = gpus.get(0) == 0;
    List<Integer> batchRanks = new ArrayList<>();
    for (int gpu : gpus) {
      if (gpu < group.batchRanksPerWorker()) {
        batchRanks.add(gpu);
      }
    }
    int nodeRank = gpus.get(0) / group.gpusPerNode();
    Map<String, Object> args = ServerArgs.of(plan, group, nodeRank);
    StringBuilder line = new StringBuilder(256);
    log.line(ServerArgs.commandLine(args));
    log.line("/usr/local/lib/python3.12/dist-packages/torch/cuda/__init__.py:63: FutureWarning: "
        + "The pynvml package is deprecated. Please install nvidia-ml-py instead.");
    long at = launchMillis + 4000;
    log.line(format.start(line, at, null).append("server_args=")
        .append(ServerArgs.pythonRepr(args)));
    at = writeMemoryLines(log, group, gpus, at + 3000);
    if (firstNode) {
      log.line(format.start(line, at, format.rank(group, 0))
          .append("The server is fired up and ready to roll!"));
      at += 2000;
      for (int rank : batchRanks) {
        boolean decodes = !group.role().equals("prefill");
        boolean prefills = !group.role().equals("decode");
        if (prefills) {
          batch(log, line, at, group, rank, draws.warmUp(false, 1));
        }
        if (decodes) {
          batch(log, line, at + 150, group, rank, draws.warmUp(true, 2));
        }
      }
    }
    if (binaryGarbage) {
      byte[] garbage = new byte[random.inclusive(512, 2048)];
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] = (byte) random.below(256);
      }
      log.bytes(garbage);
      log.line("");
    }
    long[] iterations = new long[group.batchRanksPerWorker()];
    for (Segment segment : segments) {
      writeSegment(log, group, batchRanks, segment, iterations);
    }
  }

  /** Every GPU rank on the node starts up in parallel; their lines are merged in time order. */
  private long writeMemoryLines(LogSink log, WorkerGroup group, List<Integer> gpus, long start)
      throws IOException {
    StringBuilder line = new StringBuilder(256);
    double weights = model.weightsGbPerGpu(group);
    double kvGb = model.kvCacheGbPerGpu(group);
    long tokens = model.kvTokensPerRank(group);
    List<TimedLine> lines = new ArrayList<>();
    long end = start;
    for (int gpu : gpus) {
      String rank = format.rank(group, gpu);
      double available = plan.gpu.memoryGb - random.between(0.8, 1.6);
      double graphs = random.between(0.8, 2.5);
      long at = start + random.inclusive(0, 2000);
      lines.add(timed(memory(line, at, rank, "Load weight begin. avail mem=", available, " GB"), at));
      at += random.inclusive(20_000, 90_000);
      lines.add(timed(format.start(line, at, rank).append("Load weight end. type=")
          .append(plan.deployment.architecture).append(", dtype=torch.bfloat16, avail mem=")
          .append(Decimals.fixed(available - weights, 2)).append(" GB, mem usage=")
          .append(Decimals.fixed(weights, 2)).append(" GB."), at));
      at += 400;
      lines.add(timed(format.start(line, at, rank).append("KV Cache is allocated. #tokens: ")
          .append(tokens).append(", KV size: ").append(Decimals.fixed(kvGb, 2)).append(" GB"), at));
      double afterPool = available - weights - kvGb;
      at += 100;
      lines.add(timed(memory(line, at, rank, "Memory pool end. avail mem=", afterPool, " GB"), at));
      at += 400;
      lines.add(timed(memory(line, at, rank,
          "Capture cuda graph begin. This can take up to several minutes. avail mem=", afterPool,
          " GB"), at));
      double captureSeconds = random.between(15, 60);
      at += Math.round(captureSeconds * 1000);
      lines.add(timed(format.start(line, at, rank).append("Capture cuda graph end. Time elapsed: ")
          .append(Decimals.fixed(captureSeconds, 2)).append(" s. mem usage=")
          .append(Decimals.fixed(graphs, 2)).append(" GB. avail mem=")
          .append(Decimals.fixed(afterPool - graphs, 2)).append(" GB."), at));
      at += 200;
      lines.add(timed(format.start(line, at, rank).append("max_total_num_tokens=").append(tokens)
          .append(", chunked_prefill_size=").append(ServerArgs.CHUNKED_PREFILL_SIZE)
          .append(", max_running_requests=4096, context_len=163840, available_gpu_mem=")
          .append(Decimals.fixed(afterPool - graphs, 2)).append(" GB"), at));
      end = Math.max(end, at);
    }
    writeInOrder(log, lines);
    return end + 1000;
  }

  private static TimedLine timed(StringBuilder line, long millis) {
    return new TimedLine(millis, line.toString());
  }

  private static void writeInOrder(LogSink log, List<TimedLine> lines) throws IOException {
    lines.sort(Comparator.comparingLong(TimedLine::millis));
    for (TimedLine timed : lines) {
      log.line(timed.text());
    }
  }

  private StringBuilder memory(
      StringBuilder line, long at, String rank, String text, double gb, String unit) {
    return format.start(line, at, rank).append(text).append(Decimals.fixed(gb, 2)).append(unit);
  }

  private void batch(LogSink log, StringBuilder line, long at, WorkerGroup group, int rank,
      BatchLine values) throws IOException {
    format.start(line, at, format.rank(group, rank));
    format.appendBatch(line, values);
    log.line(line);
  }

  private void writeSegment(LogSink log, WorkerGroup group, List<Integer> batchRanks,
      Segment segment, long[] iterations) throws IOException {
    List<TimedLine> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(256);
    double duration = segment.durationSeconds();
    double decodeInterval = Math.max(
        ServerArgs.DECODE_LOG_INTERVAL * segment.point().tpotMs() / 1000.0,
        duration / MAX_LINES_PER_SEGMENT);
    double prefillInterval = Math.max(1.0, duration / MAX_LINES_PER_SEGMENT);
    for (int rank : batchRanks) {
      if (!group.role().equals("decode")) {
        for (double t = random.between(0, prefillInterval); t < duration; t += prefillInterval) {
          long millis = segment.startMillis() + Math.round(t * 1000);
          iterations[rank] += random.inclusive(1, 40);
          format.start(line, millis, format.rank(group, rank));
          format.appendBatch(line, draws.prefill(segment, group, millis, iterations[rank],
              prefillInterval));
          lines.add(new TimedLine(millis, line.toString()));
        }
      }
      if (!group.role().equals("prefill")) {
        for (double t = random.between(0, decodeInterval); t < duration; t += decodeInterval) {
          long millis = segment.startMillis() + Math.round(t * 1000);
          iterations[rank] += ServerArgs.DECODE_LOG_INTERVAL;
          format.start(line, millis, format.rank(group, rank));
          format.appendBatch(line, draws.decode(segment, group, millis, iterations[rank]));
          lines.add(new TimedLine(millis, line.toString()));
        }
      }
    }
    if (!batchRanks.isEmpty() && !group.role().equals("decode")) {
      lines.add(new TimedLine(segment.startMillis(),
          "INFO:     10.0.0." + random.inclusive(2, 250) + ":" + random.inclusive(30000, 60000)
              + " - \"POST /generate HTTP/1.1\" 200 OK"));
    }
    writeInOrder(log, lines);
    if (!batchRanks.isEmpty() && plan.profiling) {
      log.line(format.start(line, segment.endMillis(), format.rank(group, batchRanks.get(0)))
          .append("Profiling done. Traces are saved to: /logs/profiles"));
    }
  }
}
