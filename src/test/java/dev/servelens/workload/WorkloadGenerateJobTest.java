package dev.servelens.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates small traces with {@link WorkloadGenerateJob} on the shared local session and checks
 * them with a parser of its own (plain splitting and java.time), independent of the generator.
 */
class WorkloadGenerateJobTest {

  private static final String HEADER =
      "user_id,model_id,input_tokens,output_tokens,started_at,completed_at,ttft,duration";
  private static final long ROWS = 20_000;
  private static final Instant SPAN_START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant SPAN_END = Instant.parse("2025-01-31T00:00:00Z");

  @TempDir static Path sharedDir;

  private static SparkSession spark;
  private static WorkloadGenerateJob.GenerateSummary cleanSummary;
  private static Path cleanDir;
  private static List<Request> cleanRequests;

  /** One parsed data line. */
  private record Request(
      String user,
      String model,
      long input,
      long output,
      Instant started,
      Instant completed,
      double ttft,
      double duration) {}

  /** The data lines of one file and whether the file ends with a newline. */
  private record FileLines(String header, List<String> lines, boolean endsWithNewline) {}

  @BeforeAll
  static void generateCleanTrace() throws IOException {
    spark = SharedSpark.session();
    cleanDir = sharedDir.resolve("clean");
    cleanSummary = WorkloadGenerateJob.run(spark, options(cleanDir, ROWS));
    cleanRequests = new ArrayList<>();
    for (Path file : csvFiles(cleanDir)) {
      for (String line : read(file).lines()) {
        cleanRequests.add(parse(line, "iso"));
      }
    }
  }

  @Test
  void writesOnlyNumberedCsvFilesEachStartingWithTheHeader() throws IOException {
    assertThat(fileNames(cleanDir)).containsExactly("workload-00000.csv", "workload-00001.csv");
    assertThat(cleanSummary.files()).isEqualTo(2);
    assertThat(cleanSummary.outputPath()).endsWith("clean");
    for (Path file : csvFiles(cleanDir)) {
      FileLines content = read(file);
      assertThat(content.header()).isEqualTo(HEADER);
      assertThat(content.endsWithNewline()).isTrue();
      for (String line : content.lines()) {
        assertThat(line.split(",", -1)).hasSize(8);
        assertThat(problem(line, "iso")).as(line).isNull();
      }
    }
  }

  @Test
  void writesExactlyTheRequestedRows() throws IOException {
    assertThat(cleanRequests).hasSize((int) ROWS);
    assertThat(cleanSummary.rows()).isEqualTo(ROWS);
    assertThat(cleanSummary.dirtyRows()).isZero();

    Path dir = sharedDir.resolve("three-files");
    WorkloadGenerateOptions options = options(dir, 12_345);
    options.files = 3;
    WorkloadGenerateJob.GenerateSummary summary = WorkloadGenerateJob.run(spark, options);
    assertThat(summary.files()).isEqualTo(3);
    assertThat(summary.rows()).isEqualTo(12_345);
    long lines = 0;
    for (Path file : csvFiles(dir)) {
      lines += read(file).lines().size();
    }
    assertThat(fileNames(dir)).hasSize(3);
    assertThat(lines).isEqualTo(12_345);
  }

  @Test
  void startsEveryRequestWithinTheSpanAndCompletesItAfterItsDuration() {
    for (Request request : cleanRequests) {
      assertThat(request.started()).isBetween(SPAN_START, SPAN_END.minusMillis(1));
      long elapsedMs = request.completed().toEpochMilli() - request.started().toEpochMilli();
      assertThat(elapsedMs).isCloseTo(Math.round(request.duration() * 1000), Offset.offset(1L));
      assertThat(request.ttft()).isPositive().isLessThanOrEqualTo(request.duration());
      assertThat(request.input()).isPositive();
      assertThat(request.output()).isPositive();
    }
  }

