package dev.servelens.bench.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads every worker {@code .err} log of a generated tree with regular expressions written from
 * FORMATS "B" (not from the generator): which line variants occur, which batch lines do not match
 * the documented shapes, and per run the mean prefill and decode throughput of all ranks together.
 */
final class WorkerLogs {

  private static final String TIME =
      "(?<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3})";
  private static final Pattern PREFIX =
      Pattern.compile("^\\[" + TIME + " (?<rank>DP\\d+ TP\\d+ EP\\d+|TP\\d+|PP\\d+)\\] (?<body>.*)$");
  private static final String D = "\\d+\\.\\d\\d";
  private static final String USAGE = "(token usage: " + D + "|full token usage: " + D
      + ", (swa token usage|mamba usage): " + D + ")";
  private static final Pattern PREFILL = Pattern.compile("^Prefill batch( \\[\\d+\\])?, "
      + "#new-seq: \\d+, #new-token: \\d+, #cached-token: \\d+, " + USAGE + ", "
      + "#running-req: \\d+, #queue-req: \\d+, (#prealloc-req: \\d+, #inflight-req: \\d+, )?"
      + "input throughput \\(token/s\\): (?<tput>" + D + ")$");
  private static final Pattern DECODE = Pattern.compile("^Decode batch( \\[\\d+\\])?, "
      + "#running-req: \\d+, (#token: \\d+, token usage: " + D + "|#full token: \\d+, "
      + "full token usage: " + D + ", (swa token usage|mamba usage): " + D + "), "
      + "(pre-allocated usage: " + D + ", #prealloc-req: \\d+, #transfer-req: \\d+, "
      + "#retracted-req: \\d+, )?(accept len: " + D + ", accept rate: " + D + ", )?"
      + "cuda graph: (True|False), gen throughput \\(token/s\\): (?<tput>" + D + "), "
      + "#queue-req: \\d+$");
  private static final Pattern COMMAND = Pattern.compile(
      "^python3 -m sglang\\.launch_server .*--tp-size \\d+ --dp-size \\d+ --ep-size \\d+ .*");
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

  /** Mean throughput of all ranks together over a run's benchmarks, tokens/s. */
  record Rates(double inputTokensPerSecond, double outputTokensPerSecond) {}

  final Set<String> variants = new HashSet<>();
  final Map<String, Set<String>> variantsByRun = new HashMap<>();
  final List<String> unmatched = new ArrayList<>();
  final Map<String, Rates> rates = new HashMap<>();
  int batchLines;

  private WorkerLogs() {}

  static WorkerLogs read(Path tree) throws IOException {
    WorkerLogs logs = new WorkerLogs();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(tree)) {
      files = walk.filter(p -> p.getFileName().toString().endsWith(".err")).sorted().toList();
    }
    Map<String, Map<String, double[]>> prefill = new HashMap<>();
    Map<String, Map<String, double[]>> decode = new HashMap<>();
    for (Path file : files) {
      String run = tree.relativize(file).getName(0).toString();
      Set<String> runVariants = logs.variantsByRun.computeIfAbsent(run, k -> new HashSet<>());
      byte[] bytes = Files.readAllBytes(file);
      boolean cut = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
      if (cut) {
        runVariants.add("cut last line");
      }
      String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
      int last = cut ? lines.length - 1 : lines.length - 2;
      for (int i = 0; i <= last; i++) {
        if (i == last && cut) {
          continue;
        }
        logs.classify(file, lines[i], runVariants,
            prefill.computeIfAbsent(run, k -> new HashMap<>()),
            decode.computeIfAbsent(run, k -> new HashMap<>()));
      }
      logs.variants.addAll(runVariants);
    }
    for (String run : prefill.keySet()) {
      logs.rates.put(run, new Rates(sumOfMeans(prefill.get(run)), sumOfMeans(decode.get(run))));
    }
    return logs;
  }

  private static double sumOfMeans(Map<String, double[]> perRank) {
    double total = 0;
    for (double[] sumAndCount : perRank.values()) {
      total += sumAndCount[0] / sumAndCount[1];
    }
    return total;
  }

  private void classify(Path file, String raw, Set<String> runVariants,
      Map<String, double[]> prefill, Map<String, double[]> decode) {
    if (raw.chars().anyMatch(c -> (c < 0x20 && c != 0x1b && c != '\t') || c >= 0x7f)) {
      runVariants.add("binary garbage");
      return;
    }
    if (raw.indexOf('\u001b') >= 0) {
      runVariants.add("ansi");
    }
    String line = ANSI.matcher(raw).replaceAll("");
    if (COMMAND.matcher(line).matches()) {
      runVariants.add("command line");
      return;
    }
    Matcher prefix = PREFIX.matcher(line);
    boolean batch = line.contains("Prefill batch") || line.contains("Decode batch");
    if (!prefix.matches()) {
      if (batch) {
        unmatched.add(file + ": " + line);
      }
      runVariants.add("noise");
      return;
    }
    String rank = prefix.group("rank");
    runVariants.add("prefix " + rank.replaceAll("\\d+", ""));
    runVariants.add(prefix.group("time").contains("T") ? "time iso ms" : "time plain");
    String body = prefix.group("body");
    for (String memory : List.of("avail mem", "mem usage", "KV size", "#tokens")) {
      if (body.contains(memory + (memory.startsWith("#") || memory.startsWith("KV") ? ":" : "="))) {
        runVariants.add(memory);
      }
    }
    if (!batch) {
      return;
    }
    batchLines++;
    boolean isDecode = body.startsWith("Decode batch");
    Matcher shape = (isDecode ? DECODE : PREFILL).matcher(body);
    if (!shape.matches()) {
      unmatched.add(file + ": " + line);
      return;
    }
    String kind = isDecode ? "decode" : "prefill";
    runVariants.add(kind + (body.startsWith(isDecode ? "Decode batch [" : "Prefill batch [")
        ? " iteration" : " plain"));
    if (isDecode) {
      runVariants.add(body.contains("#transfer-req") ? "decode disaggregated" : "decode aggregated");
    } else if (body.contains("#inflight-req")) {
      runVariants.add("prefill disaggregated");
    }
    for (String field : List.of("full token", "swa token usage", "mamba usage", "accept len")) {
      if (body.contains(field)) {
        runVariants.add(field);
      }
    }
    boolean warmUp = body.contains("#new-token: 7,") || body.contains("token: 8,");
    if (!warmUp) {
      double[] sums = (isDecode ? decode : prefill)
          .computeIfAbsent(file + " " + rank, k -> new double[2]);
      sums[0] += Double.parseDouble(shape.group("tput"));
      sums[1]++;
    }
  }
}
