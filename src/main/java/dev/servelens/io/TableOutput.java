package dev.servelens.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes result tables as the output contract says: {@code <out>/<family>/<table>.csv} (header
 * row, empty cell for null, ISO-8601 UTC timestamps) and the same table as {@code .md}. Each
 * file is written beside its target and renamed into place, so readers see the old file or the
 * new one. Small tables (at most {@link #DRIVER_ROWS} rows) are collected in one Spark job and
 * written from the driver, formatted as Spark's CSV writer formats them; larger ones are written
 * by the executors, and only the Markdown's first rows reach the driver.
 */
public final class TableOutput {
  private static final Logger LOG = LoggerFactory.getLogger(TableOutput.class);
  private TableOutput() {}

  /** Markdown rows written for tables whose size grows with the input. */
  public static final int MARKDOWN_ROWS = 1000;

  /**
   * Tables and figure data of at most this many rows are collected (one Spark job) and written
   * from the driver; larger ones are written by the executors.
   */
  public static final int DRIVER_ROWS = 100_000;

  /** Writes {@code table} as {@code <out>/<family>/<name>.csv} and {@code .md}. */
  public static void write(Dataset<Row> table, String out, String family, String name) {
    String base = out + "/" + family + "/" + name;
    long started = System.nanoTime();
    List<Row> rows = collectIfSmall(table);
    if (rows != null) {
      writeRows(hadoopConf(table), table.schema(), rows, out, family, name);
      return;
    }
    Dataset<Row> computed = table.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      writeCsvWithSpark(computed, base + ".csv");
      writeText(hadoopConf(table), base + ".md",
          toMarkdown(computed.limit(MARKDOWN_ROWS + 1).collectAsList(), computed.columns(),
              MARKDOWN_ROWS));
    } finally {
      computed.unpersist();
    }
    LOG.info("Wrote {}.csv|.md in {} ms", base, (System.nanoTime() - started) / 1_000_000);
  }

  /** Writes rows built on the driver as {@code <out>/<family>/<name>.csv} and {@code .md}. */
  public static void writeRows(Configuration conf, StructType schema, List<Row> rows, String out,
      String family, String name) {
    String base = out + "/" + family + "/" + name;
    writeCsvRows(conf, schema, rows, base + ".csv");
    writeText(conf, base + ".md", toMarkdown(rows, schema.fieldNames(), MARKDOWN_ROWS));
  }

  /** Writes the whole of {@code table} as one CSV file at {@code file}. */
  public static void writeCsvFile(Dataset<Row> table, String file) {
    List<Row> rows = collectIfSmall(table);
    if (rows != null) {
      writeCsvRows(hadoopConf(table), table.schema(), rows, file);
    } else {
      writeCsvWithSpark(table, file);
    }
  }

  /**
   * Writes rows built on the driver as one CSV file at {@code file}, formatted exactly as
   * Spark's CSV writer formats them with the options of {@link #writeCsvWithSpark}.
   */
  public static void writeCsvRows(Configuration conf, StructType schema, List<Row> rows,
      String file) {
    writeText(conf, file, LocalCsv.format(schema, rows));
  }

  /**
   * All rows of {@code table} when it has at most {@link #DRIVER_ROWS}, else null. One job:
   * the limit scans every partition at once instead of growing the scan job by job.
   */
  static List<Row> collectIfSmall(Dataset<Row> table) {
    List<Row> rows = SessionSettings.with(table.sparkSession(),
        Map.of("spark.sql.limit.initialNumPartitions", String.valueOf(Integer.MAX_VALUE)),
        () -> table.limit(DRIVER_ROWS + 1).collectAsList());
    return rows.size() <= DRIVER_ROWS ? rows : null;
  }

  private static Configuration hadoopConf(Dataset<Row> table) {
    return table.sparkSession().sparkContext().hadoopConfiguration();
  }

  /**
   * The Spark CSV options of every table and figure file: RFC 4180, so a quote inside a value is
   * doubled (Spark's default would escape it with a backslash, which RFC 4180 readers misread),
   * and values keep their leading and trailing spaces (Spark's writer trims them by default).
   */
  static final Map<String, String> CSV_OPTIONS = Map.of(
      "header", "true",
      "escape", "\"",
      "ignoreLeadingWhiteSpace", "false",
      "ignoreTrailingWhiteSpace", "false",
      "nullValue", "",
      "emptyValue", "",
      "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'",
      "dateFormat", "yyyy-MM-dd");

  /** Writes the whole of {@code table} as one CSV file at {@code file}, by the executors. */
  static void writeCsvWithSpark(Dataset<Row> table, String file) {
    long started = System.nanoTime();
    Path target = new Path(file);
    Configuration conf = hadoopConf(table);
    Path temp = new Path(target.getParent(), "._tmp-" + target.getName() + "-" + UUID.randomUUID());
    try {
      FileSystem fs = target.getFileSystem(conf);
      table
          .coalesce(1)
          .write()
          .options(CSV_OPTIONS)
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
    return toMarkdown(table.limit(maxRows + 1).collectAsList(), table.columns(), maxRows);
  }

  /** The first {@code maxRows} of {@code rows} as a Markdown table. */
  public static String toMarkdown(List<Row> rows, String[] columns, int maxRows) {
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
