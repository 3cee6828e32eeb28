package dev.servelens.runs;

import dev.servelens.io.SourceFile;
import dev.servelens.io.SplitLines;
import java.io.IOException;
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
 * Reads many text files as one Spark job, like {@link SplitLines}, but each file whole, as one
 * split: a line's number is then its position in its split plus one, known while the file is
 * parsed, so the parsed rows can be written to their table in the same pass (no counts of the
 * lines of earlier splits needed first). Run directories hold many files of moderate size, so
 * the files alone give every core work.
 */
final class WholeFileLines {
  private WholeFileLines() {}

  /** Reads {@code files}, one split each, and parses every file with {@code parser}. */
  static JavaRDD<Row> parse(SparkSession spark, List<SourceFile> files,
      SplitLines.SplitParser parser) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = new Configuration(jsc.hadoopConfiguration());
    try {
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job,
          files.stream().map(f -> new Path(f.path())).toArray(Path[]::new));
      conf = job.getConfiguration();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    conf.setLong(FileInputFormat.SPLIT_MINSIZE, Long.MAX_VALUE);
    JavaNewHadoopRDD<LongWritable, Text> rdd =
        (JavaNewHadoopRDD<LongWritable, Text>)
            jsc.newAPIHadoopRDD(conf, TextInputFormat.class, LongWritable.class, Text.class);
    return rdd.mapPartitionsWithInputSplit(new ParseFile(parser), false);
  }

  /** Hands each split (a whole file) to the parser. */
  private static final class ParseFile
      implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final SplitLines.SplitParser parser;

    ParseFile(SplitLines.SplitParser parser) {
      this.parser = parser;
    }

    @Override
    public Iterator<Row> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> records) {
      FileSplit file = (FileSplit) split;
      if (file.getStart() != 0) {
        throw new IllegalStateException("file read in parts: " + file.getPath());
      }
      return parser.parse(file.getPath().toString(), 0, new Iterator<>() {
        @Override
        public boolean hasNext() {
          return records.hasNext();
        }

        @Override
        public String next() {
          Text text = records.next()._2();
          return new String(text.getBytes(), 0, text.getLength(), StandardCharsets.UTF_8);
        }
      });
    }
  }
}
