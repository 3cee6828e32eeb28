package dev.servelens.io;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Reads many text files as one Spark job, handing each input split to a parser together with
 * the file it belongs to and where it starts. Knowing the split lets records carry their
 * position ({@code line_in_split}), which {@link LineNumbers} later turns into true line numbers
 * without a second pass over the data. Compressed files are read whole, as one split.
 */
public final class SplitLines {
  private SplitLines() {}

  /** Turns the lines of one input split into rows. Implementations are small named classes. */
  public interface SplitParser extends Serializable {
    /**
     * @param path the file's fully qualified path, as in {@link SourceFile#path()}
     * @param splitStart byte offset where the split starts (0 for the split holding line 1)
     * @param lines the split's lines, without terminators
     */
    Iterator<Row> parse(String path, long splitStart, Iterator<String> lines);
  }

  /** Reads {@code files} and parses every split with {@code parser}. */
  public static JavaRDD<Row> parse(
      SparkSession spark, List<SourceFile> files, SplitParser parser) {
    return read(spark, files, parser, false);
  }

  /**
   * Like {@link #parse}, but each file whole, as one split: a line's number is then its
   * position in the file, known while the file is parsed, with no counts of earlier splits
   * needed first. For many files of moderate size, which alone give every core work.
   */
  public static JavaRDD<Row> parseWholeFiles(
      SparkSession spark, List<SourceFile> files, SplitParser parser) {
    return read(spark, files, parser, true);
  }

  private static JavaRDD<Row> read(
      SparkSession spark, List<SourceFile> files, SplitParser parser, boolean wholeFiles) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = new Configuration(jsc.hadoopConfiguration());
    try {
      Job job = Job.getInstance(conf);
      Path[] paths = files.stream().map(f -> new Path(f.path())).toArray(Path[]::new);
      FileInputFormat.setInputPaths(job, paths);
      conf = job.getConfiguration();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (wholeFiles) {
      conf.setLong(FileInputFormat.SPLIT_MINSIZE, Long.MAX_VALUE);
    }
    JavaNewHadoopRDD<LongWritable, Text> rdd =
        (JavaNewHadoopRDD<LongWritable, Text>)
            jsc.newAPIHadoopRDD(conf, TextInputFormat.class, LongWritable.class, Text.class);
    return rdd.mapPartitionsWithInputSplit(new ParseSplit(parser, wholeFiles), false);
  }

  /** Adapts a {@link SplitParser} to Spark's per-split callback. */
  private static final class ParseSplit
      implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final SplitParser parser;
    private final boolean wholeFiles;

    ParseSplit(SplitParser parser, boolean wholeFiles) {
      this.parser = parser;
      this.wholeFiles = wholeFiles;
    }

    @Override
    public Iterator<Row> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> records) {
      FileSplit fileSplit = (FileSplit) split;
      if (wholeFiles && fileSplit.getStart() != 0) {
        throw new IllegalStateException("file read in parts: " + fileSplit.getPath());
      }
      return parser.parse(
          fileSplit.getPath().toString(), fileSplit.getStart(), new TextToString(records));
    }
  }

  /** Decodes Hadoop's reused {@link Text} buffers into strings, one line at a time. */
  private static final class TextToString implements Iterator<String> {
    private final Iterator<Tuple2<LongWritable, Text>> records;

    TextToString(Iterator<Tuple2<LongWritable, Text>> records) {
      this.records = records;
    }

    @Override
    public boolean hasNext() {
      return records.hasNext();
    }

    @Override
    public String next() {
      Text text = records.next()._2();
      return new String(text.getBytes(), 0, text.getLength(), StandardCharsets.UTF_8);
    }
  }
}
