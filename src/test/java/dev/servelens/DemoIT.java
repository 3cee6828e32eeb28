package dev.servelens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SubmitScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code submit/servelens demo}, as a newcomer runs it (through the
 * launcher script, on the packaged jar), into a fresh folder: it ends saying where the report
 * is, and that report has every family, the catalog's manifest and rejects, and every figure
 * it shows on disk.
 */
class DemoIT {
  @TempDir Path temp;

  @Test
  void theDemoWritesAReportOfEveryFamily() throws Exception {
    Path out = temp.resolve("demo");
    Path log = temp.resolve("demo.log");
    Process demo = SubmitScript.builder(Path.of("").toAbsolutePath(), "servelens",
            List.of("demo", "--out", out.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    boolean finished = SubmitScript.await(demo, Duration.ofMinutes(10));
    String printed = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as(printed).isTrue();
    assertThat(demo.exitValue()).as(printed).isZero();

    Path index = out.resolve("results/index.html");
    assertThat(printed).contains("Done. Open the report: ").contains("results/index.html");
    assertThat(index).exists();
    String html = Files.readString(index, StandardCharsets.UTF_8);
    for (String family : List.of("workload", "kstar", "agentic", "bench")) {
      assertThat(html).contains("id=\"family-" + family + "\"");
    }
    assertThat(html).contains("id=\"ingest\"", "id=\"rejects\"", "workload_rejects");
    List<String> images = new ArrayList<>();
    Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    while (img.find()) {
      images.add(img.group(1));
    }
    assertThat(images).hasSizeGreaterThan(20);
    for (String image : images) {
      assertThat(out.resolve("results").resolve(image)).as(image).exists();
    }
    assertThat(printed).doesNotContain("figures that failed");
    assertNoStagingLeft(out.resolve("results"));
  }

  private static void assertNoStagingLeft(Path results) throws IOException {
    try (var entries = Files.list(results)) {
      assertThat(entries.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.contains(".staging-") || name.contains(".old-"));
    }
  }
}
