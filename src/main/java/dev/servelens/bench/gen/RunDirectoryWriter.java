package dev.servelens.bench.gen;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.servelens.io.HadoopConfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The Spark task of {@code generate bench}: writes one run directory (metadata, result files,
 * worker logs, node config snapshots, profiler traces) and returns the run's rows of the truth
 * table. Every draw comes from streams seeded by the run, so the bytes do not depend on which
 * executor writes the directory.
 */
final class RunDirectoryWriter implements FlatMapFunction<BenchRunPlan, String> {

  private static final long serialVersionUID = 1L;

  private final HadoopConfiguration configuration;
  private final String out;
  private final int requestsPerResult;

  RunDirectoryWriter(HadoopConfiguration configuration, String out, int requestsPerResult) {
    this.configuration = configuration;
    this.out = out;
    this.requestsPerResult = requestsPerResult;
  }

  @Override
  public Iterator<String> call(BenchRunPlan plan) throws IOException {
    Path outPath = new Path(out);
    Path runDirectory = new Path(outPath, plan.directoryName());
    RunFiles files = new RunFiles(outPath.getFileSystem(configuration.get()), runDirectory);
    BenchRandom random = new BenchRandom(plan.seed);
    writeMetadata(plan, files, random);
    PerformanceModel model = new PerformanceModel(plan);
    long launchMillis = plan.started.toEpochSecond(ZoneOffset.UTC) * 1000
        + random.inclusive(20_000, 90_000);
    long benchmarkMillis = launchMillis + random.inclusive(240_000, 480_000);
    Map<Integer, ResultSummary> results = new LinkedHashMap<>();
    Map<Integer, TruthTable.ResultState> states = new LinkedHashMap<>();
    List<Segment> segments =
        benchmarks(plan, files, model, benchmarkMillis, results, states);
    if (plan.decoyNeighbour) {
      writeDecoy(plan, files, model);
    }
    writeWorkers(plan, files, model, launchMillis, segments);
    if (plan.profiling) {
      writeTrace(plan, files, segments.get(0));
    }
    return TruthTable.rows(plan, results, states).iterator();
  }

  private static void writeMetadata(BenchRunPlan plan, RunFiles files, BenchRandom random)
      throws IOException {
    String name = plan.jobId + ".json";
    switch (plan.dirty) {
      case MISSING_METADATA -> { }
      case INVALID_METADATA -> new MetadataFile(plan).write(
          files.openCutOff(name, random.inclusive(40, 200)));
      default -> new MetadataFile(plan).write(files.open(name));
    }
  }

  /** Runs the benchmarks in order, writing each result file; a timed-out run stops early. */
  private List<Segment> benchmarks(BenchRunPlan plan, RunFiles files, PerformanceModel model,
      long startMillis, Map<Integer, ResultSummary> results,
      Map<Integer, TruthTable.ResultState> states) throws IOException {
    ResultFile resultFile = new ResultFile(plan);
    int runCount = plan.profiling ? plan.concurrencies.length : plan.presentCount;
    int cut = plan.dirty == DirtyKind.CUT_RESULT ? runCount / 2 : -1;
    int withoutTpot = plan.dirty == DirtyKind.RESULT_WITHOUT_TPOT ? runCount - 1 : -1;
    List<Segment> segments = new ArrayList<>();
    long at = startMillis;
    for (int i = 0; i < runCount; i++) {
      int concurrency = plan.concurrencies[i];
      int requests = Math.max(requestsPerResult, concurrency);
      OperatingPoint point = model.at(concurrency, plan.osl);
      BenchRandom draws = new BenchRandom(BenchRandom.streamSeed(plan.seed, 1, i));
      double rate;
      double duration;
      if (plan.profiling) {
        rate = point.requestRate();
        duration = draws.between(60, 120);
      } else {
        String name = plan.logsPrefix() + plan.resultFolder(plan.osl) + "/concurrency_"
            + concurrency + ".json";
        OutputStream stream = i == cut
            ? files.openCutOff(name, draws.inclusive(100, 1000)) : files.open(name);
        LocalDateTime date = LocalDateTime.ofEpochSecond(at / 1000, 0, ZoneOffset.UTC);
        ResultSummary summary = resultFile.write(stream, concurrency, plan.osl, requests, point,
            date, draws, i != withoutTpot);
        results.put(concurrency, summary);
        states.put(concurrency, i == cut ? TruthTable.ResultState.MALFORMED
            : i == withoutTpot ? TruthTable.ResultState.NO_TPOT : TruthTable.ResultState.OK);
        rate = summary.requestRate();
        duration = summary.durationSeconds();
      }
      long end = at + Math.round(duration * 1000);
      segments.add(new Segment(concurrency, at, end, point, rate, rate * plan.isl,
          rate * plan.osl));
      at = end + draws.inclusive(8_000, 30_000);
    }
    return segments;
  }

