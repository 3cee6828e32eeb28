package dev.servelens.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Reads many small files whole, as {@code (path, text)} records, from a list of paths the
 * driver already has (an ingest's listing). Unlike {@code wholeTextFiles} over a comma-joined
 * path string, any path works (commas included), nothing is listed twice, and a task carries
 * only its own slice of the list, so hundreds of thousands of files stay cheap to schedule.
 * Each task opens its files one at a time, so it holds one file's text at once.
 */
public final class WholeFiles {
  /** Files per task: small enough for progress and retries, large enough to amortise. */
  public static final int FILES_PER_TASK = 1000;

  private WholeFiles() {}

  /**
   * Reads {@code paths} (fully qualified Hadoop paths), at most {@link #FILES_PER_TASK} per
   * task.
   */
  public static JavaRDD<Tuple2<String, String>> read(SparkSession spark, List<String> paths) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Enough tasks for every core too: 1,000 files of one kind are not one task.
    int tasks = Math.max((paths.size() + FILES_PER_TASK - 1) / FILES_PER_TASK,
        Math.min(paths.size(), 2 * jsc.defaultParallelism()));
    return jsc.parallelize(paths, tasks)
        .mapPartitions(new ReadAll(new HadoopConfiguration(jsc.hadoopConfiguration())));
  }

  /** Opens the paths of one task lazily, one file per record. */
  private static final class ReadAll implements FlatMapFunction<Iterator<String>,
      Tuple2<String, String>> {
    private static final long serialVersionUID = 1L;
    private final HadoopConfiguration conf;

    ReadAll(HadoopConfiguration conf) {
      this.conf = conf;
    }

    @Override
    public Iterator<Tuple2<String, String>> call(Iterator<String> paths) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return paths.hasNext();
        }

        @Override
        public Tuple2<String, String> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          String path = paths.next();
          return new Tuple2<>(path, text(path));
        }
      };
    }

    private String text(String file) {
      Path path = new Path(file);
      try {
        FileSystem fs = path.getFileSystem(conf.get());
        try (InputStream in = fs.open(path)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
