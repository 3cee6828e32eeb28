package dev.servelens.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servelens.catalog.Catalog;
import dev.servelens.catalog.CatalogLock;
import dev.servelens.catalog.LockSettings;
import dev.servelens.catalog.ManifestEntry;
import dev.servelens.catalog.StagedBatch;
import dev.servelens.io.BoundedJson;
import dev.servelens.io.SourceFile;
import dev.servelens.io.SparkValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adds or removes a run's tag, one change per run at a time (a lock file beside the
 * metadata). The tag list lives in the run's {@code {jobid}.json} (top-level
 * {@code tags} in both metadata shapes), which is rewritten beside itself and renamed over the
 * original. The catalog keeps ingested tables immutable: the new list goes to the small overlay
 * table {@code bench_tags} (one row per change, with the rewritten file's size and time), and
 * the analysis takes a run's latest overlay row over the tags ingested from its metadata. The
 * next ingest recognises the rewritten file by that size and time and does not report it as
 * changed.
 */
public final class RunTags {
  private RunTags() {}

  static final StructType TAGS_SCHEMA = new StructType()
      .add(BenchColumns.JOB_ID, DataTypes.StringType, false)
      .add(BenchColumns.RUN_DIR, DataTypes.StringType, false)
      .add(BenchColumns.TAGS, DataTypes.createArrayType(DataTypes.StringType), false)
      .add(BenchColumns.SOURCE_PATH, DataTypes.StringType, false)
      .add("size_bytes", DataTypes.LongType, false)
      .add("modified_at", DataTypes.TimestampType, false)
      .add("tagged_at", DataTypes.TimestampType, false);

  /**
   * Adds ({@code add}) or removes {@code tag} on run {@code jobId} found under one of {@code
   * logs}; records the new list in the catalog when {@code catalogRoot} is given.
   *
   * @return the run's tags after the change
   */
  public static List<String> change(SparkSession spark, List<String> logs, String catalogRoot,
      String jobId, String tag, boolean add) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("tag must not be empty");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path metadata = null;
    try {
      metadata = new Path(findRun(conf, logs, jobId), jobId + ".json");
      // One change at a time per run: two tag commands at once would each rewrite the list
      // read before the other's change, and one change would be lost.
      try (CatalogLock lock = CatalogLock.acquire(conf,
          new Path(metadata.getParent(), "." + jobId + ".json.lock"), "tag of job " + jobId,
          LockSettings.of(spark))) {
        FileSystem fs = metadata.getFileSystem(conf);
        if (!fs.exists(metadata)) {
          throw new IllegalArgumentException(metadata + ": run metadata missing");
        }
        ObjectMapper mapper = new ObjectMapper(BoundedJson.factory(64, 10_000_000));
        JsonNode root;
        try (InputStream in = fs.open(metadata)) {
          root = mapper.readTree(in);
        } catch (IOException e) {
          throw new IllegalArgumentException(metadata + ": invalid JSON: "
              + BoundedJson.reason(e));
        }
        if (!(root instanceof ObjectNode object)) {
          throw new IllegalArgumentException(metadata + ": not a JSON object");
        }
        List<String> tags = update(object, tag, add);
        rewrite(conf, metadata,
            mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(object));
        if (catalogRoot != null) {
          FileStatus status = fs.getFileStatus(metadata);
          record(spark, new Catalog(spark, catalogRoot), jobId,
              status.getPath().getParent().toString(), tags, status);
        }
        return tags;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tag job " + jobId + " (" + metadata + "): "
          + e.getMessage(), e);
    }
  }

  /** Adds or removes {@code tag} in {@code root.tags} (created when absent). */
  static List<String> update(ObjectNode root, String tag, boolean add) {
    JsonNode existing = root.get(BenchColumns.TAGS);
    List<String> tags = new ArrayList<>();
    if (existing != null && existing.isArray()) {
      existing.forEach(node -> tags.add(node.asText()));
    }
    if (add && !tags.contains(tag)) {
      tags.add(tag);
    } else if (!add) {
      tags.removeIf(tag::equals);
    }
    ArrayNode array = root.putArray(BenchColumns.TAGS);
    tags.forEach(array::add);
    return tags;
  }

  /** The run directory {@code {jobId}_*_YYYYMMDD_HHMMSS} under one of {@code logs}. */
  private static Path findRun(Configuration conf, List<String> logs, String jobId)
      throws IOException {
    List<Path> matches = new ArrayList<>();
    for (String root : logs) {
      Path path = new Path(root);
      FileSystem fs = path.getFileSystem(conf);
      String[] own = RunPath.runName(path.getName());
      if (own != null && own[0].equals(jobId)) {
        matches.add(path);
        continue;
      }
      if (!fs.exists(path)) {
        throw new IllegalArgumentException("--logs " + root + ": not found");
      }
      for (FileStatus child : fs.listStatus(path)) {
        String[] run = RunPath.runName(child.getPath().getName());
        if (child.isDirectory() && run != null && run[0].equals(jobId)) {
          matches.add(child.getPath());
        }
      }
    }
    if (matches.size() != 1) {
      throw new IllegalArgumentException(matches.isEmpty()
          ? "no run directory " + jobId + "_<topology>_<YYYYMMDD_HHMMSS> under " + logs
          : "job " + jobId + " has " + matches.size() + " run directories: " + matches);
    }
    return matches.get(0);
  }

  /** Writes {@code bytes} beside {@code target} and renames it over the target in one step. */
  private static void rewrite(Configuration conf, Path target, byte[] bytes) throws IOException {
    Path temp = new Path(target.getParent(), "._tmp-" + target.getName() + "-" + UUID.randomUUID());
    // A private instance without checksum files: a .crc left beside the metadata would make
    // later edits by other tools fail Hadoop's checksum check.
    try (FileSystem fs = FileSystem.newInstance(target.toUri(), conf)) {
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(temp, true)) {
        out.write(bytes);
        out.write('\n');
      }
      FileContext.getFileContext(target.toUri(), conf).rename(temp, target,
          Options.Rename.OVERWRITE);
    }
  }

  private static void record(SparkSession spark, Catalog catalog, String jobId, String runDir,
      List<String> tags, FileStatus status) {
    long now = System.currentTimeMillis();
    Row row = RowFactory.create(jobId, runDir, SparkValues.seq(tags), status.getPath().toString(),
        status.getLen(), new Timestamp(status.getModificationTime()), new Timestamp(now));
    StagedBatch batch = catalog.stage(BenchColumns.FAMILY);
    try {
      spark.createDataFrame(List.of(row), TAGS_SCHEMA).coalesce(1).write()
          .parquet(batch.tablePath(BenchColumns.TAGS_TABLE));
      batch.commit();
    } catch (RuntimeException e) {
      batch.abort();
      throw e;
    }
  }

  /**
   * {@code found} without the metadata files that {@code servelens tag} rewrote after their
   * ingest (the manifest holds them, and {@code bench_tags} holds their current size and time).
   */
  static List<SourceFile> withoutRetagged(Catalog catalog, List<SourceFile> found) {
    if (!catalog.hasTable(BenchColumns.TAGS_TABLE)) {
      return found;
    }
    Set<String> rewritten = new HashSet<>();
    for (Row row : catalog.requireTable(BenchColumns.TAGS_TABLE, "servelens tag")
        .select(BenchColumns.SOURCE_PATH, "size_bytes", "modified_at").distinct()
        .collectAsList()) {
      rewritten.add(row.getString(0) + "\t" + row.getLong(1) + "\t"
          + row.getTimestamp(2).getTime());
    }
    Map<String, ManifestEntry> manifest = catalog.manifest(BenchColumns.FAMILY);
    List<SourceFile> kept = new ArrayList<>();
    for (SourceFile file : found) {
      boolean retagged = manifest.containsKey(file.path()) && rewritten.contains(
          file.path() + "\t" + file.sizeBytes() + "\t" + file.modifiedAtMillis());
      if (!retagged) {
        kept.add(file);
      }
    }
    return kept;
  }

  /** Each run's latest tag list from the overlay: {@code run_dir, overlay_tags}. */
  static Dataset<Row> latest(Dataset<Row> overlay) {
    return overlay.groupBy(BenchColumns.RUN_DIR)
        .agg(max_by(col(BenchColumns.TAGS), col("tagged_at")).as("overlay_tags"));
  }
}
