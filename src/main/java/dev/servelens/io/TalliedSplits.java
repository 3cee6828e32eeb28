package dev.servelens.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Lets one Spark job parse line-based inputs, write the kept rows and account for every line.
 * Wraps a parser whose rows follow {@link StatusLines#schema}: only its {@link ParseCounts#OK}
 * rows go on to the job; its rejects are appended to a small JSON Lines file per split under a
 * scratch folder (nothing is written for a split without rejects); and each split, once read to
 * its end, adds its line, kept and rejected counts to an accumulator. After the job, {@link
 * #counts()} gives the same {@link ParseCounts} as a separate counting pass would, and {@link
 * #rejects} reads the rejects back for {@link RejectsTable#numbered}.
 *
 * <p>Counts are exact under task retries: a failed attempt's accumulator updates are dropped by
 * Spark, and a split counted twice (a stage run again) is counted once here, by file and split
 * start. A re-attempted split rewrites its rejects file whole.
 */
public final class TalliedSplits implements SplitLines.SplitParser {
  private static final long serialVersionUID = 1L;

  /** The rejects as read back: the columns {@link RejectsTable#numbered} needs. */
  public static final StructType REJECT_SCHEMA =
      new StructType()
          .add("source_path", DataTypes.StringType, false)
          .add("split_start", DataTypes.LongType, false)
          .add("line_in_split", DataTypes.LongType, false)
          .add("raw", DataTypes.StringType)
          .add("reason", DataTypes.StringType);

  /** One split's lines as read to its end. */
  public record SplitTally(String path, long splitStart, long lines, long kept, long rejected,
      long blank) implements Serializable {}

  private final SplitLines.SplitParser parser;
  private final CollectionAccumulator<SplitTally> tallies;
  private final String rejectsDir;
  private final HadoopConfiguration conf;
  private final Map<String, Integer> fileIndex = new HashMap<>();
  private final boolean strict;
  private transient JsonFactory json;

  /**
   * @param files the files the job reads (their order names the rejects files)
   * @param rejectsDir a scratch folder for the rejects, which this job alone writes to
   * @param strict stop reading a split at its first reject, which is counted but not written:
   *     the job is to fail, and {@link #counts()} then only tells whether anything was rejected
   */
  public TalliedSplits(SparkSession spark, SplitLines.SplitParser parser, List<SourceFile> files,
      String rejectsDir, boolean strict) {
    this.parser = parser;
    this.tallies = spark.sparkContext().collectionAccumulator("split tallies");
    this.rejectsDir = rejectsDir;
    this.conf = new HadoopConfiguration(spark.sparkContext().hadoopConfiguration());
    for (SourceFile file : files) {
      fileIndex.putIfAbsent(file.path(), fileIndex.size());
    }
    this.strict = strict;
  }

  @Override
  public Iterator<Row> parse(String path, long splitStart, Iterator<String> lines) {
    return new KeptRows(path, splitStart, parser.parse(path, splitStart, lines));
  }

  /** The counts of every split read to its end; call after the job that read them. */
  public ParseCounts counts() {
    Map<String, SplitTally> bySplit = new LinkedHashMap<>();
    for (SplitTally tally : tallies.value()) {
      bySplit.putIfAbsent(tally.splitStart() + "\t" + tally.path(), tally);
    }
    List<LineNumbers.SplitCount> splits = new ArrayList<>();
    Map<String, Long> kept = new HashMap<>();
    Map<String, Long> rejected = new HashMap<>();
    Map<String, Long> blank = new HashMap<>();
    for (SplitTally tally : bySplit.values()) {
      splits.add(new LineNumbers.SplitCount(tally.path(), tally.splitStart(), tally.lines()));
      if (tally.kept() > 0) {
        kept.merge(tally.path(), tally.kept(), Long::sum);
      }
      if (tally.rejected() > 0) {
        rejected.merge(tally.path(), tally.rejected(), Long::sum);
      }
      if (tally.blank() > 0) {
        blank.merge(tally.path(), tally.blank(), Long::sum);
      }
    }
    return new ParseCounts(splits, kept, rejected, blank);
  }

  /**
   * The rejects written by the job, as {@link #REJECT_SCHEMA} rows; only when {@link #counts()}
   * has rejects (without any, the folder does not exist).
   */
  public Dataset<Row> rejects(SparkSession spark) {
    return spark.read().schema(REJECT_SCHEMA).option("mode", "FAILFAST").json(rejectsDir);
  }

  /** The name of the rejects file of one split: unique per file and split, the same on retry. */
  private String rejectsFile(String path, long splitStart) {
    Integer index = fileIndex.get(path);
    if (index == null) {
      throw new IllegalStateException("not an input of this job: " + path);
    }
    return "rejects-" + index + "-" + splitStart + ".json";
  }

  /** The parser's kept rows; rejects written aside, headers dropped, every line counted. */
  private final class KeptRows implements Iterator<Row> {
    private final String path;
    private final long splitStart;
    private final Iterator<Row> rows;
    private Row next;
    private boolean finished;
    private long lines;
    private long kept;
    private long rejected;
    private long blank;
    private JsonGenerator rejectsOut;

    KeptRows(String path, long splitStart, Iterator<Row> rows) {
      this.path = path;
      this.splitStart = splitStart;
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (finished) {
        return false;
      }
      while (rows.hasNext()) {
        Row row = rows.next();
        lines++;
        String status = row.getString(3);
        if (ParseCounts.OK.equals(status)) {
          kept++;
          next = row;
          return true;
        }
        if (ParseCounts.BLANK.equals(status)) {
          blank++;
        } else if (ParseCounts.REJECT.equals(status)) {
          rejected++;
          if (strict) {
            break;
          }
          writeReject(row);
        }
      }
      finished = true;
      closeRejects();
      tallies.add(new SplitTally(path, splitStart, lines, kept, rejected, blank));
      return false;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }

    private void writeReject(Row row) {
      try {
        if (rejectsOut == null) {
          openRejects();
        }
        rejectsOut.writeStartObject();
        rejectsOut.writeStringField("source_path", row.getString(0));
        rejectsOut.writeNumberField("split_start", row.getLong(1));
        rejectsOut.writeNumberField("line_in_split", row.getLong(2));
        rejectsOut.writeStringField("raw", row.getString(5));
        rejectsOut.writeStringField("reason", row.getString(4));
        rejectsOut.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the rejects of " + path + ": "
            + e.getMessage(), e);
      }
    }

    private void openRejects() throws IOException {
      if (json == null) {
        json = new JsonFactory();
      }
      Path dir = new Path(rejectsDir);
      FileTree tree = new FileTree(dir.getFileSystem(conf.get()), dir);
      // The writer's encoder turns a surrogate cut in half by truncation into '?', as Spark's
      // own string encoding does.
      rejectsOut = json.createGenerator(new BufferedWriter(new OutputStreamWriter(
          tree.create(rejectsFile(path, splitStart)), StandardCharsets.UTF_8), 1 << 16));
      rejectsOut.setRootValueSeparator(new SerializedString("\n"));
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) context -> closeQuietly());
      }
    }

    private void closeRejects() {
      if (rejectsOut != null) {
        try {
          rejectsOut.writeRaw('\n');
          rejectsOut.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the rejects of " + path + ": "
              + e.getMessage(), e);
        }
        rejectsOut = null;
      }
    }

    private void closeQuietly() {
      if (rejectsOut != null) {
        try {
          rejectsOut.close();
        } catch (IOException e) {
          // The task failed or was killed; its attempt's file is rewritten by the next one.
        }
        rejectsOut = null;
      }
    }
  }
}
