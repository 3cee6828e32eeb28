package dev.servelens.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.DataFrameReader;
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
 *
 * <p>Writers stage a batch under {@code _staging/<id>/} and {@link StagedBatch#commit()
 * commit} it under the catalog's lock ({@code _commit.lock}): the commit checks that no other
 * batch committed any of its source files since it planned, marks the batch as committing,
 * moves its files into the tables (the manifest last), records the commit in {@code _commits/}
 * and releases the lock. A commit cut short after its mark is finished by whoever takes the lock
 * next; a batch whose owner died before its mark is removed by the next {@link #recover()}.
 *
 * <p>Readers list every table's files once, at their first read, between two looks at the lock
 * and the commit count (trying again when a commit ran meanwhile), and read those files to the
 * end: a command sees each batch in every table or in none.
 */
public final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  /** The manifest table: one row per ingested source file. */
  public static final String MANIFEST_TABLE = "ingest_manifest";

  /** Spark setting that lets a writer use a file system without atomic create. */
  public static final String SINGLE_WRITER_KEY = "spark.servelens.catalog.singleWriter";

  static final String STAGING = "_staging";
  static final String COMMITS = "_commits";
  static final String LOCK = "_commit.lock";

  private final SparkSession spark;
  private final Path root;
  private final FileSystem fs;
  private final LockSettings settings;
  private CatalogSnapshot snapshot;

  public Catalog(SparkSession spark, String root) {
    this.spark = spark;
    this.root = new Path(root);
    this.settings = LockSettings.of(spark);
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

  LockSettings settings() {
    return settings;
  }

  /** @return whether the table holds at least one data file */
  public boolean hasTable(String table) {
    return !snapshot().files(table).isEmpty();
  }

  /** The table as a Dataset, if it has data. */
  public Optional<Dataset<Row>> table(String table) {
    if (!hasTable(table)) {
      return Optional.empty();
    }
    return Optional.of(read(table, null));
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
    return read(table, nullable);
  }

  /**
   * The table with the union of its files' columns (Parquet's schema merging), for tables whose
   * later batches added columns; fails like {@link #requireTable(String, String)}.
   */
  public Dataset<Row> requireMergedTable(String table, String createdBy) {
    checkHasTable(table, createdBy);
    return files(table, spark.read().option("mergeSchema", "true"));
  }

  /** The snapshot's files of {@code table}, read with {@code schema} (or the files' own). */
  private Dataset<Row> read(String table, StructType schema) {
    return files(table, schema == null ? spark.read() : spark.read().schema(schema));
  }

  private Dataset<Row> files(String table, DataFrameReader reader) {
    return reader.option("basePath", tablePath(table))
        .parquet(snapshot().files(table).toArray(String[]::new));
  }

  private void checkHasTable(String table, String createdBy) {
    if (!hasTable(table)) {
      throw new IllegalArgumentException("catalog " + root + " has no table " + table
          + ": run '" + createdBy + "' first");
    }
  }

  /** The table as a Dataset; fails naming the table and the ingest that would create it. */
  public Dataset<Row> requireTable(String table, String createdBy) {
    checkHasTable(table, createdBy);
    return read(table, null);
  }

  /** Names of the tables that hold data, sorted. */
  public List<String> tableNames() {
    return new ArrayList<>(snapshot().tables());
  }

  /** Registers {@code names} (tables of this catalog) as temporary views named after them. */
  public List<String> registerViews(List<String> names) {
    for (String name : names) {
      read(name, null).createOrReplaceTempView(name);
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
    for (Row row : manifestRows(manifest.get(), family).collectAsList()) {
      ManifestEntry entry = ManifestEntry.fromRow(row);
      entries.put(entry.sourcePath(), entry);
    }
    return entries;
  }

  private static Dataset<Row> manifestRows(Dataset<Row> manifest, String family) {
    String[] names = ManifestEntry.SCHEMA.fieldNames();
    return manifest
        .where(functions.col("family").equalTo(family))
        .select(names[0], Arrays.copyOfRange(names, 1, names.length));
  }

  /**
   * The files this command reads: listed at the first read, while no commit ran (waiting for a
   * commit in progress, and listing again if one finished meanwhile).
   */
  synchronized CatalogSnapshot snapshot() {
    if (snapshot == null) {
      snapshot = listConsistently();
    }
    return snapshot;
  }

  /** Forgets the snapshot: the next read lists the catalog again (after this process commits). */
  synchronized void refresh() {
    snapshot = null;
  }

  private CatalogSnapshot listConsistently() {
    Path lock = lockPath();
    try {
      while (true) {
        long before = version();
        if (CatalogLock.held(fs, lock)) {
          awaitCommit(lock);
          continue;
        }
        Map<String, List<String>> files = listTables();
        if (!CatalogLock.held(fs, lock) && version() == before) {
          return new CatalogSnapshot(before, files);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list catalog " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits for the commit that holds the lock, without taking it (a reader needs no write access
   * for that). A commit whose owner died is finished here, by taking the lock (which breaks the
   * dead owner's), so a reader never waits for a dead process.
   */
  private void awaitCommit(Path lock) throws IOException {
    if (CatalogLock.awaitRelease(fs, lock, "read of " + root, settings)) {
      finishUnderLock("read of " + root);
    }
  }

  private Path lockPath() {
    return new Path(root, LOCK);
  }

  /** Takes the lock, finishes the commits its dead holders left, releases it; how many. */
  private int finishUnderLock(String purpose) {
    try (CatalogLock lock = CatalogLock.acquire(fs, lockPath(), purpose, settings)) {
      return finishInterrupted();
    }
  }

  private Map<String, List<String>> listTables() throws IOException {
    Map<String, List<String>> tables = new TreeMap<>();
    if (!fs.exists(root)) {
      return tables;
    }
    for (FileStatus status : fs.listStatus(root)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && visible(name)) {
        List<String> files = dataFiles(status.getPath());
        if (!files.isEmpty()) {
          tables.put(name, files);
        }
      }
    }
    return tables;
  }

  /** The data files under {@code dir} at any depth, skipping hidden ({@code _}, {@code .}) ones. */
  private List<String> dataFiles(Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    int depth = dir.depth();
    RemoteIterator<LocatedFileStatus> all = fs.listFiles(dir, true);
    while (all.hasNext()) {
      Path file = all.next().getPath();
      boolean hidden = false;
      for (Path part = file; part.depth() > depth; part = part.getParent()) {
        hidden |= !visible(part.getName());
      }
      if (!hidden) {
        files.add(file.toString());
      }
    }
    files.sort(String::compareTo);
    return files;
  }

  private static boolean visible(String name) {
    return !name.startsWith("_") && !name.startsWith(".");
  }

  /** Number of commits recorded in {@code _commits/}: grows by one with every commit. */
  long version() throws IOException {
    return commitRecords().size();
  }

  private List<String> commitRecords() throws IOException {
    Path commits = new Path(root, COMMITS);
    List<String> names = new ArrayList<>();
    if (fs.exists(commits)) {
      for (FileStatus status : fs.listStatus(commits)) {
        String name = status.getPath().getName();
        if (visible(name) && !name.endsWith(".crc")) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** Records the commit of {@code batchId} (once: a roll-forward after the record adds none). */
  void recordCommit(String batchId) throws IOException {
    List<String> records = commitRecords();
    for (String name : records) {
      if (name.endsWith("-" + batchId)) {
        return;
      }
    }
    Path record = new Path(new Path(root, COMMITS),
        String.format("%012d-%s", records.size() + 1, batchId));
    if (!OwnedFiles.createIfAbsent(fs, record, ProcessOwner.current(batchId).toBytes())) {
      throw new IOException("commit record " + record + " exists: the catalog lock did not hold");
    }
  }

  /** Takes the catalog's lock for {@code purpose}, finishing any commit its last holder left. */
  CatalogLock lock(String purpose) {
    requireWritable();
    CatalogLock lock = CatalogLock.acquire(fs, lockPath(), purpose, settings);
    try {
      finishInterrupted();
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return lock;
  }

  /**
   * Under the lock: rolls forward every batch marked as committing (its committer died holding
   * the lock, since a live one holds it until its batch is gone).
   */
  private int finishInterrupted() {
    int rolledForward = 0;
    for (StagedBatch batch : stagedBatches()) {
      try {
        if (batch.isCommitting()) {
          LOG.warn("Finishing the interrupted commit of batch {}", batch.id());
          batch.moveAll();
          recordCommit(batch.id());
          batch.remove();
          rolledForward++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot finish the commit of batch " + batch.id() + " in "
            + root + ": " + e.getMessage(), e);
      }
    }
    return rolledForward;
  }

  private List<StagedBatch> stagedBatches() {
    Path staging = new Path(root, STAGING);
    List<StagedBatch> batches = new ArrayList<>();
    try {
      if (fs.exists(staging)) {
        for (FileStatus status : fs.listStatus(staging)) {
          // Hidden ones are batches being created: recover() judges them like the others.
          if (status.isDirectory() && !status.getPath().getName().startsWith("_")) {
            batches.add(new StagedBatch(this, spark, status.getPath().getName(),
                status.getPath()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + staging + ": " + e.getMessage(), e);
    }
    return batches;
  }

  /**
   * The source files of {@code family} among {@code sources} that a batch committed after this
   * command's snapshot (its plan) was listed; called under the catalog's lock. Cheap when
   * nothing committed since: the commit count is unchanged and no manifest file is read.
   */
  List<String> committedSincePlan(String family, Collection<String> sources) throws IOException {
    if (sources.isEmpty()) {
      return List.of();
    }
    // Called under the lock, so never snapshot(), which would wait for this very lock. An
    // ingest that never read the catalog planned against nothing: every manifest file counts.
    CatalogSnapshot planned;
    synchronized (this) {
      planned = snapshot;
    }
    if (planned != null && version() == planned.version()) {
      return List.of();
    }
    Set<String> known =
        planned == null ? Set.of() : Set.copyOf(planned.files(MANIFEST_TABLE));
    List<String> added = new ArrayList<>();
    Path manifest = new Path(root, MANIFEST_TABLE);
    if (fs.exists(manifest)) {
      for (String file : dataFiles(manifest)) {
        if (!known.contains(file)) {
          added.add(file);
        }
      }
    }
    if (added.isEmpty()) {
      return List.of();
    }
    List<String> both = new ArrayList<>();
    for (Row row : manifestRows(spark.read().schema(ManifestEntry.SCHEMA)
        .parquet(added.toArray(String[]::new)), family)
        .where(functions.col("source_path").isInCollection(sources))
        .select("source_path").collectAsList()) {
      both.add(row.getString(0));
    }
    return both;
  }

  /**
   * Fails unless the catalog's file system creates files atomically only if absent (local,
   * HDFS), or the user said this is the only writer ({@value #SINGLE_WRITER_KEY}).
   */
  void requireWritable() {
    if (OwnedFiles.atomicCreate(fs)
        || Boolean.parseBoolean(spark.conf().get(SINGLE_WRITER_KEY, "false"))
        || Boolean.getBoolean(SINGLE_WRITER_KEY)) {
      return;
    }
    throw new UnsupportedOperationException("catalog " + root + ": " + fs.getScheme()
        + " cannot create a file only if it is absent, so two writers at once could both"
        + " publish the same input and count its rows twice. If no other ingest or tag writes"
        + " this catalog while this one runs, say so with --single-writer (setting "
        + SINGLE_WRITER_KEY + "=true); see README, 'Several writers'.");
  }

  /** Starts a batch that becomes visible only when committed. */
  public StagedBatch stage(String family) {
    requireWritable();
    String id = family + "-" + System.currentTimeMillis() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    return StagedBatch.create(this, spark, id, new Path(new Path(root, STAGING), id));
  }

  /**
   * Finishes commits that a crash interrupted and removes batches whose owner is gone (dead on
   * this host, or silent for the stale age); batches of live writers stay.
   *
   * @return the number of batches rolled forward
   */
  public int recover() {
    requireWritable();
    int rolledForward = finishUnderLock("recovery of " + root);
    for (StagedBatch batch : stagedBatches()) {
      try {
        if (!batch.isCommitting() && batch.abandoned()) {
          LOG.warn("Removing batch {}, whose ingest stopped before it committed", batch.id());
          batch.remove();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove batch " + batch.id() + " from " + root
            + ": " + e.getMessage(), e);
      }
    }
    refresh();
    return rolledForward;
  }
}
