package dev.servelens.bench;

import dev.servelens.io.ParseCounts;
import dev.servelens.io.SparkValues;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One JSON file of a run read into one row: metadata, a result or a node configuration. The
 * values sit in maps ({@code text}, {@code numbers}) and lists ({@code tags}, {@code config})
 * so the three kinds share one Spark read; {@link BenchTables} turns them into typed tables.
 * A file that cannot be read is one {@code reject} row at the line where reading stopped.
 */
final class JsonRecord {
  private JsonRecord() {}

  /** The kind of a benchmark tool's sweep point ({@link ResultFileToPoints}). */
  static final String POINT = "point";

  static final StructType CONFIG_ENTRY = new StructType()
      .add("key_group", DataTypes.StringType)
      .add("key", DataTypes.StringType)
      .add("value", DataTypes.StringType);

  static final StructType SCHEMA = new StructType()
      .add(BenchColumns.SOURCE_PATH, DataTypes.StringType, false)
      .add(BenchColumns.LINE_NUMBER, DataTypes.LongType, false)
      .add("status", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType)
      .add("raw", DataTypes.StringType)
      .add("kind", DataTypes.StringType)
      .add(BenchColumns.RUN_DIR, DataTypes.StringType)
      .add(BenchColumns.JOB_ID, DataTypes.StringType)
      .add("text", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
      .add("numbers", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
      .add(BenchColumns.TAGS, DataTypes.createArrayType(DataTypes.StringType))
      .add("config", DataTypes.createArrayType(CONFIG_ENTRY));

  /** The parsed content of one file. */
  record Content(Map<String, String> text, Map<String, Double> numbers, List<String> tags,
      List<Row> config) {}

  static Row ok(String path, RunPath where, Content content) {
    return RowFactory.create(path, 1L, ParseCounts.OK, null, null,
        where.kind().name().toLowerCase(java.util.Locale.ROOT), where.runDir(), where.jobId(),
        SparkValues.map(content.text()), SparkValues.map(content.numbers()),
        SparkValues.seq(content.tags()), SparkValues.seq(content.config()));
  }

  static Row reject(String path, RunPath where, long line, String raw, String reason) {
    return RowFactory.create(path, line, ParseCounts.REJECT, reason, raw,
        where.kind().name().toLowerCase(java.util.Locale.ROOT), where.runDir(), where.jobId(),
        null, null, null, null);
  }

  /** A benchmark tool's sweep point at {@code line} of its file, in run {@code runDir}. */
  static Row point(String path, long line, String runDir, String jobId, Content content) {
    return RowFactory.create(path, line, ParseCounts.OK, null, null, POINT, runDir, jobId,
        SparkValues.map(content.text()), SparkValues.map(content.numbers()),
        SparkValues.seq(content.tags()), SparkValues.seq(content.config()));
  }

  static Row rejectPoint(String path, long line, String raw, String reason) {
    return RowFactory.create(path, line, ParseCounts.REJECT, reason, raw, POINT, null, null,
        null, null, null, null);
  }

  static Row configEntry(String group, String key, String value) {
    return RowFactory.create(group, key, value);
  }
}
