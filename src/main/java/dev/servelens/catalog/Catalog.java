package dev.servelens.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parquet catalog: one folder per table under a root Hadoop path, plus the ingest manifest.
 * Ingests write into a staged batch and {@link StagedBatch#commit() commit} it, so a reader
 * never sees a batch whose manifest rows are missing, and a crashed commit is finished by the
 * next {@link #recover()}.
 */
public final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  /** The manifest table: one row per ingested source file. */
  public static final String MANIFEST_TABLE = "ingest_manifest";

  static final String STAGING = "_staging";

  private final SparkSession spark;
  private final Path root;
  private final FileSystem fs;

  public Catalog(SparkSession spark, String root) {
    this.spark = spark;
    this.root = new Path(root);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      this.fs = this.root.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open catalog " + root + ": " + e.getMessage(), e);
    }
  }

  public String root() {
    return root.toString();
  }

  public String tablePath(String table) {
    return new Path(root, table).toString();
  }

  FileSystem fileSystem() {
    return fs;
  }

  Path rootPath() {
    return root;
  }

  /** @return whether the table holds at least one data file */
  public boolean hasTable(String table) {
    try {
      return hasDataFile(new Path(root, table));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean hasDataFile(Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return false;
    }
    for (FileStatus status : fs.listStatus(dir)) {
      String name = status.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (status.isFile() || hasDataFile(status.getPath())) {
        return true;
      }
    }
    return false;
  }

  /** The table as a Dataset, if it has data. */
  public Optional<Dataset<Row>> table(String table) {
    if (!hasTable(table)) {
      return Optional.empty();
    }
    return Optional.of(spark.read().parquet(tablePath(table)));
  }

  /**
   * The table read with the columns it is known to have (every column nullable), so no Spark
   * job reads Parquet footers for its schema; fails like {@link #requireTable(String, String)}
   * when it has no data. Partition columns are named in {@code schema} like the others.
   */
  public Dataset<Row> requireTable(String table, StructType schema, String createdBy) {
    checkHasTable(table, createdBy);
    StructType nullable = new StructType();
    for (StructField field : schema.fields()) {
      nullable = nullable.add(field.name(), field.dataType(), true, field.metadata());
    }
    return spark.read().schema(nullable).parquet(tablePath(table));
  }

  private void checkHasTable(String table, String createdBy) {
    if (!hasTable(table)) {
      throw new IllegalArgumentException("catalog " + root + " has no table " + table
          + ": run '" + createdBy + "' first");
    }
  }

  /** The table as a Dataset; fails naming the table and the ingest that would create it. */
  public Dataset<Row> requireTable(String table, String createdBy) {
    return table(table)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "catalog " + root + " has no table " + table + ": run '" + createdBy
                        + "' first"));
  }

  /** Names of the tables that hold data, sorted. */
  public List<String> tableNames() {
    List<String> names = new ArrayList<>();
    try {
      if (!fs.exists(root)) {
        return names;
      }
      for (FileStatus status : fs.listStatus(root)) {
        String name = status.getPath().getName();
        if (status.isDirectory() && !name.startsWith("_") && !name.startsWith(".")
            && hasTable(name)) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    names.sort(String::compareTo);
    return names;
  }

  /** Registers every table as a temporary view named after it. */
  public List<String> registerViews() {
    List<String> names = tableNames();
    for (String name : names) {
      spark.read().parquet(tablePath(name)).createOrReplaceTempView(name);
    }
    return names;
  }

  /** The manifest rows of one family, by source path (one row per file: bounded). */
  public Map<String, ManifestEntry> manifest(String family) {
    Map<String, ManifestEntry> entries = new HashMap<>();
    Optional<Dataset<Row>> manifest = table(MANIFEST_TABLE);
    if (manifest.isEmpty()) {
      return entries;
    }
    List<Row> rows =
        manifest
            .get()
            .where(functions.col("family").equalTo(family))
            .select(
                ManifestEntry.SCHEMA.fieldNames()[0],
                java.util.Arrays.copyOfRange(
                    ManifestEntry.SCHEMA.fieldNames(), 1, ManifestEntry.SCHEMA.size()))
            .collectAsList();
    for (Row row : rows) {
      ManifestEntry entry = ManifestEntry.fromRow(row);
      entries.put(entry.sourcePath(), entry);
    }
    return entries;
  }

  /** Starts a batch that becomes visible only when committed. */
  public StagedBatch stage(String family) {
    String id = family + "-" + System.currentTimeMillis() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    return new StagedBatch(this, spark, id, new Path(new Path(root, STAGING), id));
  }

  /**
   * Finishes commits that a crash interrupted and removes batches that never began to commit.
   *
   * @return the number of batches rolled forward
   */
  public int recover() {
    Path staging = new Path(root, STAGING);
    int rolledForward = 0;
    try {
      if (!fs.exists(staging)) {
        return 0;
      }
      for (FileStatus batch : fs.listStatus(staging)) {
        StagedBatch staged =
            new StagedBatch(this, spark, batch.getPath().getName(), batch.getPath());
        if (staged.isCommitting()) {
          LOG.warn("Finishing the interrupted commit of batch {}", batch.getPath().getName());
          staged.moveAll();
          rolledForward++;
        } else {
          LOG.warn("Removing batch {}, which never committed", batch.getPath().getName());
          fs.delete(batch.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover catalog " + root + ": " + e.getMessage(), e);
    }
    return rolledForward;
  }
}
