package dev.servelens.bench;

import dev.servelens.io.ParseCounts;
import dev.servelens.io.SplitLines;
import dev.servelens.io.StatusLines;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parses the splits of worker logs: one row per line, with the run and worker taken from the
 * file's path ({@link RunPath}) and the line's values from {@link WorkerLogLine}. A recognised
 * line is {@code ok}, a recognised line that cannot be read is {@code reject}, and every other
 * line (start-up chatter, tracebacks, binary garbage) is {@link #OTHER}: counted for line
 * numbers but not a row, so for each log rows read = batch, memory and command lines kept +
 * rejected.
 */
final class WorkerLogParser implements SplitLines.SplitParser {
  private static final long serialVersionUID = 1L;

  /** Status of a line that is none of the recognised kinds. */
  static final String OTHER = "other";

  private static final StructType FILE_COLUMNS = new StructType()
      .add(BenchColumns.JOB_ID, DataTypes.StringType)
      .add(BenchColumns.RUN_DIR, DataTypes.StringType)
      .add(BenchColumns.NODE, DataTypes.StringType)
      .add(BenchColumns.ROLE, DataTypes.StringType)
      .add(BenchColumns.WORKER, DataTypes.IntegerType);

  static final StructType PARSED_SCHEMA = StatusLines.schema(values());

  private static final int STATUS = 3;
  private static final int LINE_KIND = 6 + FILE_COLUMNS.size();

  private static StructType values() {
    StructType values = FILE_COLUMNS;
    for (StructField field : WorkerLogLine.SCHEMA.fields()) {
      values = values.add(field);
    }
    return values;
  }

  @Override
  public Iterator<Row> parse(String path, long splitStart, Iterator<String> lines) {
    RunPath where = RunPath.of(path);
    WorkerLogLine parser = new WorkerLogLine();
    int fileColumns = FILE_COLUMNS.size();
    Iterator<Row> rows = new StatusLines(path, splitStart, lines, false,
        fileColumns + WorkerLogLine.SCHEMA.size(), line -> {
          Object[] parsed = parser.parse(line);
          if (parsed == null) {
            return null;
          }
          Object[] values = new Object[fileColumns + parsed.length];
          values[0] = where.jobId();
          values[1] = where.runDir();
          values[2] = where.node();
          values[3] = where.role();
          values[4] = where.worker();
          System.arraycopy(parsed, 0, values, fileColumns, parsed.length);
          return values;
        });
    return new MarkOther(rows);
  }

  /** Turns the {@code ok} rows without a line kind into {@link #OTHER} rows. */
  private static final class MarkOther implements Iterator<Row> {
    private final Iterator<Row> rows;

    MarkOther(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row row = rows.next();
      if (!ParseCounts.OK.equals(row.getString(STATUS)) || !row.isNullAt(LINE_KIND)) {
        return row;
      }
      Object[] values = new Object[row.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.get(i);
      }
      values[STATUS] = OTHER;
      return RowFactory.create(values);
    }
  }
}
