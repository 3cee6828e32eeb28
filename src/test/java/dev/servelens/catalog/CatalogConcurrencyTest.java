package dev.servelens.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two writers and readers of one catalog, with the interleavings forced through the commit
 * steps' hook: every source file's rows are published once, a reader sees a batch whole or not
 * at all, and a command reads one version from its first read to its end.
 */
class CatalogConcurrencyTest {
  private static final String FILE = "file:/in/day1.csv";

  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void noHook() {
    CommitStep.install((step, subject) -> {});
    threads.shutdownNow();
  }

  /** A staged batch and the manifest row it commits. */
  private record Plan(StagedBatch batch, ManifestEntry entry) {
    void commit() {
      batch.commit("test", List.of(entry));
    }

    String id() {
      return batch.id();
    }
  }

  /** A batch of {@code rows} numbers in table "numbers" for source {@code source}, planned. */
  private Plan planned(Catalog catalog, String source, int rows) {
    assertThat(catalog.manifest("test")).doesNotContainKey(source); // the plan
    StagedBatch batch = catalog.stage("test");
    spark.range(0, rows, 1, 2).toDF("id").write().parquet(batch.tablePath("numbers"));
    return new Plan(batch, new ManifestEntry("test", source, 10, 1000, rows, rows, 0, 2000,
        batch.id()));
  }

  private long rows() {
    return new Catalog(spark, temp.toString()).table("numbers").map(t -> t.count()).orElse(0L);
  }

  private long manifestRows() {
    return new Catalog(spark, temp.toString()).table(Catalog.MANIFEST_TABLE)
        .map(t -> t.count()).orElse(0L);
  }

  @Test
  void aFileCommittedByAnotherBatchAfterThePlanIsNotPublishedTwice() {
    Plan first = planned(new Catalog(spark, temp.toString()), FILE, 100);
    Plan second = planned(new Catalog(spark, temp.toString()), FILE, 100);
    second.commit();
    assertThatThrownBy(first::commit)
        .isInstanceOf(CommitConflictException.class)
        .hasMessageContaining(FILE)
        .hasMessageContaining("run the ingest again");
    assertThat(rows()).isEqualTo(100);
    assertThat(manifestRows()).isEqualTo(1);
    assertThat(temp.resolve(Catalog.STAGING).toFile().list()).isEmpty();
  }

  @Test
  void batchesOfDifferentFilesBothCommit() {
    Plan first = planned(new Catalog(spark, temp.toString()), FILE, 100);
    Plan second = planned(new Catalog(spark, temp.toString()), "file:/in/day2.csv", 30);
    second.commit();
    first.commit();
    assertThat(rows()).isEqualTo(130);
    assertThat(manifestRows()).isEqualTo(2);
  }

  /**
   * Writer A stops at {@code step} of its commit; writer B, which planned before A committed,
   * commits meanwhile. B must wait for A's lock and then find the file taken.
   */
  @ParameterizedTest
  @EnumSource(value = CommitStep.class, names = {"LOCKED", "CHECKED", "MARKED", "MOVED_TABLE",
      "RECORDED", "UNSTAGED"})
  void aSecondWriterWaitsForTheCommitInProgressAndThenFindsTheFileTaken(CommitStep step)
      throws Exception {
    Plan a = planned(new Catalog(spark, temp.toString()), FILE, 100);
    Plan b = planned(new Catalog(spark, temp.toString()), FILE, 100);
    CountDownLatch aStopped = new CountDownLatch(1);
    CountDownLatch bWaits = new CountDownLatch(1);
    CommitStep.install((reached, subject) -> {
      if (reached == step && subject.equals(a.id()) && aStopped.getCount() > 0) {
        aStopped.countDown();
        await(bWaits);
      }
      if (reached == CommitStep.WAITING && subject.contains(b.id())) {
        bWaits.countDown();
      }
    });
    Future<?> aCommit = threads.submit(() -> a.commit());
    await(aStopped);
    Future<?> bCommit = threads.submit(() -> b.commit());
    aCommit.get(60, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bCommit.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CommitConflictException.class);
    assertThat(rows()).isEqualTo(100);
    assertThat(manifestRows()).isEqualTo(1);
  }

