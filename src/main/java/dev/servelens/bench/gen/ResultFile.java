package dev.servelens.bench.gen;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes one {@code concurrency_{n}.json} as sa-bench / vLLM {@code benchmark_serving} writes it:
 * run settings, totals and throughputs, then the per-request arrays ({@code input_lens,
 * output_lens, ttfts, itls, generated_texts, errors}), then mean, median, std and percentiles of
 * TTFT, TPOT, ITL and E2EL in milliseconds. The statistics are computed from the arrays written,
 * and every throughput is its total over {@code duration}, so the file is consistent with itself.
 * Streams through Jackson: the arrays are never held as text.
 */
final class ResultFile {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
  private static final List<String> WORDS = List.of(
      "the", "model", "answer", "is", "a", "token", "of", "and", "to", "we", "compute", "first",
      "then", "value", "so", "that", "each", "step", "result", "in", "for", "this", "case",
      "number", "which", "gives", "total", "let", "us", "check", "it", "again", "because", "sum",
      "equals", "two", "three", "four", "final", "therefore", "consider", "problem", "where",
      "function", "returns", "list", "with", "input", "output", "length", "between", "both");
  private static final String[] ERRORS = {
    "Server disconnected",
    "ClientPayloadError: Response payload is not completed",
    "TimeoutError: request exceeded 3600 s"
  };
  private static final int DIGITS = 6;

  private final BenchRunPlan plan;

  ResultFile(BenchRunPlan plan) {
    this.plan = plan;
  }

  /**
   * Draws the requests of one benchmark and writes them to {@code stream}, which is closed.
   *
   * @param requests {@code num_prompts}
   * @param writeTpot false to leave {@code mean_tpot_ms} out (a damaged file)
   */
  ResultSummary write(OutputStream stream, int concurrency, int osl, int requests,
      OperatingPoint point, LocalDateTime date, BenchRandom random, boolean writeTpot)
      throws IOException {
    double failureRate = concurrency >= 256 ? 0.003 : 0;
    RequestSample sample = new RequestSample(plan, requests, osl, point, random, failureRate);
    long inputTokens = 0;
    long outputTokens = 0;
    double meanE2el = 0;
    double maxE2el = 0;
    for (int i = 0; i < sample.size(); i++) {
      if (!sample.failed[i]) {
        inputTokens += sample.inputLengths[i];
        outputTokens += sample.outputLengths[i];
        meanE2el += sample.e2el(i) / sample.completed;
        maxE2el = Math.max(maxE2el, sample.e2el(i));
      }
    }
    // The steady stream, plus a tail: the slowest requests finish after it (softened, as a
    // sweep that sends several waves of requests amortises its last one).
    double duration = requests / point.requestRate() + 0.1 * (maxE2el - meanE2el);
    String durationText = Decimals.fixed(duration, DIGITS);
    double seconds = Double.parseDouble(durationText);
    String outputThroughput = Decimals.fixed(outputTokens / seconds, DIGITS);
    String totalThroughput = Decimals.fixed((inputTokens + outputTokens) / seconds, DIGITS);
    String meanTpot;
    try (JsonGenerator json = RunFiles.json(stream, PythonStylePrinter.inline())) {
      json.writeStartObject();
      json.writeStringField("date", date.format(DATE));
      json.writeStringField("backend", "sglang");
      json.writeStringField("model_id", plan.deployment.servedName);
      json.writeStringField("tokenizer_id", plan.deployment.servedName);
      json.writeNumberField("num_prompts", requests);
      json.writeStringField("request_rate", "inf");
      json.writeNumberField("burstiness", 1.0);
      json.writeNumberField("max_concurrency", concurrency);
      json.writeFieldName("duration");
      json.writeNumber(durationText);
      json.writeNumberField("completed", sample.completed);
      json.writeNumberField("failed", sample.size() - sample.completed);
      json.writeNumberField("total_input_tokens", inputTokens);
      json.writeNumberField("total_output_tokens", outputTokens);
      number(json, "request_throughput", sample.completed / seconds);
      json.writeFieldName("request_goodput");
      if (plan.goodputSlo) {
        json.writeNumber(Decimals.fixed(goodRequests(sample) / seconds, DIGITS));
      } else {
        json.writeNull();
      }
      json.writeFieldName("output_throughput");
      json.writeNumber(outputThroughput);
      json.writeFieldName("total_token_throughput");
      json.writeNumber(totalThroughput);
      number(json, "peak_output_tokens_per_s",
          outputTokens / seconds * random.between(1.1, 1.5) + concurrency);
      writeArrays(json, sample, random);
      meanTpot = writeStatistics(json, sample, writeTpot);
      json.writeEndObject();
    }
    return new ResultSummary(concurrency, outputThroughput, totalThroughput, meanTpot,
        seconds, sample.completed / seconds, outputTokens / seconds, inputTokens / seconds);
  }

