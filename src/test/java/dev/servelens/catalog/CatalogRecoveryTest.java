package dev.servelens.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch is invisible until committed, and a commit cut short is finished by recover(). */
class CatalogRecoveryTest {
  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  private StagedBatch stageTwoFiles(Catalog catalog) {
    StagedBatch batch = catalog.stage("test");
    spark.range(0, 100, 1, 2).toDF("id").write().parquet(batch.tablePath("numbers"));
    batch.writeManifest(List.of(new ManifestEntry("test", "file:/in/a.csv", 10, 1000, 100, 100,
        0, 2000, batch.id())));
    return batch;
  }

  private static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("part-")).toList();
    }
  }

  @Test
  void uncommittedBatchesStayInvisibleAndAreRemovedWhenTheirIngestIsGone() throws Exception {
    Catalog catalog = new Catalog(spark, temp.toString());
    stageTwoFiles(catalog);
    assertThat(catalog.hasTable("numbers")).isFalse();
    assertThat(catalog.tableNames()).isEmpty();
    DeadOwners.killOwners(temp, DeadOwners.exitedPid(), false);
    assertThat(catalog.recover()).isZero();
    assertThat(Files.exists(temp.resolve(Catalog.STAGING))).isTrue();
    assertThat(temp.resolve(Catalog.STAGING).toFile().list()).isEmpty();
  }

  @Test
  void anInterruptedCommitIsRolledForward() throws IOException {
    Catalog catalog = new Catalog(spark, temp.toString());
    StagedBatch batch = stageTwoFiles(catalog);
    // Simulate a crash after the marker and the first file's move.
    Path staged = Path.of(batch.tablePath("numbers"));
    Files.createFile(staged.getParent().resolve(StagedBatch.COMMITTING_MARKER));
    Path first = dataFiles(staged).get(0);
    Files.createDirectories(temp.resolve("numbers"));
    Files.move(first, temp.resolve("numbers").resolve(first.getFileName()));
    assertThat(new Catalog(spark, temp.toString()).manifest("test")).isEmpty();

    assertThat(new Catalog(spark, temp.toString()).recover()).isEqualTo(1);
    assertThat(spark.read().parquet(temp.resolve("numbers").toString()).count()).isEqualTo(100);
    Catalog after = new Catalog(spark, temp.toString());
    assertThat(after.manifest("test")).containsKey("file:/in/a.csv");
    assertThat(after.tableNames()).containsExactly(Catalog.MANIFEST_TABLE, "numbers");
  }

  @Test
  void aCommittedBatchIsWhole() {
    Catalog catalog = new Catalog(spark, temp.toString());
    stageTwoFiles(catalog).commit();
    assertThat(spark.read().parquet(temp.resolve("numbers").toString()).count()).isEqualTo(100);
    assertThat(catalog.manifest("test").get("file:/in/a.csv").rowsKept()).isEqualTo(100);
  }
}