  @Test
  void topModelHoldsBetweenThirtyAndSeventyPercentOfRequests() {
    Map<String, Long> perModel = countBy(cleanRequests, Request::model);
    long top = perModel.values().stream().mapToLong(Long::longValue).max().orElse(0);
    assertThat(top / (double) ROWS).isBetween(0.3, 0.7);
    assertThat(perModel).hasSizeGreaterThan(6);
  }

  @Test
  void requestRateFollowsTheDayAndTheWeek() {
    long[] perHour = new long[24];
    Map<Boolean, Long> weekend = new HashMap<>();
    for (Request request : cleanRequests) {
      ZonedDateTime time = request.started().atZone(ZoneOffset.UTC);
      perHour[time.getHour()]++;
      weekend.merge(time.getDayOfWeek().getValue() >= 6, 1L, Long::sum);
    }
    double afternoon = Arrays.stream(perHour, 13, 18).average().orElse(0);
    double night = Arrays.stream(perHour, 1, 6).average().orElse(0);
    assertThat(afternoon).isGreaterThan(2.0 * night);
    // January 2025 from the 1st to the 30th: 8 weekend days, 22 weekdays.
    double weekendPerDay = weekend.get(true) / 8.0;
    double weekdayPerDay = weekend.get(false) / 22.0;
    assertThat(weekendPerDay).isLessThan(0.85 * weekdayPerDay);
  }

  @Test
  void usersAreHeavyTailedAndMostStickToOneModel() {
    Map<String, Long> perUser = countBy(cleanRequests, Request::user);
    long[] sorted = perUser.values().stream().mapToLong(Long::longValue).sorted().toArray();
    assertThat(sorted[sorted.length - 1]).isGreaterThan(10 * sorted[sorted.length / 2]);

    Map<String, Set<String>> modelsPerUser = new HashMap<>();
    for (Request request : cleanRequests) {
      modelsPerUser.computeIfAbsent(request.user(), user -> new HashSet<>()).add(request.model());
    }
    long singleModel = modelsPerUser.values().stream().filter(models -> models.size() == 1).count();
    int most = modelsPerUser.values().stream().mapToInt(Set::size).max().orElse(0);
    assertThat(singleModel / (double) modelsPerUser.size()).isGreaterThan(0.4);
    assertThat(most).isGreaterThanOrEqualTo(3);
    assertThat(modelsPerUser.keySet()).allMatch(user -> user.matches("u\\d{6}"));
  }

  @Test
  void burstsSendTensOfRequestsWithinSecondsSomeInTheSameMillisecond() {
    Map<String, List<Long>> startsPerUserAndModel = new HashMap<>();
    for (Request request : cleanRequests) {
      startsPerUserAndModel
          .computeIfAbsent(request.user() + "|" + request.model(), key -> new ArrayList<>())
          .add(request.started().toEpochMilli());
    }
    int densest = 0;
    for (List<Long> starts : startsPerUserAndModel.values()) {
      starts.sort(null);
      for (int first = 0, last = 0; last < starts.size(); last++) {
        while (starts.get(last) - starts.get(first) > 5_000) {
          first++;
        }
        densest = Math.max(densest, last - first + 1);
      }
    }
    assertThat(densest).isGreaterThanOrEqualTo(10);

    long ties = 0;
    for (int i = 1; i < cleanRequests.size(); i++) {
      ties += cleanRequests.get(i).started().equals(cleanRequests.get(i - 1).started()) ? 1 : 0;
    }
    assertThat(ties).isPositive();
  }

  @Test
  void sameOptionsGiveByteIdenticalFiles() throws IOException {
    Path first = sharedDir.resolve("first");
    Path second = sharedDir.resolve("second");
    for (Path dir : List.of(first, second)) {
      WorkloadGenerateOptions options = options(dir, 5_000);
      options.files = 3;
      options.dirtyFraction = 0.01;
      WorkloadGenerateJob.run(spark, options);
    }
    assertThat(fileNames(first)).hasSize(3).isEqualTo(fileNames(second));
    for (String name : fileNames(first)) {
      assertThat(Files.readAllBytes(first.resolve(name)))
          .isNotEmpty()
          .isEqualTo(Files.readAllBytes(second.resolve(name)));
    }
  }