  /**
   * A commit killed at {@code step} (the process gone, its lock left behind): the next writer
   * finishes it if it was marked, removes it if not, and either way the file's rows end up in
   * the catalog once when that writer commits its own batch of the same file.
   */
  @ParameterizedTest
  @EnumSource(value = CommitStep.class, names = {"LOCKED", "CHECKED", "MARKED", "MOVED_TABLE",
      "RECORDED", "UNSTAGED"})
  void aCommitKilledAtAnyStepIsFinishedOrDroppedAndNeverDoubled(CommitStep step)
      throws Exception {
    Plan killed = planned(new Catalog(spark, temp.toString()), FILE, 100);
    CommitStep.install((reached, subject) -> {
      if (reached == step && subject.equals(killed.id())) {
        throw new Killed();
      }
    });
    assertThatThrownBy(killed::commit).isInstanceOf(Killed.class);
    CommitStep.install((reached, subject) -> {});
    DeadOwners.killOwners(temp, DeadOwners.exitedPid(), true);

    boolean published = step.compareTo(CommitStep.MARKED) >= 0;
    Catalog next = new Catalog(spark, temp.toString());
    next.recover();
    assertThat(rows()).isEqualTo(published ? 100 : 0);
    assertThat(manifestRows()).isEqualTo(published ? 1 : 0);
    assertThat(temp.resolve(Catalog.STAGING).toFile().list()).isEmpty();
    assertThat(Files.exists(temp.resolve(Catalog.LOCK))).isFalse();

    Catalog rerun = new Catalog(spark, temp.toString());
    if (!rerun.manifest("test").containsKey(FILE)) {
      planned(rerun, FILE, 100).commit();
    }
    assertThat(rows()).isEqualTo(100);
    assertThat(manifestRows()).isEqualTo(1);
    assertThat(new Catalog(spark, temp.toString()).version()).isEqualTo(1);
  }

  /**
   * A reader that finds the lock of a commit whose process died half way through its moves
   * finishes that commit and reads it whole, rather than waiting for a dead process.
   */
  @Test
  void aReaderFinishesACommitWhoseWriterDied() throws Exception {
    Plan killed = planned(new Catalog(spark, temp.toString()), FILE, 100);
    CommitStep.install((reached, subject) -> {
      if (reached == CommitStep.MOVED_TABLE && subject.equals(killed.id())) {
        throw new Killed(); // "numbers" moved, the manifest not
      }
    });
    assertThatThrownBy(killed::commit).isInstanceOf(Killed.class);
    CommitStep.install((reached, subject) -> {});
    DeadOwners.killOwners(temp, DeadOwners.exitedPid(), true);
    Catalog reader = new Catalog(spark, temp.toString());
    assertThat(reader.table("numbers").orElseThrow().count()).isEqualTo(100);
    assertThat(reader.manifest("test")).containsOnlyKeys(FILE);
    assertThat(Files.exists(temp.resolve(Catalog.LOCK))).isFalse();
  }

  @Test
  void aLiveWritersStagedBatchSurvivesRecoveryAndADeadOnesGoes() throws Exception {
    planned(new Catalog(spark, temp.toString()), FILE, 10);
    new Catalog(spark, temp.toString()).recover();
    assertThat(temp.resolve(Catalog.STAGING).toFile().list()).hasSize(1);
    DeadOwners.killOwners(temp, DeadOwners.exitedPid(), false);
    new Catalog(spark, temp.toString()).recover();
    assertThat(temp.resolve(Catalog.STAGING).toFile().list()).isEmpty();
  }

