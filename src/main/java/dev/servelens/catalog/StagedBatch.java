package dev.servelens.catalog;

import dev.servelens.io.DriverRows;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ingest's output before it is visible: tables written under {@code _staging/<id>/}, with an
 * {@code _owner} file whose heartbeat tells other processes that the ingest is alive. The commit
 * ({@link #commit(String, List, ParseCounts, long)}) runs under the catalog's lock: it checks
 * that no other batch committed the same source files since this ingest planned (else it
 * publishes nothing and fails with {@link CommitConflictException}), writes the commit marker,
 * moves every data file into its table, the manifest last, records the commit and removes the
 * batch. Whoever takes the lock after a crash past the marker finishes the moves.
 */
public final class StagedBatch {
  private static final Logger LOG = LoggerFactory.getLogger(StagedBatch.class);
  static final String COMMITTING_MARKER = "_COMMITTING";
  static final String OWNER = "_owner";
  private static final String SCRATCH = "_scratch";

  private final Catalog catalog;
  private final SparkSession spark;
  private final String id;
  private final Path dir;
  private Heartbeat heartbeat;

  StagedBatch(Catalog catalog, SparkSession spark, String id, Path dir) {
    this.catalog = catalog;
    this.spark = spark;
    this.id = id;
    this.dir = dir;
  }

  /** A new batch owned by this process, its heartbeat running until commit or abort. */
  static StagedBatch create(Catalog catalog, SparkSession spark, String id, Path dir) {
    StagedBatch batch = new StagedBatch(catalog, spark, id, dir);
    FileSystem fs = catalog.fileSystem();
    // Made under a hidden name and renamed into place, so no batch is ever seen without its
    // owner. The hidden name names the owner too: a kill before its owner file is written
    // leaves a folder that recover() can still judge.
    ProcessOwner owner = ProcessOwner.current("batch " + id);
    Path pending = new Path(dir.getParent(), "." + id + PENDING + owner.host() + PENDING
        + owner.pid() + PENDING + owner.startedAtMillis());
    try {
      if (!OwnedFiles.createIfAbsent(fs, new Path(pending, OWNER), owner.toBytes())) {
        throw new IOException(pending + " exists");
      }
      if (!fs.rename(pending, dir)) {
        throw new IOException("cannot rename " + pending + " to " + dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage batch " + id + ": " + e.getMessage(), e);
    }
    batch.heartbeat = Heartbeat.start(fs, new Path(dir, OWNER), catalog.settings());
    return batch;
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
   * rejected rows from {@code counts} (read = kept + rejected), then makes the batch visible,
   * unless another batch committed one of {@code files} since this ingest planned.
   *
   * @throws CommitConflictException when another batch committed one of the files first; the
   *     batch is then discarded
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
    commit(family, entries);
  }

  /**
   * Writes {@code entries} (manifest rows of {@code family}) and makes the batch visible, unless
   * another batch committed one of their source files since this ingest planned.
   */
  void commit(String family, List<ManifestEntry> entries) {
    List<String> sources = new ArrayList<>();
    for (ManifestEntry entry : entries) {
      sources.add(entry.sourcePath());
    }
    writeManifest(entries);
    publish(family, sources);
  }

  /** Makes a batch without source files (a tag change) visible. */
  public void commit() {
    publish(null, List.of());
  }

  private void publish(String family, List<String> sources) {
    CommitStep.PUBLISHING.reached(id);
    try (CatalogLock lock = catalog.lock("commit of batch " + id)) {
      CommitStep.LOCKED.reached(id);
      List<String> taken = catalog.committedSincePlan(family, sources);
      if (!taken.isEmpty()) {
        abort();
        throw new CommitConflictException(catalog.root(), id, taken);
      }
      CommitStep.CHECKED.reached(id);
      catalog.fileSystem().create(new Path(dir, COMMITTING_MARKER), true).close();
      CommitStep.MARKED.reached(id);
      moveAll();
      catalog.recordCommit(id);
      CommitStep.RECORDED.reached(id);
      remove();
      CommitStep.UNSTAGED.reached(id);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit batch " + id + " to " + catalog.root() + ": "
          + e.getMessage(), e);
    } finally {
      stopHeartbeat();
    }
    catalog.refresh();
  }

  /** Discards the batch. */
  public void abort() {
    stopHeartbeat();
    try {
      catalog.fileSystem().delete(dir, true);
    } catch (IOException e) {
      LOG.warn("Could not remove staged batch {}: {}", dir, e.getMessage());
    }
  }

  private void stopHeartbeat() {
    if (heartbeat != null) {
      heartbeat.close();
    }
  }

  void remove() throws IOException {
    catalog.fileSystem().delete(dir, true);
  }

  boolean isCommitting() throws IOException {
    return catalog.fileSystem().exists(new Path(dir, COMMITTING_MARKER));
  }

  /**
   * Whether the ingest that staged this batch is gone: its owner (the owner file's, or for a
   * batch still being created the one its hidden name gives) died on this host, or the
   * owner's heartbeat (or, with no owner file, the folder's time) is older than the stale age.
   */
  boolean abandoned() throws IOException {
    FileSystem fs = catalog.fileSystem();
    Path owner = new Path(dir, OWNER);
    Optional<byte[]> bytes = OwnedFiles.read(fs, owner);
    Optional<Long> touched = OwnedFiles.modifiedAt(fs, bytes.isPresent() ? owner : dir);
    byte[] ownerBytes = bytes.orElseGet(() -> pendingOwner(dir.getName())
        .map(ProcessOwner::toBytes).orElse(new byte[0]));
    return touched.isPresent()
        && OwnedFiles.abandoned(ownerBytes, touched.get(), catalog.settings());
  }

  /** Separates the batch id, host, pid and start time in the hidden name of a new batch. */
  private static final String PENDING = "~";

  /** The owner a hidden batch folder's name gives (see {@link #create}), if it gives one. */
  static Optional<ProcessOwner> pendingOwner(String name) {
    int started = name.lastIndexOf(PENDING);
    int pid = started < 0 ? -1 : name.lastIndexOf(PENDING, started - 1);
    int host = pid < 0 ? -1 : name.lastIndexOf(PENDING, pid - 1);
    if (!name.startsWith(".") || host < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ProcessOwner(name.substring(host + 1, pid),
          Long.parseLong(name.substring(pid + 1, started)),
          Long.parseLong(name.substring(started + 1)), "staging of a batch"));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
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
        CommitStep.MOVED_TABLE.reached(id);
      }
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
