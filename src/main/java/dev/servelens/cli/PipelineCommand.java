package dev.servelens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code servelens pipeline}: runs the steps of a job definition (e.g. {@code
 * jobs/nightly.properties}) in order, in one Spark session. Each step is a servelens command
 * line; {@code ${name}} is replaced by the definition's own keys, {@code --set} values and
 * {@code ${date}} (the run date, yesterday UTC by default).
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Run a job definition: its steps (servelens command lines) in order, one Spark session.",
      "Steps are idempotent (ingest skips files it has), so a pipeline can be run twice.",
      "",
      "Definition keys: steps = NAME, NAME...; step.NAME = a servelens command line;",
      "step.NAME.if-exists = PATH (run the step only when PATH exists, else say it is skipped);",
      "require = PATH, PATH... (fail with exit code 1 before any step when one is missing)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  servelens pipeline --jobs jobs/nightly.properties --set dump=/data/dumps",
      "  servelens pipeline --jobs jobs/nightly.properties --date 2025-01-15 --dry-run"
    })
final class PipelineCommand implements Callable<Integer> {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  @Option(names = "--jobs", required = true, paramLabel = "FILE",
      description = "Job definition (.properties): keys 'steps' and 'step.NAME'.")
  Path jobs;

  @Option(names = "--date", paramLabel = "DATE",
      description = "Run date, yyyy-MM-dd (default: yesterday, UTC).")
  String date;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Overrides or adds a definition key. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--dry-run", description = "Print the steps without running them.")
  boolean dryRun;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    Map<String, String> values = load();
    values.putAll(overrides);
    values.put("date", date != null ? LocalDate.parse(date).toString()
        : LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
    String stepList = values.get("steps");
    if (stepList == null || stepList.isBlank()) {
      throw new UsageException(jobs + ": no 'steps' key");
    }
    List<Step> steps = new ArrayList<>();
    for (String name : stepList.split("[,\\s]+")) {
      String line = values.get("step." + name);
      if (line == null) {
        throw new UsageException(jobs + ": step '" + name + "' has no 'step." + name
            + "' line");
      }
      String condition = values.get("step." + name + ".if-exists");
      steps.add(new Step(name, split(substitute(line, values, name)),
          condition == null ? null : substitute(condition, values, name).trim()));
    }
    List<String> required = new ArrayList<>();
    for (String path : values.getOrDefault("require", "").split(",")) {
      if (!path.isBlank()) {
        required.add(substitute(path, values, "require").trim());
      }
    }
    if (dryRun) {
      required.forEach(path -> System.out.println("require: " + path));
      for (Step step : steps) {
        System.out.println(step.name + ": servelens " + String.join(" ", step.command)
            + (step.ifExists == null ? "" : "   (if " + step.ifExists + " exists)"));
      }
      return 0;
    }
    SparkSession session = SparkSessions.create("servelens pipeline " + jobs.getFileName(),
        spark.master, spark.conf);
    SparkSession previous = SparkSessions.share(session);
    try {
      Configuration hadoop = session.sparkContext().hadoopConfiguration();
      for (String path : required) {
        if (!exists(hadoop, path)) {
          throw new IllegalStateException("required input " + path + " does not exist ("
              + jobs + ", key 'require')");
        }
      }
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        String position = "[" + (i + 1) + "/" + steps.size() + "] " + step.name;
        if (step.ifExists != null && !exists(hadoop, step.ifExists)) {
          System.out.println(position + ": skipped, " + step.ifExists + " does not exist");
          continue;
        }
        System.out.println(position + ": servelens " + String.join(" ", step.command));
        int code = Main.execute(step.command.toArray(new String[0]));
        if (code != 0) {
          System.err.println("pipeline: step " + step.name + " failed with exit code " + code);
          return code;
        }
      }
      return 0;
    } finally {
      SparkSessions.restore(previous);
      SparkSessions.release(session);
    }
  }

  /** One step of the definition: its name, command words and optional existence condition. */
  private record Step(String name, List<String> command, String ifExists) {}

  private static boolean exists(Configuration hadoop, String path) {
    org.apache.hadoop.fs.Path hadoopPath = new org.apache.hadoop.fs.Path(path);
    try {
      return hadoopPath.getFileSystem(hadoop).exists(hadoopPath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path + ": " + e.getMessage(), e);
    }
  }

  private Map<String, String> load() {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(jobs)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UsageException("cannot read job definition " + jobs + ": " + e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames()) {
      values.put(key, properties.getProperty(key));
    }
    return values;
  }

  private String substitute(String text, Map<String, String> values, String step) {
    String result = text;
    for (int depth = 0; depth < 10 && result.contains("${"); depth++) {
      Matcher matcher = VARIABLE.matcher(result);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String value = values.get(matcher.group(1));
        if (value == null) {
          throw new UsageException(jobs + ": step " + step + " uses ${"
              + matcher.group(1) + "}, which is not defined (add it or pass --set "
              + matcher.group(1) + "=...)");
        }
        matcher.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      matcher.appendTail(out);
      result = out.toString();
    }
    return result;
  }

  /** Splits a command line on spaces, keeping single- or double-quoted words whole. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char ch : line.toCharArray()) {
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          word.append(ch);
        }
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        inWord = true;
      } else if (Character.isWhitespace(ch)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(ch);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new UsageException("unclosed quote in: " + line);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