  /**
   * A kill while a batch is created, before its owner file is written, leaves a hidden folder
   * whose name gives its creator: gone once that process is dead, kept while it lives.
   */
  @Test
  void aBatchKilledBeforeItsOwnerFileIsJudgedByItsHiddenName() throws Exception {
    Path staging = temp.resolve(Catalog.STAGING);
    ProcessOwner me = ProcessOwner.current("test");
    Path alive = staging.resolve(".test-1-aaaa~" + me.host() + "~" + me.pid() + "~"
        + me.startedAtMillis());
    Path dead = staging.resolve(".test-2-bbbb~" + me.host() + "~" + DeadOwners.exitedPid()
        + "~1");
    Files.createDirectories(alive);
    Files.createDirectories(dead);
    new Catalog(spark, temp.toString()).recover();
    assertThat(staging.toFile().list()).containsExactly(alive.getFileName().toString());
    assertThat(StagedBatch.pendingOwner(dead.getFileName().toString())).isPresent();
    assertThat(StagedBatch.pendingOwner(".test-3-cccc")).isEmpty();
  }

  @Test
  void aReaderWaitsForTheCommitInProgressAndSeesItWhole() throws Exception {
    planned(new Catalog(spark, temp.toString()), "file:/in/day0.csv", 40).commit();
    Plan a = planned(new Catalog(spark, temp.toString()), FILE, 100);
    CountDownLatch aHalfMoved = new CountDownLatch(1);
    CountDownLatch readerWaits = new CountDownLatch(1);
    CommitStep.install((reached, subject) -> {
      if (reached == CommitStep.MOVED_TABLE && subject.equals(a.id())
          && aHalfMoved.getCount() > 0) {
        aHalfMoved.countDown(); // "numbers" moved, the manifest not yet
        await(readerWaits);
      }
      if (reached == CommitStep.WAITING && subject.startsWith("read of")) {
        readerWaits.countDown();
      }
    });
    Future<?> commit = threads.submit(() -> a.commit());
    await(aHalfMoved);
    CompletableFuture<long[]> read = CompletableFuture.supplyAsync(() -> {
      Catalog reader = new Catalog(spark, temp.toString());
      return new long[] {reader.table("numbers").orElseThrow().count(),
          reader.manifest("test").size()};
    }, threads);
    commit.get(60, TimeUnit.SECONDS);
    assertThat(read.get(60, TimeUnit.SECONDS)).containsExactly(140, 2);
  }

  @Test
  void aCommandReadsTheVersionOfItsFirstReadToItsEnd() throws IOException {
    planned(new Catalog(spark, temp.toString()), "file:/in/day0.csv", 40).commit();
    Catalog reader = new Catalog(spark, temp.toString());
    assertThat(reader.table("numbers").orElseThrow().count()).isEqualTo(40);
    planned(new Catalog(spark, temp.toString()), FILE, 100).commit();
    assertThat(reader.table("numbers").orElseThrow().count()).isEqualTo(40);
    assertThat(reader.manifest("test")).containsOnlyKeys("file:/in/day0.csv");
    assertThat(new Catalog(spark, temp.toString()).table("numbers").orElseThrow().count())
        .isEqualTo(140);
    assertThat(new Catalog(spark, temp.toString()).version()).isEqualTo(2);
  }

  @Test
  void aLockWhoseHolderDiedIsBrokenAndOneHeldTooLongIsReported() throws Exception {
    DeadOwners.killOwners(temp, DeadOwners.exitedPid(), true);
    planned(new Catalog(spark, temp.toString()), FILE, 10).commit();
    assertThat(rows()).isEqualTo(10);

    LockSettings impatient = new LockSettings(300, 600_000);
    try (CatalogLock held = CatalogLock.acquire(new Catalog(spark, temp.toString())
        .fileSystem(), new org.apache.hadoop.fs.Path(temp.toString(), Catalog.LOCK), "test",
        impatient)) {
      assertThatThrownBy(() -> CatalogLock.acquire(new Catalog(spark, temp.toString())
          .fileSystem(), new org.apache.hadoop.fs.Path(temp.toString(), Catalog.LOCK),
          "second", impatient))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is held by test")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }
    assertThat(Files.exists(temp.resolve(Catalog.LOCK))).isFalse();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other side never came");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A crash at a commit step: an Error, which no catch-Exception cleanup handles. */
  private static final class Killed extends Error {}
}
