package dev.servelens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servelens report} through the command line: output, exit codes, help. */
class ReportCommandTest {
  @TempDir Path temp;

  @BeforeAll
  static void shareTheTestSession() {
    SparkSessions.share(SharedSpark.session());
  }

  @AfterAll
  static void unshare() {
    SparkSessions.unshare();
  }

  /** Runs the command line; returns the exit code and what it printed on both streams. */
  private static String[] run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void reportOverAFigureWithoutACatalog() throws Exception {
    Path figures = Files.createDirectories(temp.resolve("out/workload/figures"));
    Files.copy(Path.of("src/test/resources/FiguresTest/workload/figures/requests_per_day.csv"),
        figures.resolve("requests_per_day.csv"));
    String[] result = run("report", "--catalog", temp.resolve("no-catalog").toString(), "--out",
        temp.resolve("out").toString());
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).contains("index.html (1 families, 0 tables, 1 figures, 1 rendered now)");
    String html = Files.readString(temp.resolve("out/index.html"));
    assertThat(html).contains("The catalog has no ingest manifest.",
        "The catalog has no rejects table.", "<img src=\"workload/figures/requests_per_day.svg\"");
    assertThat(figures.resolve("requests_per_day.svg")).exists();
  }

  @Test
  void exitCodesAndHelp() {
    assertThat(run("report", "--catalog", "c")[0]).isEqualTo("2");
    String[] missing = run("report", "--catalog", "c", "--out",
        temp.resolve("absent").toString());
    assertThat(missing[0]).isEqualTo("1");
    assertThat(missing[2]).contains("does not exist: run 'servelens analyze ...'");
    String[] help = run("report", "--help");
    assertThat(help[0]).isEqualTo("0");
    assertThat(help[1]).contains("--catalog", "--out", "--tps-per-user-cutoff", "Examples:");
  }
}
