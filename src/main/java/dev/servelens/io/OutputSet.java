package dev.servelens.io;

import dev.servelens.catalog.ProcessOwner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A family's outputs ({@code OUT/<folder>/}: tables, figure data, figures) replaced as one set.
 * The analysis writes into a hidden staging folder {@code OUT/.<folder>.staging-<id>/}; only
 * when it has finished does the old folder step aside ({@code .<folder>.old-<id>}) and the new
 * one take its name, two renames, after which the old one is deleted. An analysis killed while
 * it writes leaves the previous outputs whole; one killed between the two renames leaves the old
 * folder aside, and the next analysis or report puts it back ({@link #restore}).
 */
public final class OutputSet {
  private static final Logger LOG = LoggerFactory.getLogger(OutputSet.class);
  private static final String OWNER = "_owner";

  private OutputSet() {}

  /**
   * Runs {@code analysis} with a staging output root in place of {@code out}, then puts the
   * {@code folder} it wrote in place of {@code out/folder}.
   */
  public static <T> T replace(Configuration conf, String out, String folder,
      Function<String, T> analysis) {
    Path root = new Path(out);
    try {
      FileSystem fs = root.getFileSystem(conf);
      restore(fs, root, folder);
      removeAbandoned(fs, root, folder);
      Path staging = new Path(root, "." + folder + ".staging-" + id());
      fs.mkdirs(staging);
      try (OutputStream owner = fs.create(new Path(staging, OWNER), true)) {
        owner.write(ProcessOwner.current("analysis into " + out).toBytes());
      }
      T result;
      try {
        result = analysis.apply(staging.toString());
      } catch (RuntimeException | Error e) {
        fs.delete(staging, true);
        throw e;
      }
      swap(fs, new Path(staging, folder), new Path(root, folder));
      fs.delete(staging, true);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace the outputs in " + out + "/" + folder + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * {@link #replace(Configuration, String, String, Function)} for an analysis that reads its
   * output root from its options: {@code setOut} points them at the staging root while {@code
   * analysis} runs, and back at {@code out} after.
   */
  public static <T> T replace(SparkSession spark, String out, String folder,
      Consumer<String> setOut, Supplier<T> analysis) {
    try {
      return replace(spark.sparkContext().hadoopConfiguration(), out, folder, staged -> {
        setOut.accept(staged);
        return analysis.get();
      });
    } finally {
      setOut.accept(out);
    }
  }

  private static String id() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** Puts {@code fresh} in the place of {@code target}: two renames, the old set deleted last. */
  private static void swap(FileSystem fs, Path fresh, Path target) throws IOException {
    if (!fs.exists(fresh)) {
      return; // the analysis wrote nothing: the previous outputs stay
    }
    Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + id());
    if (fs.exists(target) && !fs.rename(target, old)) {
      throw new IOException("cannot move the previous outputs " + target + " aside");
    }
    if (!fs.rename(fresh, target)) {
      fs.rename(old, target);
      throw new IOException("cannot move the new outputs " + fresh + " to " + target);
    }
    fs.delete(old, true);
  }

  /**
   * Finishes what an analysis killed between its two renames left: puts an old {@code folder}
   * set aside back in place when there is none, and deletes old sets that a newer one replaced.
   */
  public static void restore(FileSystem fs, Path out, String folder) throws IOException {
    if (!fs.exists(out)) {
      return;
    }
    Path target = new Path(out, folder);
    for (FileStatus aside : fs.listStatus(out)) {
      if (!aside.isDirectory() || !aside.getPath().getName().startsWith("." + folder + ".old-")) {
        continue;
      }
      if (!fs.exists(target)) {
        LOG.warn("Putting back {}: an analysis stopped while it replaced them", target);
        fs.rename(aside.getPath(), target);
      } else {
        fs.delete(aside.getPath(), true);
      }
    }
  }

  /** {@link #restore} for every family folder with an old set aside under {@code out}. */
  public static void restoreAll(FileSystem fs, Path out) throws IOException {
    if (!fs.exists(out)) {
      return;
    }
    for (FileStatus aside : fs.listStatus(out)) {
      String name = aside.getPath().getName();
      int old = name.lastIndexOf(".old-");
      if (aside.isDirectory() && name.startsWith(".") && old > 1) {
        restore(fs, out, name.substring(1, old));
      }
    }
  }

  /** Deletes staging folders of {@code folder} whose analysis died on this host. */
  private static void removeAbandoned(FileSystem fs, Path out, String folder)
      throws IOException {
    if (!fs.exists(out)) {
      return;
    }
    for (FileStatus staging : fs.listStatus(out)) {
      if (staging.isDirectory()
          && staging.getPath().getName().startsWith("." + folder + ".staging-")) {
        Optional<ProcessOwner> owner =
            ProcessOwner.readFrom(fs, new Path(staging.getPath(), OWNER));
        if (owner.isPresent() && owner.get().deadOnThisHost()) {
          LOG.warn("Removing {}, left by an analysis that stopped", staging.getPath());
          fs.delete(staging.getPath(), true);
        }
      }
    }
  }
}
