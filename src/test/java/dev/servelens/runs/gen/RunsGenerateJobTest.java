package dev.servelens.runs.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servelens.cli.Main;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates run sets with {@link RunsGenerateJob} on the shared session and checks the files with
 * plain Java parsing of its own: the formats of FORMATS.md "A", the consistency between the
 * files of a run, realistic magnitudes, determinism, and the ground truth recomputed from the
 * files by {@link ReferenceWindowReader}.
 */
class RunsGenerateJobTest {

  private static final String KV_HEADER = "ts_iso,ts_unix,port,metric,value";
  private static final Pattern METRIC = Pattern.compile(
      "vllm:(kv_cache_usage_perc|gpu_cache_usage_perc|num_requests_running|num_requests_waiting)"
          + "\\{(engine=\"0\";)?model_name=\"Nemotron-Orchestrator-8B\"}");
  private static final String FLOAT = "\\d+\\.\\d\\d";
  private static final String HEAD = "\\[(PROFILE|USER_JUDGE)\\] \\d{4}-\\d\\d-\\d\\d "
      + "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} task=(global|(retail|telecom|airline)_\\d+) thread=\\d+ ";
  private static final Pattern RECORD = Pattern.compile(HEAD + "(type=step_complete step=\\d+ "
      + "total_duration_ms=" + FLOAT + " from_role=(agent|user|env) to_role=(agent|user|env)"
      + "|type=llm_call step=\\d+ model=\\S+ call_type=orchestrator duration_ms=" + FLOAT
      + " vllm_infer_ms=" + FLOAT + " prefill_ms=" + FLOAT + " decode_ms=" + FLOAT
      + " input_tokens=\\d+ output_tokens=\\d+ has_tool_calls=(True|False)"
      + "|type=expert_call step=\\d+ model=\\S+ call_type=expert duration_ms=" + FLOAT
      + " prefill_ms=" + FLOAT + " decode_ms=" + FLOAT + " input_tokens=\\d+ output_tokens=\\d+"
      + "|type=tool_call step=\\d+ function=\\w+ call_type=env duration_ms=" + FLOAT
      + " error=(True|False)"
      + "|type=user_sim step=\\d+ model=gpt-5 call_type=user_simulator duration_ms=" + FLOAT
      + ")");
  private static final Pattern GLOBAL = Pattern.compile("\\[(.{19})] Global evaluation complete: "
      + "ok=(\\d+) error=(\\d+) total=(\\d+) elapsed_s=(\\d+\\.\\d) "
      + "tasks_per_min=(\\d+\\.\\d\\d)$");
  private static final Pattern LLM_DURATION =
      Pattern.compile("type=llm_call .* duration_ms=(\\d+\\.\\d\\d) ");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path temp;

  private static SparkSession spark;
  private static Path nine;
  private static List<Path> nineRuns;

  @BeforeAll
  static void generateNineRuns() throws IOException {
    spark = SharedSpark.session();
    nine = temp.resolve("nine");
    RunsGenerateOptions options = options(nine);
    options.contaminate = 0.34;
    options.stuck = 0.12;
    RunsGenerateJob.Summary summary = RunsGenerateJob.run(spark, options);
    assertThat(summary.runs()).isEqualTo(9);
    nineRuns = runDirectories(nine);
  }

  private static RunsGenerateOptions options(Path out) {
    RunsGenerateOptions options = new RunsGenerateOptions();
    options.out = out.toString();
    return options;
  }

