package dev.servelens.runs;

import dev.servelens.io.CsvLine;
import dev.servelens.io.SplitLines;
import dev.servelens.io.StatusLines;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Parses {@code kv_cache_timeseries.csv}: a header, then {@code ts_iso,ts_unix,port,metric,value}
 * rows. {@code ts_unix} is cut to whole seconds; {@code value} is a number or {@code NaN} (a
 * failed scrape, kept). Rows whose metric holds {@code kv_cache_usage_perc} or {@code
 * gpu_cache_usage_perc} are KV usage. Wrong field counts and values that are not numbers are
 * rejected.
 */
final class KvSampleParser implements SplitLines.SplitParser {
  private static final long serialVersionUID = 1L;
  static final int MAX_LINE_CHARS = 4096;

  static final StructType PARSED_SCHEMA = StatusLines.schema(RunsColumns.KV_VALUES);

  @Override
  public Iterator<Row> parse(String path, long splitStart, Iterator<String> lines) {
    return new StatusLines(path, splitStart, lines, true, RunsColumns.KV_VALUES.size(),
        KvSampleParser::parseLine);
  }

  /** @return ts_unix, port, metric, value, is_usage */
  static Object[] parseLine(String line) {
    if (line.length() > MAX_LINE_CHARS) {
      throw new IllegalArgumentException("line longer than " + MAX_LINE_CHARS + " characters");
    }
    List<String> fields = CsvLine.split(line, ',');
    if (fields.size() != 5) {
      throw new IllegalArgumentException("expected 5 fields, found " + fields.size());
    }
    double tsUnix = KeyValues.number("ts_unix", fields.get(1).trim());
    String port = fields.get(2).trim();
    String metric = fields.get(3).trim();
    String valueText = fields.get(4).trim();
    double value = "nan".equalsIgnoreCase(valueText) ? Double.NaN
        : KeyValues.number("value", valueText);
    boolean usage = metric.contains("kv_cache_usage_perc")
        || metric.contains("gpu_cache_usage_perc");
    return new Object[] {(long) Math.floor(tsUnix), port, metric, value, usage};
  }
}