  private static int goodRequests(RequestSample sample) {
    int good = 0;
    for (int i = 0; i < sample.size(); i++) {
      if (!sample.failed[i] && sample.ttfts[i] <= 2.0 && sample.tpots[i] <= 0.05) {
        good++;
      }
    }
    return good;
  }

  private static void number(JsonGenerator json, String field, double value) throws IOException {
    json.writeFieldName(field);
    json.writeNumber(Decimals.fixed(value, DIGITS));
  }

  private static void writeArrays(JsonGenerator json, RequestSample sample, BenchRandom random)
      throws IOException {
    json.writeArrayFieldStart("input_lens");
    for (int length : sample.inputLengths) {
      json.writeNumber(length);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("output_lens");
    for (int length : sample.outputLengths) {
      json.writeNumber(length);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("ttfts");
    for (double ttft : sample.ttfts) {
      json.writeNumber(Decimals.fixed(ttft, DIGITS));
    }
    json.writeEndArray();
    json.writeArrayFieldStart("itls");
    for (double[] gaps : sample.itls) {
      json.writeStartArray();
      for (double gap : gaps) {
        json.writeNumber(Decimals.fixed(gap, DIGITS));
      }
      json.writeEndArray();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("generated_texts");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < sample.size(); i++) {
      text.setLength(0);
      int words = sample.failed[i] ? 0 : random.inclusive(30, 120);
      for (int w = 0; w < words; w++) {
        text.append(w == 0 ? "" : " ").append(random.pick(WORDS));
      }
      json.writeString(text.toString());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("errors");
    for (int i = 0; i < sample.size(); i++) {
      json.writeString(sample.failed[i] ? ERRORS[random.below(ERRORS.length)] : "");
    }
    json.writeEndArray();
  }

  /** Writes the latency statistics; returns {@code mean_tpot_ms} as written, or null. */
  private static String writeStatistics(
      JsonGenerator json, RequestSample sample, boolean writeTpot) throws IOException {
    int n = sample.size();
    double[] ttft = new double[n];
    double[] tpot = new double[n];
    double[] e2el = new double[n];
    int completed = 0;
    int itlCount = 0;
    for (int i = 0; i < n; i++) {
      itlCount += sample.itls[i].length;
    }
    double[] itl = new double[itlCount];
    int itlAt = 0;
    for (int i = 0; i < n; i++) {
      if (sample.failed[i]) {
        continue;
      }
      // The file's own rounded ttfts: the statistics match the arrays to the last digit.
      ttft[completed] = Double.parseDouble(Decimals.fixed(sample.ttfts[i], DIGITS)) * 1000;
      tpot[completed] = sample.tpots[i] * 1000;
      e2el[completed] = sample.e2el(i) * 1000;
      completed++;
      for (double gap : sample.itls[i]) {
        itl[itlAt++] = Double.parseDouble(Decimals.fixed(gap, DIGITS)) * 1000;
      }
    }
    writeMetric(json, "ttft", new LatencyStats(ttft, completed), true);
    String meanTpot = writeMetric(json, "tpot", new LatencyStats(tpot, completed), writeTpot);
    writeMetric(json, "itl", new LatencyStats(itl, itlAt), true);
    writeMetric(json, "e2el", new LatencyStats(e2el, completed), true);
    return meanTpot;
  }

  /** Writes one metric's statistics, the mean only if {@code withMean}; returns the mean or null. */
  private static String writeMetric(
      JsonGenerator json, String metric, LatencyStats stats, boolean withMean) throws IOException {
    String mean = null;
    if (withMean) {
      mean = Decimals.fixed(stats.mean, DIGITS);
      json.writeFieldName("mean_" + metric + "_ms");
      json.writeNumber(mean);
    }
    number(json, "median_" + metric + "_ms", stats.median);
    number(json, "std_" + metric + "_ms", stats.std);
    for (int p = 0; p < LatencyStats.PERCENTILES.length; p++) {
      number(json, "p" + LatencyStats.PERCENTILES[p] + "_" + metric + "_ms", stats.percentiles[p]);
    }
    return mean;
  }
}