  @Test
  void dirtyRowsAreVariedAndCountedExactly() throws IOException {
    Path dir = sharedDir.resolve("dirty");
    WorkloadGenerateOptions options = options(dir, ROWS);
    options.dirtyFraction = 0.01;
    WorkloadGenerateJob.GenerateSummary summary = WorkloadGenerateJob.run(spark, options);

    List<Path> files = csvFiles(dir);
    long lines = 0;
    long malformed = 0;
    Set<String> reasons = new TreeSet<>();
    for (Path file : files) {
      FileLines content = read(file);
      assertThat(content.header()).isEqualTo(HEADER);
      for (String line : content.lines()) {
        String problem = problem(line, "iso");
        lines++;
        if (problem != null) {
          malformed++;
          reasons.add(problem);
        }
      }
    }
    assertThat(lines).isEqualTo(ROWS);
    assertThat(summary.rows()).isEqualTo(ROWS);
    assertThat(malformed).isEqualTo(summary.dirtyRows()).isBetween(150L, 250L);
    assertThat(reasons)
        .containsExactlyInAnyOrder(
            "empty fields",
            "column count",
            "non-numeric tokens",
            "negative tokens",
            "bad timestamp",
            "completed before started");

    FileLines last = read(files.get(files.size() - 1));
    assertThat(last.endsWithNewline()).isFalse();
    String finalLine = last.lines().get(last.lines().size() - 1);
    assertThat(problem(finalLine, "iso")).isEqualTo("column count");
    assertThat(finalLine.split(",", -1).length).isLessThan(8);
    assertThat(read(files.get(0)).endsWithNewline()).isTrue();
  }

  @Test
  void handlesAnEmptyTraceAndAFullyDirtyOne() throws IOException {
    Path empty = sharedDir.resolve("empty");
    WorkloadGenerateJob.GenerateSummary none = WorkloadGenerateJob.run(spark, options(empty, 0));
    assertThat(none.files()).isEqualTo(1);
    assertThat(none.rows()).isZero();
    FileLines onlyHeader = read(empty.resolve("workload-00000.csv"));
    assertThat(onlyHeader.header()).isEqualTo(HEADER);
    assertThat(onlyHeader.lines()).isEmpty();

    Path allDirty = sharedDir.resolve("all-dirty");
    WorkloadGenerateOptions options = options(allDirty, 5);
    options.dirtyFraction = 1.0;
    WorkloadGenerateJob.GenerateSummary dirty = WorkloadGenerateJob.run(spark, options);
    assertThat(dirty.dirtyRows()).isEqualTo(5);
    List<String> lines = new ArrayList<>();
    for (Path file : csvFiles(allDirty)) {
      lines.addAll(read(file).lines());
    }
    assertThat(lines).hasSize(5).allMatch(line -> problem(line, "iso") != null);
  }

  @Test
  void writesSpaceAndEpochMillisecondTimestamps() throws IOException {
    for (String style : List.of("space", "epoch-ms")) {
      Path dir = sharedDir.resolve("style-" + style);
      WorkloadGenerateOptions options = options(dir, 500);
      options.timestampFormat = style;
      WorkloadGenerateJob.run(spark, options);
      List<String> lines = new ArrayList<>();
      for (Path file : csvFiles(dir)) {
        lines.addAll(read(file).lines());
      }
      assertThat(lines).hasSize(500);
      for (String line : lines) {
        assertThat(problem(line, style)).as(line).isNull();
        Request request = parse(line, style);
        assertThat(request.started()).isBetween(SPAN_START, SPAN_END.minusMillis(1));
      }
      String started = lines.get(0).split(",")[4];
      assertThat(started)
          .matches(
              style.equals("space")
                  ? "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
                  : "\\d{13}");
    }
  }

