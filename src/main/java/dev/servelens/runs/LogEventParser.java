package dev.servelens.runs;

import dev.servelens.io.SplitLines;
import dev.servelens.io.StatusLines;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Parses the splits of {@code driver.log} and {@code logs/tau2_global.log} files into one row
 * per line ({@link StatusLines}): an event, a rejected event line, or (status ok, kind null) a
 * line that is no event.
 */
final class LogEventParser implements SplitLines.SplitParser {
  private static final long serialVersionUID = 1L;

  static final StructType PARSED_SCHEMA = StatusLines.schema(RunsColumns.EVENT_VALUES);

  private final LogLineToEvent events;

  LogEventParser(LogLineToEvent events) {
    this.events = events;
  }

  @Override
  public Iterator<Row> parse(String path, long splitStart, Iterator<String> lines) {
    String source = path.endsWith("/" + RunFileKind.TAU2_LOG.relative)
        ? RunsColumns.SOURCE_TAU2 : RunsColumns.SOURCE_DRIVER;
    return new StatusLines(path, splitStart, lines, false, RunsColumns.EVENT_VALUES.size(),
        line -> events.parse(source, line));
  }
}
