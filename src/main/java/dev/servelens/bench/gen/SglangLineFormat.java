package dev.servelens.bench.gen;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats SGLang worker log lines in the variant a run's release and deployment produce: the
 * {@code [time DP0 TP0 EP0]} / {@code [time TP0]} / {@code [time PP0]} prefix with a plain or
 * ISO-with-milliseconds time, optionally ANSI-coloured; prefill and decode batch lines with or
 * without an iteration number, with the disaggregation, hybrid-pool and speculative fields where
 * they apply.
 */
final class SglangLineFormat {

  static final String ANSI_GREEN = "\u001b[32m";
  static final String ANSI_YELLOW = "\u001b[33m";
  static final String ANSI_RESET = "\u001b[0m";
  private static final DateTimeFormatter PLAIN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);
  private static final int CUDA_GRAPH_MAX_BATCH = 256;

  private final BenchRunPlan plan;
  private final DateTimeFormatter time;

  SglangLineFormat(BenchRunPlan plan) {
    this.plan = plan;
    this.time = plan.release.isoTimestamps ? ISO : PLAIN;
  }

  /** The rank label of GPU {@code gpu} of a worker of {@code group}. */
  String rank(WorkerGroup group, int gpu) {
    return switch (plan.deployment.prefix) {
      case DP_TP_EP -> "DP" + gpu + " TP" + gpu + " EP" + gpu;
      case TP -> "TP" + gpu;
      case PP -> "PP" + gpu / (group.gpusPerWorker() / plan.deployment.pipelineStages);
    };
  }

  /** Starts {@code line} with the prefix {@code [time rank] }; a null rank prints time only. */
  StringBuilder start(StringBuilder line, long epochMillis, String rank) {
    line.setLength(0);
    if (plan.release.ansiColour) {
      line.append(ANSI_GREEN);
    }
    line.append('[').append(time.format(timeOf(epochMillis)));
    if (rank != null) {
      line.append(' ').append(rank);
    }
    line.append(']');
    if (plan.release.ansiColour) {
      line.append(ANSI_RESET);
    }
    return line.append(' ');
  }

  private static LocalDateTime timeOf(long epochMillis) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(epochMillis, 1000), (int) Math.floorMod(epochMillis, 1000) * 1_000_000,
        ZoneOffset.UTC);
  }

  /** Appends the batch line's text after a prefix. */
  void appendBatch(StringBuilder line, BatchLine batch) {
    boolean disaggregated = plan.deployment.disaggregated;
    line.append(batch.decode() ? "Decode batch" : "Prefill batch");
    if (plan.release.iterationNumbers) {
      line.append(" [").append(batch.iteration()).append(']');
    }
    if (batch.decode()) {
      line.append(", #running-req: ").append(batch.requests()).append(", ");
      appendUsage(line, batch, true);
      if (disaggregated) {
        field(line, "pre-allocated usage: ", batch.preallocatedUsage());
        line.append("#prealloc-req: ").append(batch.preallocated())
            .append(", #transfer-req: ").append(batch.inflightOrTransfer())
            .append(", #retracted-req: ").append(batch.retracted()).append(", ");
      }
      if (plan.deployment.speculative) {
        field(line, "accept len: ", batch.acceptLength());
        field(line, "accept rate: ", (batch.acceptLength() - 1) / 3.0);
      }
      line.append("cuda graph: ").append(batch.requests() <= CUDA_GRAPH_MAX_BATCH ? "True" : "False");
      line.append(", gen throughput (token/s): ");
      Decimals.append(line, batch.throughput(), 2);
      line.append(", #queue-req: ").append(batch.queued());
      return;
    }
    line.append(", #new-seq: ").append(batch.requests())
        .append(", #new-token: ").append(batch.newTokens())
        .append(", #cached-token: ").append(batch.cachedTokens()).append(", ");
    appendUsage(line, batch, false);
    line.append("#running-req: ").append(batch.running())
        .append(", #queue-req: ").append(batch.queued()).append(", ");
    if (disaggregated) {
      line.append("#prealloc-req: ").append(batch.preallocated())
          .append(", #inflight-req: ").append(batch.inflightOrTransfer()).append(", ");
    }
    line.append("input throughput (token/s): ");
    Decimals.append(line, batch.throughput(), 2);
  }

  private void appendUsage(StringBuilder line, BatchLine batch, boolean withTokens) {
    Deployment.Hybrid hybrid = plan.deployment.hybrid;
    if (hybrid == Deployment.Hybrid.NONE) {
      if (withTokens) {
        line.append("#token: ").append(batch.newTokens()).append(", ");
      }
      field(line, "token usage: ", batch.usage());
      return;
    }
    if (withTokens) {
      line.append("#full token: ").append(batch.newTokens()).append(", ");
    }
    field(line, "full token usage: ", batch.usage());
    field(line, hybrid == Deployment.Hybrid.SWA ? "swa token usage: " : "mamba usage: ",
        batch.secondaryUsage());
  }

  private static void field(StringBuilder line, String name, double value) {
    line.append(name);
    Decimals.append(line, value, 2);
    line.append(", ");
  }
}