  @Test
  void rejectsInvalidOptionsAndANonEmptyOutputDirectory() throws IOException {
    WorkloadGenerateOptions negativeRows = options(sharedDir.resolve("never"), -1);
    assertThatThrownBy(() -> WorkloadGenerateJob.run(spark, negativeRows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rows");
    WorkloadGenerateOptions badStyle = options(sharedDir.resolve("never"), 10);
    badStyle.timestampFormat = "rfc";
    assertThatThrownBy(() -> WorkloadGenerateJob.run(spark, badStyle))
        .hasMessageContaining("timestampFormat");
    WorkloadGenerateOptions tooManyModels = options(sharedDir.resolve("never"), 10);
    tooManyModels.models = 99;
    assertThatThrownBy(() -> WorkloadGenerateJob.run(spark, tooManyModels))
        .hasMessageContaining("models");

    Path occupied = Files.createDirectories(sharedDir.resolve("occupied"));
    Files.writeString(occupied.resolve("keep.txt"), "mine");
    assertThatThrownBy(() -> WorkloadGenerateJob.run(spark, options(occupied, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not empty");
    assertThat(Files.readString(occupied.resolve("keep.txt"))).isEqualTo("mine");
  }

  private static WorkloadGenerateOptions options(Path out, long rows) {
    WorkloadGenerateOptions options = new WorkloadGenerateOptions();
    options.out = out.toString();
    options.rows = rows;
    return options;
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(path -> path.getFileName().toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<Path> csvFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String name : fileNames(dir)) {
      files.add(dir.resolve(name));
    }
    return files;
  }

  private static FileLines read(Path file) throws IOException {
    String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(Arrays.asList(content.split("\n", -1)));
    boolean endsWithNewline = content.endsWith("\n");
    if (endsWithNewline) {
      lines.remove(lines.size() - 1);
    }
    String header = lines.remove(0);
    return new FileLines(header, lines, endsWithNewline);
  }

  private static <K> Map<K, Long> countBy(List<Request> requests, Function<Request, K> key) {
    return requests.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  /** Why a data line is malformed, or null when it is a valid request. */
  private static String problem(String line, String style) {
    if (!line.isEmpty() && line.replace(",", "").isEmpty()) {
      return "empty fields";
    }
    String[] fields = line.split(",", -1);
    if (fields.length != 8) {
      return "column count";
    }
    long input;
    long output;
    try {
      input = Long.parseLong(fields[2]);
      output = Long.parseLong(fields[3]);
    } catch (NumberFormatException e) {
      return "non-numeric tokens";
    }
    if (input < 0 || output < 0) {
      return "negative tokens";
    }
    Instant started;
    Instant completed;
    try {
      started = timestamp(fields[4], style);
      completed = timestamp(fields[5], style);
    } catch (DateTimeParseException | NumberFormatException e) {
      return "bad timestamp";
    }
    if (completed.isBefore(started)) {
      return "completed before started";
    }
    double ttft = Double.parseDouble(fields[6]);
    double duration = Double.parseDouble(fields[7]);
    if (input == 0 || output == 0 || ttft <= 0 || duration < ttft || fields[0].isEmpty()) {
      return "implausible values";
    }
    return null;
  }

  private static Request parse(String line, String style) {
    String[] fields = line.split(",", -1);
    return new Request(
        fields[0],
        fields[1],
        Long.parseLong(fields[2]),
        Long.parseLong(fields[3]),
        timestamp(fields[4], style),
        timestamp(fields[5], style),
        Double.parseDouble(fields[6]),
        Double.parseDouble(fields[7]));
  }

  private static Instant timestamp(String text, String style) {
    return switch (style) {
      case "iso" -> Instant.parse(text);
      case "space" -> LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      case "epoch-ms" -> Instant.ofEpochMilli(Long.parseLong(text));
      default -> throw new IllegalArgumentException(style);
    };
  }
}
