package dev.servelens.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes result tables as the output contract says: {@code <out>/<family>/<table>.csv} (header
 * row, empty cell for null, ISO-8601 UTC timestamps) and the same table as {@code .md}. Each
 * file is written beside its target and renamed into place, so readers see the old file or the
 * new one. The CSV is written by the executors; only the Markdown's first rows reach the driver.
 */
public final class TableOutput {
  private static final Logger LOG = LoggerFactory.getLogger(TableOutput.class);
  private TableOutput() {}

  /** Markdown rows written for tables whose size grows with the input. */
  public static final int MARKDOWN_ROWS = 1000;

  /** Writes {@code table} as {@code <out>/<family>/<name>.csv} and {@code .md}. */
  public static void write(Dataset<Row> table, String out, String family, String name) {
    String base = out + "/" + family + "/" + name;
    long started = System.nanoTime();
    Dataset<Row> computed = table.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      writeCsvFile(computed, base + ".csv");
      writeText(table.sparkSession().sparkContext().hadoopConfiguration(), base + ".md",
          toMarkdown(computed, MARKDOWN_ROWS));
    } finally {
      computed.unpersist();
    }
    LOG.info("Wrote {}.csv|.md in {} ms", base, (System.nanoTime() - started) / 1_000_000);
  }

  /** Writes the whole of {@code table} as one CSV file at {@code file}. */
  public static void writeCsvFile(Dataset<Row> table, String file) {
    long started = System.nanoTime();
    Path target = new Path(file);
    Configuration conf = table.sparkSession().sparkContext().hadoopConfiguration();
    Path temp = new Path(target.getParent(), "._tmp-" + target.getName() + "-" + UUID.randomUUID());
    try {
      FileSystem fs = target.getFileSystem(conf);
      table
          .coalesce(1)
          .write()
          .option("header", "true")
          .option("nullValue", "")
          .option("emptyValue", "")
          .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
          .option("dateFormat", "yyyy-MM-dd")
          .csv(temp.toString());
      Path part = null;
      for (FileStatus status : fs.listStatus(temp)) {
        if (status.getPath().getName().startsWith("part-")) {
          part = status.getPath();
        }
      }
      if (part == null || fs.getFileStatus(part).getLen() == 0) {
        Path header = new Path(temp, "header.csv");
        try (OutputStream stream = fs.create(header, true)) {
          stream.write((String.join(",", table.columns()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        part = header;
      }
      replace(fs, part, target);
      fs.delete(temp, true);
      LOG.debug("Wrote {} in {} ms", file, (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code text} to {@code file} atomically. */
  public static void writeText(Configuration conf, String file, String text) {
    Path target = new Path(file);
    Path temp = new Path(target.getParent(), "._tmp-" + target.getName() + "-" + UUID.randomUUID());
    try {
      FileSystem fs = target.getFileSystem(conf);
      try (OutputStream stream = fs.create(temp, true)) {
        stream.write(text.getBytes(StandardCharsets.UTF_8));
      }
      replace(fs, temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void replace(FileSystem fs, Path source, Path target) throws IOException {
    fs.mkdirs(target.getParent());
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(source, target)) {
      throw new IOException("cannot rename " + source + " to " + target);
    }
  }

  /** The first {@code maxRows} rows as a Markdown table, with a note when there are more. */
  public static String toMarkdown(Dataset<Row> table, int maxRows) {
    List<Row> rows = table.limit(maxRows + 1).collectAsList();
    String[] columns = table.columns();
    StringBuilder md = new StringBuilder();
    md.append('|');
    for (String column : columns) {
      md.append(' ').append(column).append(" |");
    }
    md.append("\n|");
    for (int i = 0; i < columns.length; i++) {
      md.append("---|");
    }
    md.append('\n');
    for (int r = 0; r < Math.min(rows.size(), maxRows); r++) {
      Row row = rows.get(r);
      md.append('|');
      for (int c = 0; c < columns.length; c++) {
        md.append(' ').append(cell(row.get(c))).append(" |");
      }
      md.append('\n');
    }
    if (rows.size() > maxRows) {
      md.append("\n(first ").append(maxRows).append(" rows; the CSV holds them all)\n");
    }
    return md.toString();
  }

  private static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant().toString();
    }
    return value.toString().replace("|", "\\|").replace("\n", " ");
  }
}
