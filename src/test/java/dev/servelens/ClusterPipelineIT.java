package dev.servelens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servelens.testing.SubmitScript;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch scripts against a real Spark standalone cluster: {@code submit/local-cluster} starts
 * a master and a worker, {@code submit/servelens} runs ingest and analyze once in {@code local[2]}
 * and once through spark-submit on the cluster, and both runs must agree on their numbers.
 * Everything runs as a user would run it, as separate processes; their output is kept under the
 * temporary folder, which is left in place when a test fails.
 */
class ClusterPipelineIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
  private static final int TAIL_LINES = 40;
  private static final long ROWS = 20_000;
  private static final double RELATIVE_TOLERANCE = 1e-9;

  /** The numeric tables compared between the runs, with the columns that identify a row. */
  private static final Map<String, List<String>> TABLE_KEYS =
      Map.of(
          "overview_numeric", List.of("column", "model"),
          "token_quantiles", List.of("model", "metric", "q"),
          "interarrival_stats", List.of("model"),
          "requests_per_user", List.of("user_id"));

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path work;

  private static Path home;
  private static Path clusterDir;
  private static int webUiPort;
  private static String masterUrl;
  private static int commands;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(executableOnPath("bash"), "ClusterPipelineIT needs bash on the PATH; skipped");
    assumeTrue(
        javaAvailable(), "ClusterPipelineIT needs java (JAVA_HOME or on the PATH); skipped");
    String appJar = System.getProperty("servelens.appJar");
    home =
        appJar != null
            ? Path.of(appJar).toAbsolutePath().getParent().getParent()
            : Path.of("").toAbsolutePath();
    clusterDir = work.resolve("cluster");
    int port = freePort();
    webUiPort = freePort();
    while (webUiPort == port) {
      webUiPort = freePort();
    }
    long started = System.nanoTime();
    Path output =
        succeed(
            "local-cluster",
            "start",
            "--port",
            String.valueOf(port),
            "--webui-port",
            String.valueOf(webUiPort),
            "--dir",
            clusterDir.toString());
    List<String> lines = Files.readAllLines(output);
    masterUrl = lines.get(lines.size() - 1).trim();
    System.out.printf(
        "ClusterPipelineIT: cluster %s up in %d s%n",
        masterUrl, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    assertThat(masterUrl).isEqualTo("spark://127.0.0.1:" + port);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (clusterDir == null) {
      return;
    }
    try {
      run("local-cluster", "stop", "--dir", clusterDir.toString());
    } finally {
      // Should the script not have done it: end the daemons this test started, by their PIDs.
      for (String daemon : List.of("worker", "master")) {
        Path pidFile = clusterDir.resolve(daemon + ".pid");
        if (Files.exists(pidFile)) {
          long pid = Long.parseLong(Files.readString(pidFile).trim());
          ProcessHandle.of(pid)
              .filter(p -> p.info().commandLine().orElse("").contains("org.apache.spark.deploy"))
              .ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  @Test
  void localAndClusterRunsAgree() throws Exception {
    Path traces = work.resolve("traces");
    succeed(
        "servelens", "generate", "workload", "--out", traces.toString(),
        "--rows", String.valueOf(ROWS), "--seed", "7", "--dirty-fraction", "0.002",
        "--files", "2");

    Path local = ingestAndAnalyze("local", traces, List.of("--master", "local[2]"));
    Path cluster =
        ingestAndAnalyze(
            "cluster",
            traces,
            List.of(
                "--master", masterUrl,
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=1g",
                "--conf", "spark.cores.max=2"));

    List<CSVRecord> localManifest = manifest(local);
    List<CSVRecord> clusterManifest = manifest(cluster);
    for (List<CSVRecord> manifest : List.of(localManifest, clusterManifest)) {
      assertThat(manifest).hasSize(2);
      long read = 0;
      long rejected = 0;
      for (CSVRecord row : manifest) {
        long rowsRead = Long.parseLong(row.get("rows_read"));
        long rowsKept = Long.parseLong(row.get("rows_kept"));
        long rowsRejected = Long.parseLong(row.get("rows_rejected"));
        assertThat(rowsRead)
            .as("rows read = kept + rejected for %s", row.get("source_path"))
            .isEqualTo(rowsKept + rowsRejected);
        read += rowsRead;
        rejected += rowsRejected;
      }
      assertThat(read).isEqualTo(ROWS);
      assertThat(rejected).as("rejected rows").isPositive();
    }
    assertThat(counts(clusterManifest)).isEqualTo(counts(localManifest));

    for (Map.Entry<String, List<String>> table : TABLE_KEYS.entrySet()) {
      String file = "results/workload/" + table.getKey() + ".csv";
      assertSameNumbers(
          table.getKey(), local.resolve(file), cluster.resolve(file), table.getValue());
    }

    assertThat(completedApps())
        .as("applications the standalone master ran to completion")
        .contains("servelens ingest workload", "servelens analyze workload");
  }

  @Test
  void javaOpensFileIsSparksList() throws IOException {
    List<String> listed =
        Files.readAllLines(home.resolve("submit/java-opens")).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    assertThat(listed)
        .containsExactlyElementsOf(
            Arrays.asList(JavaModuleOptions.defaultModuleOptions().split("\\s+")));
  }

  /** Ingests and analyses the traces with {@code sparkOptions}; returns the run's folder. */
  private static Path ingestAndAnalyze(String name, Path traces, List<String> sparkOptions)
      throws Exception {
    Path dir = work.resolve(name);
    String catalog = dir.resolve("catalog").toString();
    succeed(
        concat(
            "servelens",
            sparkOptions,
            "ingest", "workload", "--input", traces.toString(), "--catalog", catalog));
    String results = dir.resolve("results").toString();
    succeed(
        concat(
            "servelens",
            sparkOptions,
            "analyze", "workload", "--catalog", catalog, "--out", results));
    succeed(
        "servelens", "--master", "local[2]", "query", "--catalog", catalog,
        "--csv", dir.resolve("manifest.csv").toString(),
        "SELECT source_path, rows_read, rows_kept, rows_rejected FROM ingest_manifest"
            + " ORDER BY source_path");
    return dir;
  }

  private static List<CSVRecord> manifest(Path run) throws IOException {
    return readCsv(run.resolve("manifest.csv"));
  }

  /** The manifest's counts by file name (the runs read the same files). */
  private static Map<String, String> counts(List<CSVRecord> manifest) {
    Map<String, String> counts = new TreeMap<>();
    for (CSVRecord row : manifest) {
      String path = row.get("source_path");
      String file = path.substring(path.lastIndexOf('/') + 1);
      counts.put(
          file,
          row.get("rows_read") + " = " + row.get("rows_kept") + " + " + row.get("rows_rejected"));
    }
    return counts;
  }

  /** Same header, same keys, every cell equal: numbers within the relative tolerance. */
  private static void assertSameNumbers(String table, Path expected, Path actual, List<String> keys)
      throws IOException {
    assertThat(header(actual)).as("columns of %s", table).isEqualTo(header(expected));
    Map<List<String>, CSVRecord> expectedRows = byKey(readCsv(expected), keys);
    Map<List<String>, CSVRecord> actualRows = byKey(readCsv(actual), keys);
    assertThat(expectedRows).as("rows of %s", table).isNotEmpty();
    assertThat(actualRows.keySet()).as("keys of %s", table).isEqualTo(expectedRows.keySet());
    for (Map.Entry<List<String>, CSVRecord> row : expectedRows.entrySet()) {
      CSVRecord other = actualRows.get(row.getKey());
      for (String column : header(expected)) {
        String want = row.getValue().get(column);
        String got = other.get(column);
        if (!sameValue(want, got)) {
          fail("%s, row %s, column %s: local run has %s, cluster run %s",
              table, row.getKey(), column, want, got);
        }
      }
    }
  }

  private static boolean sameValue(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      double x = Double.parseDouble(a);
      double y = Double.parseDouble(b);
      return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Rows by their key cells, in key order; a key seen twice fails. */
  private static Map<List<String>, CSVRecord> byKey(List<CSVRecord> rows, List<String> keys) {
    Map<List<String>, CSVRecord> byKey = new TreeMap<>(ClusterPipelineIT::compareKeys);
    for (CSVRecord row : rows) {
      List<String> key = keys.stream().map(row::get).toList();
      assertThat(byKey.put(key, row)).as("rows with key %s", key).isNull();
    }
    return byKey;
  }

  private static int compareKeys(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static List<String> header(Path csv) throws IOException {
    try (Stream<String> lines = Files.lines(csv)) {
      return Arrays.asList(lines.findFirst().orElse("").split(","));
    }
  }

  private static List<CSVRecord> readCsv(Path csv) throws IOException {
    assertThat(csv).exists();
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser parser =
            CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
      return parser.getRecords();
    }
  }

  /** Names of the applications in the master's completed list, from its JSON status. */
  private static List<String> completedApps() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode status = new ObjectMapper().readTree(response.body());
    List<String> names = new ArrayList<>();
    for (JsonNode app : status.path("completedapps")) {
      if ("FINISHED".equals(app.path("state").asText())) {
        names.add(app.path("name").asText());
      }
    }
    return names;
  }

  /** Runs a submit/ script and fails, showing its output's tail, unless it exits 0. */
  private static Path succeed(String... command) throws Exception {
    Result result = run(command);
    if (result.exitCode != 0) {
      fail("%s exited with %s%n%s", String.join(" ", command),
          result.exitCode < 0 ? "a timeout after " + COMMAND_TIMEOUT : result.exitCode,
          result.tails());
    }
    return result.stdout;
  }

  /**
   * Runs {@code submit/<command[0]> command[1..]} with bash in the project folder, stdout and
   * stderr to files in the temporary folder; exit code -1 after a timeout.
   */
  private static Result run(String... command) throws Exception {
    commands++;
    String name = String.format("%02d-%s", commands, command[0]);
    Path stdout = work.resolve("logs").resolve(name + ".out");
    Path stderr = work.resolve("logs").resolve(name + ".err");
    Files.createDirectories(stdout.getParent());
    ProcessBuilder builder = SubmitScript.builder(home, command[0],
            Arrays.asList(command).subList(1, command.length))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    builder.environment().put("SERVELENS_DRIVER_MEMORY", "2g"); // lean drivers
    long started = System.nanoTime();
    Process process = builder.start();
    boolean finished = SubmitScript.await(process, COMMAND_TIMEOUT);
    System.out.printf(
        "ClusterPipelineIT: %s (%s) took %d s%n",
        name,
        String.join(" ", command),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    return new Result(finished ? process.exitValue() : -1, stdout, stderr);
  }

  private record Result(int exitCode, Path stdout, Path stderr) {
    String tails() throws IOException {
      return "--- stdout (end) ---\n" + tail(stdout) + "--- stderr (end) ---\n" + tail(stderr)
          + clusterLogTails();
    }
  }

  /** The end of the daemons' logs, for failures on the cluster. */
  private static String clusterLogTails() throws IOException {
    StringBuilder text = new StringBuilder();
    for (String log : List.of("master.log", "worker.log")) {
      Path file = clusterDir.resolve("logs").resolve(log);
      if (Files.exists(file)) {
        text.append("--- ").append(log).append(" (end) ---\n").append(tail(file));
      }
    }
    return text.toString();
  }

  private static String tail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "(none)\n";
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).stream()
        .map(l -> l + "\n")
        .collect(Collectors.joining());
  }

  private static String[] concat(String script, List<String> options, String... args) {
    List<String> all = new ArrayList<>();
    all.add(script);
    all.addAll(options);
    all.addAll(Arrays.asList(args));
    return all.toArray(String[]::new);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean javaAvailable() {
    String javaHome = System.getenv("JAVA_HOME");
    return (javaHome != null && Files.isExecutable(Path.of(javaHome, "bin", "java")))
        || executableOnPath("java");
  }

  private static boolean executableOnPath(String program) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