  private static List<Path> runDirectories(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.getFileName().toString().equals("kv_cache_timeseries.csv"))
          .map(Path::getParent).sorted().collect(Collectors.toList());
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
  }

  private static boolean stuck(Path run) {
    return !Files.exists(run.resolve("outputs/metrics_global.json"));
  }

  @Test
  void namesTheNineRunsAsInTheWildAndWritesNoSideFiles() throws IOException {
    Set<String> names = nineRuns.stream().map(run -> run.getFileName().toString())
        .collect(Collectors.toSet());
    assertThat(names).contains("thunderreact_c32", "thunderreact_c64", "thunderreact_c128");
    assertThat(names.stream().filter(name -> name.matches("(continuum|baseline)_c(32|64|128)"
        + "_2026010[45]_\\d{6}"))).hasSize(6);
    for (Path run : nineRuns) {
      try (Stream<Path> files = Files.walk(run)) {
        assertThat(files.filter(file -> file.getFileName().toString().endsWith(".crc"))).isEmpty();
      }
    }
    try (Stream<Path> truth = Files.list(nine.resolve("_truth"))) {
      assertThat(truth.map(file -> file.getFileName().toString()))
          .contains("active_window.csv")
          .doesNotContain("driver.log", "kv_cache_timeseries.csv");
    }
  }

  @Test
  void kvFilesHaveTheExactHeaderMetricNamesAndNanSamples() throws IOException {
    int contaminated = 0;
    for (Path run : nineRuns) {
      List<String> kv = lines(run.resolve("kv_cache_timeseries.csv"));
      assertThat(kv.get(0)).isEqualTo(KV_HEADER);
      Set<String> ports = new HashSet<>();
      boolean nan = false;
      for (String row : kv.subList(1, kv.size())) {
        String[] fields = row.split(",", -1);
        assertThat(fields).as(row).hasSize(5);
        assertThat(METRIC.matcher(fields[3]).matches()).as(row).isTrue();
        assertThat(Instant.parse(fields[0]).getEpochSecond()).isEqualTo(Long.parseLong(fields[1]));
        double value = Double.parseDouble(fields[4]);
        nan |= fields[4].equals("NaN");
        if (fields[3].contains("cache_usage_perc") && !Double.isNaN(value)) {
          assertThat(value).isBetween(0.0, 1.0);
        }
        ports.add(fields[2]);
      }
      assertThat(nan).as(run + " has NaN samples").isTrue();
      boolean continuum = run.getFileName().toString().startsWith("continuum");
      assertThat(kv.get(1)).contains(continuum ? "gpu_cache_usage_perc" : "kv_cache_usage_perc");
      contaminated += ports.size() > 1 ? 1 : 0;
    }
    assertThat(contaminated).as("round(0.34 * 9) contaminated runs").isEqualTo(3);
  }

  @Test
  void completeRunsHaveAllTrialFilesAndConsistentCounts() throws IOException {
    int complete = 0;
    for (Path run : nineRuns) {
      Map<String, Integer> domains = new TreeMap<>();
      int errors = 0;
      try (Stream<Path> trials = Files.list(run.resolve("outputs/all_domains"))) {
        for (Path trial : trials.collect(Collectors.toList())) {
          JsonNode json = JSON.readTree(trial.toFile());
          String name = trial.getFileName().toString();
          assertThat(name).isEqualTo(json.get("domain").asText() + "__"
              + json.get("task_id").asText() + "__trial0.json");
          domains.merge(json.get("domain").asText(), 1, Integer::sum);
          errors += json.get("status").asText().equals("error") ? 1 : 0;
        }
      }
      List<String> driver = lines(run.resolve("driver.log"));
      long finished = driver.stream().filter(line -> line.contains("FINISHED SIMULATION")).count();
      if (stuck(run)) {
        assertThat(domains.values().stream().mapToInt(Integer::intValue).sum()).isLessThan(278);
        assertThat(driver).noneMatch(line -> line.contains("Global evaluation complete"));
        continue;
      }
      complete++;
      assertThat(domains).containsExactlyEntriesOf(
          new TreeMap<>(Map.of("airline", 50, "retail", 114, "telecom", 114)));
      JsonNode metrics = JSON.readTree(run.resolve("outputs/metrics_global.json").toFile());
      assertThat(metrics.get("total").asInt()).isEqualTo(278);
      assertThat(metrics.get("ok").asInt()).isEqualTo(finished).isEqualTo(278 - errors);
      assertThat(metrics.get("error").asInt()).isEqualTo(errors);
      List<String> global = driver.stream().filter(line -> line.contains("Global evaluation"))
          .collect(Collectors.toList());
      assertThat(global).hasSize(1);
      Matcher fields = GLOBAL.matcher(global.get(0));
      assertThat(fields.matches()).as(global.get(0)).isTrue();
      assertThat(Integer.parseInt(fields.group(2))).isEqualTo(finished);
      assertThat(fields.group(5)).isEqualTo(metrics.get("elapsed_s").asText());
      double elapsed = Double.parseDouble(fields.group(5));
      assertThat(Double.parseDouble(fields.group(6))).isEqualTo(metrics.get("tasks_per_min")
          .asDouble()).isCloseTo(finished / (elapsed / 60), within(0.0051));
      // elapsed_s runs from the launcher's first line to the Global line.
      long first = ReferenceWindowReader.second(driver.get(0).substring(1, 20));
      long last = ReferenceWindowReader.second(fields.group(1));
      assertThat(elapsed).isBetween(last - first - 1.0, last - first + 1.0);
    }
    assertThat(complete).isEqualTo(8);
  }

  @Test
  void everyProfilingRecordHasTheDocumentedShapeAndGluedLinesExist() throws IOException {
    int glued = 0;
    int gluedFinished = 0;
    int nul = 0;
    int userJudge = 0;
    int expert = 0;
    for (Path run : nineRuns) {
      for (String line : lines(run.resolve("driver.log"))) {
        int tag = Math.max(line.indexOf("[PROFILE] "), line.indexOf("[USER_JUDGE] "));
        if (tag >= 0) {
          assertThat(RECORD.matcher(line.substring(tag)).matches()).as(line).isTrue();
          String before = line.substring(0, tag).replace("\0", "");
          glued += before.isEmpty() ? 0 : 1;
          nul += line.startsWith("\0") ? 1 : 0;
          userJudge += line.startsWith("[USER_JUDGE] ") ? 1 : 0;
          expert += line.contains(" type=expert_call ") ? 1 : 0;
        }
        if (line.contains("FINISHED SIMULATION") && !Character.isDigit(line.charAt(0))) {
          gluedFinished++;
        }
      }
    }
    assertThat(glued).as("records glued after other output").isGreaterThan(50);
    assertThat(gluedFinished).as("FINISHED lines whose timestamp is not first").isPositive();
    assertThat(nul).as("lines starting with NUL bytes").isPositive();
    assertThat(userJudge).isGreaterThan(5000);
    assertThat(expert).isGreaterThan(500);
  }

  @Test
  void theBenchmarkLogCarriesTheSameProfilingEvents() throws IOException {
    int compared = 0;
    for (Path run : nineRuns) {
      Path tau2 = run.resolve("logs/tau2_global.log");
      if (!Files.exists(tau2)) {
        continue;
      }
      compared++;
      assertThat(profilingRecords(tau2)).isEqualTo(profilingRecords(run.resolve("driver.log")));
    }
    assertThat(compared).isPositive();
  }

  /** Each profiling record from its tag on, counted. */
  private static Map<String, Integer> profilingRecords(Path log) throws IOException {
    Map<String, Integer> records = new HashMap<>();
    for (String line : lines(log)) {
      int tag = Math.max(line.indexOf("[PROFILE] "), line.indexOf("[USER_JUDGE] "));
      if (tag >= 0) {
        records.merge(line.substring(tag), 1, Integer::sum);
      }
    }
    return records;
  }

  @Test
  void orchestratorCallsHaveLongTailsAndErrorsAreLogged() throws IOException {
    int over300s = 0;
    int over1200s = 0;
    int expertFailures = 0;
    int contextErrors = 0;
    int tracebacks = 0;
    for (Path run : nineRuns) {
      for (String line : lines(run.resolve("driver.log"))) {
        Matcher llm = LLM_DURATION.matcher(line);
        if (llm.find()) {
          double millis = Double.parseDouble(llm.group(1));
          over300s += millis > 300_000 ? 1 : 0;
          over1200s += millis > 1_200_000 ? 1 : 0;
        }
        expertFailures += line.contains("Expert LLM call failed permanently") ? 1 : 0;
        contextErrors += line.contains("context length exceeded") ? 1 : 0;
        tracebacks += line.equals("Traceback (most recent call last):") ? 1 : 0;
      }
    }
    assertThat(over300s).isGreaterThan(100);
    assertThat(over1200s).isPositive().isLessThan(over300s / 2);
    assertThat(expertFailures).isPositive();
    assertThat(contextErrors).isPositive();
    assertThat(tracebacks).isGreaterThanOrEqualTo(expertFailures);
  }

  @Test
  void continuumRunsListEveryOrchestratorRequestInTheirSchedulerTimestamps() throws IOException {
    int checked = 0;
    for (Path run : nineRuns) {
      Path scheduler = run.resolve("scheduler_timestamps");
      boolean continuum = run.getFileName().toString().startsWith("continuum");
      assertThat(Files.exists(scheduler)).as(run.toString())
          .isEqualTo(continuum && !stuck(run));
      if (!Files.exists(scheduler)) {
        continue;
      }
      checked++;
      JsonNode requests = JSON.readTree(scheduler.toFile());
      long calls = lines(run.resolve("driver.log")).stream()
          .filter(line -> line.contains(" type=llm_call ") && !line.contains("task=global "))
          .count();
      assertThat(requests.size()).isEqualTo(calls);
      JsonNode events = requests.elements().next();
      double arrival = events.get(0).get("Request_arrival_time").asDouble();
      JsonNode admitted = events.get(1);
      assertThat(admitted.get("waiting_to_running").asDouble()).isGreaterThanOrEqualTo(arrival);
      assertThat(admitted.get("hit_length").asInt())
          .isLessThan(admitted.get("prompt_length").asInt());
      boolean departs = false;
      for (JsonNode event : events) {
        assertThat(event.size()).isIn(1, 3);
        departs |= event.has("Request_departure_time");
      }
      assertThat(departs).isTrue();
    }
    assertThat(checked).isPositive();
  }

  @Test
  void theStuckRunEndsWithALongIdleTail() throws IOException {
    List<Path> stuck = nineRuns.stream().filter(RunsGenerateJobTest::stuck)
        .collect(Collectors.toList());
    assertThat(stuck).hasSize(1);
    Path run = stuck.get(0);
    Set<String> started = new HashSet<>();
    Set<String> ended = new HashSet<>();
    long lastTask = 0;
    Pattern task = Pattern.compile("task=((retail|telecom|airline)_\\d+) ");
    for (String line : lines(run.resolve("driver.log"))) {
      Matcher name = task.matcher(line);
      if (name.find()) {
        started.add(name.group(1));
      }
      if (line.contains("FINISHED SIMULATION")) {
        Matcher time = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d").matcher(line);
        assertThat(time.find()).isTrue();
        lastTask = Math.max(lastTask, ReferenceWindowReader.second(time.group()));
      }
    }
    try (Stream<Path> trials = Files.list(run.resolve("outputs/all_domains"))) {
      trials.forEach(trial -> {
        String[] parts = trial.getFileName().toString().split("__");
        ended.add(parts[0] + "_" + parts[1]);
      });
    }
    started.removeAll(ended);
    assertThat(started).as("tasks started but never finished").hasSizeBetween(2, 12);
    double maxAfter = 0;
    long lastSample = 0;
    List<String> kv = lines(run.resolve("kv_cache_timeseries.csv"));
    String port = kv.get(1).split(",")[2];
    for (String row : kv.subList(1, kv.size())) {
      String[] fields = row.split(",");
      long second = Long.parseLong(fields[1]);
      lastSample = second;
      boolean mainUsage = fields[2].equals(port) && fields[3].contains("cache_usage_perc");
      if (second > lastTask + 600 && mainUsage && !fields[4].equals("NaN")) {
        maxAfter = Math.max(maxAfter, Double.parseDouble(fields[4]));
      }
    }
    assertThat(lastSample - lastTask).as("idle tail, seconds").isGreaterThan(3000);
    assertThat(maxAfter).as("KV usage in the tail").isLessThan(0.1);
  }

  @Test
  void theGroundTruthEqualsAnIndependentReadingOfTheFiles() throws IOException {
    Map<String, String[]> truth = truthRows(nine);
    assertThat(truth).hasSize(9);
    for (Path run : nineRuns) {
      String name = run.getFileName().toString();
      String[] row = truth.get(name);
      assertThat(row).as(name).isNotNull();
      assertThat(row[1]).isEqualTo(name.substring(0, name.indexOf('_')));
      assertThat(row[2]).isEqualTo(name.split("_c")[1].split("_")[0]);
      assertThat(row[3]).isEqualTo("70");
      ReferenceWindowReader.Window window = ReferenceWindowReader.read(run);
      assertRowMatches(row, window);
      if (!stuck(run)) {
        long seconds = window.seconds();
        assertThat(seconds).as(name + " window seconds").isBetween(2500L, 9000L);
        double perMinute = window.tasks() / (seconds / 60.0);
        assertThat(perMinute).as(name + " tasks/min").isBetween(1.5, 5.5);
        assertThat(window.steps() / (double) seconds).as(name + " steps/s").isBetween(1.0, 4.5);
      }
    }
  }

  static Map<String, String[]> truthRows(Path out) throws IOException {
    List<String> rows = Files.readAllLines(out.resolve("_truth/active_window.csv"));
    assertThat(rows.get(0)).isEqualTo("run_id,system,concurrency,threshold_pct,window_start,"
        + "window_end,window_s,tasks_in_window,steps_in_window,tasks_per_min,steps_per_s");
    Map<String, String[]> byRun = new HashMap<>();
    for (String row : rows.subList(1, rows.size())) {
      String[] fields = row.split(",", -1);
      byRun.put(fields[0], fields);
    }
    return byRun;
  }

  static void assertRowMatches(String[] row, ReferenceWindowReader.Window window) {
    String run = row[0];
    if (window.start() == null) {
      assertThat(row[4]).as(run).isEmpty();
      return;
    }
    assertThat(Instant.parse(row[4]).getEpochSecond()).as(run).isEqualTo(window.start());
    assertThat(Instant.parse(row[5]).getEpochSecond()).as(run).isEqualTo(window.end());
    assertThat(Long.parseLong(row[6])).as(run).isEqualTo(window.seconds());
    if (window.tasks() == null) {
      assertThat(row[7]).as(run + " without driver.log").isEmpty();
      return;
    }
    assertThat(Long.parseLong(row[7])).as(run + " tasks").isEqualTo(window.tasks());
    assertThat(Long.parseLong(row[8])).as(run + " steps").isEqualTo(window.steps());
    assertThat(Double.parseDouble(row[9])).as(run)
        .isCloseTo(window.tasks() / (window.seconds() / 60.0), within(1e-9));
    assertThat(Double.parseDouble(row[10])).as(run)
        .isCloseTo(window.steps() / (double) window.seconds(), within(1e-9));
  }

  @Test
  void theSameSeedGivesIdenticalBytesAndAnotherSeedDifferentOnes() throws IOException {
    Path first = temp.resolve("seed42a");
    Path second = temp.resolve("seed42b");
    Path other = temp.resolve("seed43");
    for (Path out : List.of(first, second, other)) {
      RunsGenerateOptions options = options(out);
      options.systems = List.of("continuum", "thunderreact");
      options.concurrencies = List.of(16);
      options.dirtyFraction = 0.01;
      options.contaminate = 0.5;
      options.seed = out == other ? 43 : 42;
      RunsGenerateJob.run(spark, options);
    }
    Map<String, byte[]> a = contents(first);
    Map<String, byte[]> b = contents(second);
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String file : a.keySet()) {
      assertThat(b.get(file)).as(file).isEqualTo(a.get(file));
    }
    Map<String, byte[]> c = contents(other);
    // ThunderReact run names carry no timestamp, so the same file exists under either seed.
    String driver = "thunderreact_c16/driver.log";
    assertThat(a.get(driver)).isNotNull();
    assertThat(c.get(driver)).isNotNull().isNotEqualTo(a.get(driver));
  }

  private static Map<String, byte[]> contents(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
        files.put(root.relativize(file).toString(), Files.readAllBytes(file));
      }
    }
    return files;
  }

  @Test
  void dirtyLargeSetsNestRunsAndTheTruthStillFollowsTheReference() throws IOException {
    Path out = temp.resolve("dirty");
    RunsGenerateOptions options = options(out);
    options.runs = 5;
    options.concurrencies = List.of(8, 16);
    options.dirtyFraction = 0.2;
    options.seed = 7;
    RunsGenerateJob.run(spark, options);
    List<Path> runs = runDirectories(out);
    assertThat(runs).hasSize(5);
    assertThat(runs).allMatch(run -> out.relativize(run).getNameCount() >= 2);
    assertThat(runs).anyMatch(run -> out.relativize(run).getNameCount() == 3);
    assertThat(runs.stream().filter(run -> !Files.exists(run.resolve("driver.log")))).hasSize(1);
    Map<String, String[]> truth = truthRows(out);
    int finishedWithoutTime = 0;
    int badKvRows = 0;
    int cutTrials = 0;
    for (Path run : runs) {
      assertRowMatches(truth.get(run.getFileName().toString()), ReferenceWindowReader.read(run));
      if (Files.exists(run.resolve("driver.log"))) {
        finishedWithoutTime += (int) lines(run.resolve("driver.log")).stream()
            .filter(line -> line.startsWith("FINISHED SIMULATION")).count();
      }
      badKvRows += (int) lines(run.resolve("kv_cache_timeseries.csv")).stream()
          .filter(row -> row.split(",", -1).length != 5 || row.endsWith("x9")).count();
      try (Stream<Path> trials = Files.list(run.resolve("outputs/all_domains"))) {
        for (Path trial : trials.collect(Collectors.toList())) {
          cutTrials += Files.readString(trial).endsWith("}\n") ? 0 : 1;
        }
      }
    }
    assertThat(finishedWithoutTime).isPositive();
    assertThat(badKvRows).isPositive();
    assertThat(cutTrials).isPositive();
  }

  @Test
  void bigRunsHaveRealSizedDriverLogs() throws IOException {
    Path out = temp.resolve("big");
    RunsGenerateOptions options = options(out);
    options.systems = List.of("baseline");
    options.concurrencies = List.of(64);
    options.big = true;
    RunsGenerateJob.run(spark, options);
    long lines;
    try (Stream<String> driver = Files.lines(runDirectories(out).get(0).resolve("driver.log"))) {
      lines = driver.count();
    }
    assertThat(lines).isBetween(250_000L, 400_000L);
  }

  @Test
  void badOptionsAreUsageErrors() {
    List<String> base = new ArrayList<>(List.of("generate", "runs", "--out",
        temp.resolve("never").toString()));
    base.addAll(List.of("--systems", "sglang"));
    assertThat(Main.execute(base.toArray(String[]::new))).isEqualTo(2);
    assertThat(Main.execute("generate", "runs", "--out", temp.resolve("never").toString(),
        "--stuck", "1.5")).isEqualTo(2);
    assertThat(Main.execute("generate", "runs", "--out", temp.resolve("never").toString(),
        "--start", "yesterday")).isEqualTo(2);
    assertThat(Files.exists(temp.resolve("never"))).isFalse();
  }
}
