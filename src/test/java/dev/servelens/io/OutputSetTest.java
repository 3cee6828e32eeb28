package dev.servelens.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.catalog.DeadOwners;
import dev.servelens.catalog.ProcessOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A family's outputs are replaced as one set, or stay as they were. */
class OutputSetTest {
  @TempDir Path out;
  private final Configuration conf = new Configuration();

  private void previousSet() throws IOException {
    Files.createDirectories(out.resolve("workload/figures"));
    Files.writeString(out.resolve("workload/a.csv"), "old a\n");
    Files.writeString(out.resolve("workload/figures/f.csv"), "old f\n");
    Files.writeString(out.resolve("workload/only_old.csv"), "old\n");
  }

  /** An analysis writing the two files of a new set into {@code root}. */
  private static String writeNewSet(String root) {
    try {
      Path family = Path.of(root).resolve("workload");
      Files.createDirectories(family.resolve("figures"));
      Files.writeString(family.resolve("a.csv"), "new a\n");
      Files.writeString(family.resolve("figures/f.csv"), "new f\n");
      return "done";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aFinishedAnalysisReplacesTheWholeSet() throws IOException {
    previousSet();
    String result = OutputSet.replace(conf, out.toString(), "workload",
        OutputSetTest::writeNewSet);
    assertThat(result).isEqualTo("done");
    assertThat(Files.readString(out.resolve("workload/a.csv"))).isEqualTo("new a\n");
    assertThat(Files.readString(out.resolve("workload/figures/f.csv"))).isEqualTo("new f\n");
    assertThat(out.resolve("workload/only_old.csv")).doesNotExist();
    assertThat(out.toFile().list()).containsExactly("workload");
  }

  @Test
  void anAnalysisThatStopsHalfWayLeavesThePreviousSetWhole() throws IOException {
    previousSet();
    assertThatThrownBy(() -> OutputSet.replace(conf, out.toString(), "workload", staged -> {
      writeNewSet(staged);
      throw new IllegalStateException("stopped after writing half");
    })).hasMessageContaining("stopped after writing half");
    assertThat(Files.readString(out.resolve("workload/a.csv"))).isEqualTo("old a\n");
    assertThat(Files.readString(out.resolve("workload/figures/f.csv"))).isEqualTo("old f\n");
    assertThat(out.resolve("workload/only_old.csv")).exists();
    assertThat(out.toFile().list()).containsExactly("workload");
  }

  @Test
  void whatAKilledAnalysisLeavesIsPutRight() throws Exception {
    previousSet();
    // Killed between its two renames: the old set aside, no new set in place...
    Files.move(out.resolve("workload"), out.resolve(".workload.old-1234abcd"));
    // ... and killed while writing: a staging folder owned by a dead process.
    Path staging = Files.createDirectories(out.resolve(".workload.staging-dead/workload"));
    Files.writeString(staging.resolve("a.csv"), "half\n");
    Files.write(staging.getParent().resolve("_owner"),
        new ProcessOwner(ProcessOwner.current("x").host(), DeadOwners.exitedPid(), 1, "killed")
            .toBytes());

    OutputSet.restoreAll(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(
        out.toString()));
    assertThat(Files.readString(out.resolve("workload/a.csv"))).isEqualTo("old a\n");
    assertThat(out.resolve(".workload.old-1234abcd")).doesNotExist();

    OutputSet.replace(conf, out.toString(), "workload",
        staged -> writeNewSet(staged));
    assertThat(Files.readString(out.resolve("workload/a.csv"))).isEqualTo("new a\n");
    assertThat(out.toFile().list()).containsExactly("workload");
  }
}
