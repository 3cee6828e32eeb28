package dev.servelens.catalog;

import dev.servelens.io.DriverRows;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ingest's output before it is visible: tables written under {@code _staging/<id>/}. On
 * commit a marker is written first, then every data file is moved into its table, the manifest
 * last. Readers of the manifest therefore never see a file as ingested before its rows are in
 * place, and {@link Catalog#recover()} can finish any commit that has its marker.
 */
public final class StagedBatch {
  private static final Logger LOG = LoggerFactory.getLogger(StagedBatch.class);
  static final String COMMITTING_MARKER = "_COMMITTING";
  private static final String SCRATCH = "_scratch";

  private final Catalog catalog;
  private final SparkSession spark;
  private final String id;
  private final Path dir;

  StagedBatch(Catalog catalog, SparkSession spark, String id, Path dir) {
    this.catalog = catalog;
    this.spark = spark;
    this.id = id;
    this.dir = dir;
  }

  public String id() {
    return id;
  }

  /** Where a job writes the batch's part of {@code table}. */
  public String tablePath(String table) {
    return new Path(dir, table).toString();
  }

  /**
   * A place for an ingest's intermediate data (parsed rows read back several times), inside the
   * batch but never moved into the catalog: it goes when the batch is committed or aborted.
   */
  public String scratchPath(String name) {
    return new Path(new Path(dir, SCRATCH), name).toString();
  }

  /** Writes the manifest rows of this batch (one per source file). */
  public void writeManifest(List<ManifestEntry> entries) {
    List<Row> rows = new ArrayList<>();
    for (ManifestEntry entry : entries) {
      rows.add(entry.toRow());
    }
    DriverRows.of(spark, rows, ManifestEntry.SCHEMA)
        .write()
        .parquet(tablePath(Catalog.MANIFEST_TABLE));
  }

  /**
   * Writes one manifest row of {@code family} per file of {@code files}, with its kept and
   * rejected rows from {@code counts} (read = kept + rejected), then makes the batch visible.
   */
  public void commit(String family, List<SourceFile> files, ParseCounts counts,
      long ingestedAtMillis) {
    List<ManifestEntry> entries = new ArrayList<>();
    for (SourceFile file : files) {
      long kept = counts.kept(file.path());
      long rejected = counts.rejected(file.path());
      entries.add(new ManifestEntry(family, file.path(), file.sizeBytes(),
          file.modifiedAtMillis(), kept + rejected, kept, rejected, ingestedAtMillis, id));
      LOG.debug("{}: read {} = kept {} + rejected {}", file.path(), kept + rejected, kept,
          rejected);
    }
    writeManifest(entries);
    commit();
  }

  /** Makes the batch visible. */
  public void commit() {
    FileSystem fs = catalog.fileSystem();
    try {
      fs.create(new Path(dir, COMMITTING_MARKER), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start commit of batch " + id, e);
    }
    moveAll();
  }

  /** Discards the batch. */
  public void abort() {
    try {
      catalog.fileSystem().delete(dir, true);
    } catch (IOException e) {
      LOG.warn("Could not remove staged batch {}: {}", dir, e.getMessage());
    }
  }

  boolean isCommitting() throws IOException {
    return catalog.fileSystem().exists(new Path(dir, COMMITTING_MARKER));
  }

  /** Moves every staged data file into its table, the manifest last; idempotent. */
  void moveAll() {
    FileSystem fs = catalog.fileSystem();
    try {
      List<String> tables = new ArrayList<>();
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (status.isDirectory() && !name.equals(Catalog.MANIFEST_TABLE)
            && !name.equals(SCRATCH)) {
          tables.add(name);
        }
      }
      tables.sort(String::compareTo);
      tables.add(Catalog.MANIFEST_TABLE);
      for (String table : tables) {
        moveTree(fs, new Path(dir, table), new Path(catalog.rootPath(), table));
      }
      fs.delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit batch " + id + ": " + e.getMessage(), e);
    }
  }

  private static void moveTree(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.exists(from)) {
      return;
    }
    for (FileStatus status : fs.listStatus(from)) {
      String name = status.getPath().getName();
      if (status.isDirectory()) {
        moveTree(fs, status.getPath(), new Path(to, name));
      } else if (!name.startsWith("_") && !name.startsWith(".")) {
        fs.mkdirs(to);
        Path target = new Path(to, name);
        if (!fs.rename(status.getPath(), target)) {
          throw new IOException("cannot move " + status.getPath() + " to " + target);
        }
      }
    }
  }
}
