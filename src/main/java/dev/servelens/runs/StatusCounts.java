package dev.servelens.runs;

import dev.servelens.io.LineNumbers;
import dev.servelens.io.ParseCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.util.AccumulatorV2;

/**
 * Rows of every status by file (and by input split for line inputs), counted while the parsed
 * rows are written to the batch's scratch space, so the counts cost no pass of their own. One
 * entry per (file, split, status): the size follows the files, not the rows. The rows are
 * counted in the write, an action, where Spark applies each task's updates once.
 */
final class StatusCounts extends AccumulatorV2<String, Map<String, Long>> {
  private static final long serialVersionUID = 1L;
  private static final String LINES = "L";
  private static final String DOCUMENTS = "D";

  // Concurrent: the executor's heartbeat may read a task's counts while the task adds to them.
  private Map<String, Long> counts = new ConcurrentHashMap<>();

  @Override
  public boolean isZero() {
    return counts.isEmpty();
  }

  @Override
  public AccumulatorV2<String, Map<String, Long>> copy() {
    StatusCounts copy = new StatusCounts();
    copy.counts = new ConcurrentHashMap<>(counts);
    return copy;
  }

  @Override
  public void reset() {
    counts = new ConcurrentHashMap<>();
  }

  @Override
  public void add(String key) {
    counts.merge(key, 1L, Long::sum);
  }

  @Override
  public void merge(AccumulatorV2<String, Map<String, Long>> other) {
    other.value().forEach((key, n) -> counts.merge(key, n, Long::sum));
  }

  @Override
  public Map<String, Long> value() {
    return counts;
  }

  /**
   * Counts each parsed line ({@code source_path, split_start, line_in_split, status, ...}) and
   * passes it on; a line with status ok and a null {@code kind} at {@code kindIndex} (>= 0)
   * counts as {@link RunInputs#OTHER}.
   */
  Function<Row, Row> lines(int kindIndex) {
    return new CountLine(this, kindIndex);
  }

  /** Counts each parsed document row ({@code parse_status, ..., source_path at 3}). */
  Function<Row, Row> documents() {
    return new CountDocument(this);
  }

  /** See {@link #lines}. */
  private static final class CountLine implements Function<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final StatusCounts counts;
    private final int kindIndex;

    CountLine(StatusCounts counts, int kindIndex) {
      this.counts = counts;
      this.kindIndex = kindIndex;
    }

    @Override
    public Row call(Row row) {
      String status = row.getString(3);
      if (kindIndex >= 0 && ParseCounts.OK.equals(status) && row.isNullAt(kindIndex)) {
        status = RunInputs.OTHER;
      }
      counts.add(LINES + "\t" + row.getLong(1) + "\t" + status + "\t" + row.getString(0));
      return row;
    }
  }

  /** See {@link #documents}. */
  private static final class CountDocument implements Function<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final StatusCounts counts;

    CountDocument(StatusCounts counts) {
      this.counts = counts;
    }

    @Override
    public Row call(Row row) {
      counts.add(DOCUMENTS + "\t" + row.getString(0) + "\t" + row.getString(3));
      return row;
    }
  }

  /** Adds {@code n} document rows of {@code status} from {@code path}, counted on the driver. */
  void addDocuments(String path, String status, long n) {
    counts.merge(DOCUMENTS + "\t" + status + "\t" + path, n, Long::sum);
  }

  /** The counts as {@link ParseCounts}: lines per split, kept and rejected rows per file. */
  ParseCounts parseCounts() {
    Map<String, Long> linesBySplit = new HashMap<>();
    Map<String, Object[]> splitKeys = new HashMap<>();
    Map<String, Long> kept = new HashMap<>();
    Map<String, Long> rejected = new HashMap<>();
    Map<String, Long> blank = new HashMap<>();
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      String[] key = entry.getKey().split("\t", 4);
      long n = entry.getValue();
      String status;
      String path;
      if (LINES.equals(key[0])) {
        long splitStart = Long.parseLong(key[1]);
        status = key[2];
        path = key[3];
        String split = splitStart + "\t" + path;
        linesBySplit.merge(split, n, Long::sum);
        splitKeys.put(split, new Object[] {path, splitStart});
      } else {
        String[] rest = entry.getKey().split("\t", 3);
        status = rest[1];
        path = rest[2];
      }
      if (ParseCounts.OK.equals(status)) {
        kept.merge(path, n, Long::sum);
      } else if (ParseCounts.REJECT.equals(status)) {
        rejected.merge(path, n, Long::sum);
      } else if (ParseCounts.BLANK.equals(status)) {
        blank.merge(path, n, Long::sum);
      }
    }
    List<LineNumbers.SplitCount> splits = new ArrayList<>();
    for (Map.Entry<String, Long> entry : linesBySplit.entrySet()) {
      Object[] key = splitKeys.get(entry.getKey());
      splits.add(new LineNumbers.SplitCount((String) key[0], (Long) key[1], entry.getValue()));
    }
    return new ParseCounts(splits, kept, rejected, blank);
  }
}
