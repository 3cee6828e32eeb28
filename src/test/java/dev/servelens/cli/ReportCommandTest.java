package dev.servelens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.CommandRun;
import dev.servelens.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code servelens report} through the command line: its output, exit codes and help. */
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

  @Test
  void reportOverAFigureWithoutACatalog() throws Exception {
    Path figures = Files.createDirectories(temp.resolve("out/workload/figures"));
    Files.copy(Path.of("src/test/resources/FiguresTest/workload/figures/requests_per_day.csv"),
        figures.resolve("requests_per_day.csv"));
    assertThat(Main.execute("report", "--catalog", temp.resolve("no-catalog").toString(),
        "--out", temp.resolve("out").toString())).isZero();
    String html = Files.readString(temp.resolve("out/index.html"));
    assertThat(html).contains("The catalog has no ingest manifest.",
        "The catalog has no rejects table.", "<img src=\"workload/figures/requests_per_day.svg\"");
    assertThat(figures.resolve("requests_per_day.svg")).exists();
  }

  @Test
  void exitCodesAndHelp() {
    CommandRun noOut = CommandRun.of("report", "--catalog", "c");
    assertThat(noOut.code()).isEqualTo(2);
    assertThat(noOut.err()).contains("Missing required option", "--out");
    CommandRun noRows = CommandRun.of("report", "--catalog", "c", "--out", "o", "--rows", "0");
    assertThat(noRows.code()).isEqualTo(2);
    assertThat(noRows.err()).contains("--rows");
    CommandRun absent = CommandRun.of("report", "--catalog", "c", "--out",
        temp.resolve("absent").toString());
    assertThat(absent.code()).isEqualTo(1);
    assertThat(absent.err()).contains("absent does not exist");
    String help = new CommandLine(Main.class).getSubcommands().get("report").getUsageMessage();
    assertThat(help).contains("--catalog", "--out", "--tps-per-user-cutoff", "Examples:");
  }
}