  /** A leftover {@code osl_{osl}0} folder from an older sweep, to trap prefix matching. */
  private void writeDecoy(BenchRunPlan plan, RunFiles files, PerformanceModel model)
      throws IOException {
    int decoyOsl = plan.osl * 10;
    ResultFile resultFile = new ResultFile(plan);
    for (int i = 0; i < Math.min(2, plan.concurrencies.length); i++) {
      int concurrency = plan.concurrencies[i];
      BenchRandom draws = new BenchRandom(BenchRandom.streamSeed(plan.seed, 2, i));
      String name = plan.logsPrefix() + plan.resultFolder(decoyOsl) + "/concurrency_"
          + concurrency + ".json";
      resultFile.write(files.open(name), concurrency, decoyOsl,
          Math.max(requestsPerResult, concurrency), model.at(concurrency, decoyOsl),
          plan.started.minusDays(3), draws, true);
    }
  }

  private static void writeWorkers(BenchRunPlan plan, RunFiles files, PerformanceModel model,
      long launchMillis, List<Segment> segments) throws IOException {
    BenchRandom random = new BenchRandom(BenchRandom.streamSeed(plan.seed, 3, 0));
    WorkerLogFile logFile = new WorkerLogFile(plan, model, random);
    NodeConfigFile configFile = new NodeConfigFile(plan);
    WorkerGroup damaged = model.decodeGroup();
    for (WorkerGroup group : plan.groups) {
      int lastConfigNode = -1;
      for (int worker = 0; worker < group.workers(); worker++) {
        for (int node = group.nodeOf(worker, 0);
            node <= group.nodeOf(worker, group.gpusPerWorker() - 1); node++) {
          String host = plan.hostName(node);
          String base = plan.logsPrefix() + host + "_" + group.role() + "_w" + worker;
          boolean dirtyTarget = group == damaged && worker == 0 && node == group.firstNode();
          try (LogSink err = new LogSink(files.open(base + ".err"))) {
            logFile.write(err, group, worker, node, launchMillis, segments,
                dirtyTarget && plan.dirty == DirtyKind.BINARY_LOG);
            if (dirtyTarget && plan.dirty == DirtyKind.TRUNCATED_LOG_LINE) {
              err.cutLastLine();
            }
          }
          try (LogSink stdout = new LogSink(files.open(base + ".out"))) {
            writeStdout(stdout, plan, group, worker, host, node);
          }
          if (node != lastConfigNode) {
            int nodeRank = node - group.nodeOf(worker, 0);
            configFile.write(files.open(plan.logsPrefix() + host + "_" + group.role()
                + "_config.json"), host, node, ServerArgs.of(plan, group, nodeRank));
            lastConfigNode = node;
          }
        }
      }
    }
  }

  private static void writeStdout(LogSink out, BenchRunPlan plan, WorkerGroup group, int worker,
      String host, int node) throws IOException {
    out.line("Starting " + group.role() + " worker " + worker + " on " + host + " (node " + node
        + ")");
    out.line("SLURM_JOB_ID=" + plan.jobId);
    out.line("NCCL version 2.27.3+cuda12.9");
    if (node == group.nodeOf(worker, 0)) {
      out.line("INFO:     Started server process [" + (1000 + 37 * node + worker) + "]");
      out.line("INFO:     Waiting for application startup.");
      out.line("INFO:     Application startup complete.");
      out.line("INFO:     Uvicorn running on http://0.0.0.0:30000 (Press CTRL+C to quit)");
    }
  }

  /** A small Chrome-trace file, as the torch profiler leaves under {@code profiles/}. */
  private static void writeTrace(BenchRunPlan plan, RunFiles files, Segment segment)
      throws IOException {
    String name = plan.logsPrefix() + "profiles/" + plan.hostName(0) + "-TP-0.trace.json";
    try (JsonGenerator json = RunFiles.json(files.open(name), PythonStylePrinter.inline())) {
      json.writeStartObject();
      json.writeNumberField("schemaVersion", 1);
      json.writeArrayFieldStart("traceEvents");
      long micros = segment.startMillis() * 1000;
      for (String event : List.of("forward_decode", "moe_dispatch", "attention", "forward_extend")) {
        json.writeStartObject();
        json.writeStringField("ph", "X");
        json.writeStringField("name", event);
        json.writeNumberField("ts", micros);
        json.writeNumberField("dur", Math.round(segment.point().tpotMs() * 250));
        json.writeNumberField("pid", 0);
        json.writeNumberField("tid", 0);
        json.writeEndObject();
        micros += Math.round(segment.point().tpotMs() * 250);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }
}
