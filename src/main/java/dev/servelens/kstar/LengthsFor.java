package dev.servelens.kstar;

import static dev.servelens.kstar.KstarColumns.INPUT_TOKENS;
import static dev.servelens.kstar.KstarColumns.MODEL;
import static dev.servelens.kstar.KstarColumns.OUTPUT_TOKENS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code --lengths-for PROFILE=SPEC}: a fitted profile analysed with a plain length
 * distribution instead of a workload model's lengths. SPEC is one of
 *
 * <ul>
 *   <li>{@code geometric:MEAN[,in:TOKENS]}: output lengths geometric on 1, 2, ... with mean MEAN
 *       (the k* analysis's own assumption, a termination probability p = 1 / MEAN per step),
 *       every prompt TOKENS tokens (default 0: a prefill then costs alpha_p alone);
 *   <li>{@code file:PATH}: the lengths in a file or folder (any Hadoop path), one request a
 *       line, {@code output} or {@code input,output} whole numbers; blank lines, {@code #}
 *       comments and header lines of names are skipped, zero output lengths left out as in a
 *       trace.
 * </ul>
 *
 * The series is named {@code PROFILE@SPEC}, so every output row says where its lengths came from.
 *
 * @param profile the kstar_profiles name whose fit is used
 * @param spec the SPEC as given
 * @param mean geometric: the mean output length; file: NaN
 * @param inputTokens geometric: the prompt length; file: 0 (the file gives it)
 * @param path file: the Hadoop path; geometric: null
 */
public record LengthsFor(String profile, String spec, double mean, long inputTokens, String path)
    implements Serializable {
  /** The option's name, in every message about its values. */
  public static final String OPTION = "--lengths-for";
  static final String GEOMETRIC = "geometric:";
  static final String FILE = "file:";
  /** The largest geometric mean taken: its histogram spans about 14 times as many tokens. */
  static final double MAX_MEAN = 1_000_000;
  /** A line of the lengths file: one or two whole numbers, comma-separated. */
  private static final String NUMBERS = "^[0-9]{1,12}(\\s*,\\s*[0-9]{1,12})?$";
  /** A header line: names only. */
  private static final String NAMES = "^[A-Za-z_][A-Za-z_ ]*(\\s*,\\s*[A-Za-z_][A-Za-z_ ]*)?$";

  /** Parses {@code PROFILE=SPEC}; the message of a failure names the option and the value. */
  public static LengthsFor parse(String value) {
    int equals = value.indexOf('=');
    if (equals <= 0 || equals == value.length() - 1) {
      throw bad(value, "expected PROFILE=geometric:MEAN[,in:TOKENS] or PROFILE=file:PATH");
    }
    String profile = value.substring(0, equals).trim();
    String spec = value.substring(equals + 1).trim();
    if (spec.startsWith(FILE)) {
      String path = spec.substring(FILE.length()).trim();
      if (path.isEmpty()) {
        throw bad(value, "file: needs a path");
      }
      return new LengthsFor(profile, spec, Double.NaN, 0, path);
    }
    if (!spec.startsWith(GEOMETRIC)) {
      throw bad(value, "SPEC must start with geometric: or file:, got '" + spec + "'");
    }
    String[] parts = spec.substring(GEOMETRIC.length()).split(",", -1);
    double mean = number(value, parts[0], "the mean output length");
    if (!(mean >= 1 && mean <= MAX_MEAN)) {
      throw bad(value, "the mean output length must be a number in 1.." + (long) MAX_MEAN
          + " (lengths are 1, 2, ...), got '" + parts[0].trim() + "'");
    }
    long input = 0;
    if (parts.length > 2 || (parts.length == 2 && !parts[1].trim().startsWith("in:"))) {
      throw bad(value, "after the mean only ',in:TOKENS' may follow");
    }
    if (parts.length == 2) {
      String tokens = parts[1].trim().substring("in:".length()).trim();
      if (!tokens.matches("[0-9]{1,12}")) {
        throw bad(value, "in: must be a whole number of prompt tokens >= 0, got '" + tokens + "'");
      }
      input = Long.parseLong(tokens);
    }
    return new LengthsFor(profile, spec, mean, input, null);
  }

  private static double number(String value, String text, String what) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw bad(value, what + " is not a number: '" + text.trim() + "'");
    }
  }

  private static KstarOptionException bad(String value, String why) {
    return new KstarOptionException(OPTION + " " + value + ": " + why);
  }

  /** The series' name in every output: the profile and where its lengths came from. */
  String series() {
    return profile + "@" + spec;
  }

  boolean isFile() {
    return path != null;
  }

  /** The termination probability of a geometric SPEC, 1 / mean. */
  double p() {
    return 1.0 / mean;
  }

  /** Mean of a request's KV footprint, prompt + output tokens, of a geometric SPEC. */
  double footprintMean() {
    return inputTokens + mean;
  }

  /** Its standard deviation: the geometric's, sqrt(1 - p) / p (the prompt is constant). */
  double footprintSd() {
    return Math.sqrt(1 - p()) / p();
  }

  /**
   * The requests of every file SPEC, read with Spark (never collected): {@code model,
   * input_tokens, output_tokens} with the model the series' name. A missing path or a line that
   * is neither lengths nor a header fails naming the option, the value and the first such line.
   *
   * @return null when no SPEC is a file
   */
  static Dataset<Row> fileSamples(SparkSession spark, List<LengthsFor> all) {
    Dataset<Row> union = null;
    for (LengthsFor lengths : all) {
      if (lengths.isFile()) {
        Dataset<Row> samples = lengths.read(spark);
        union = union == null ? samples : union.unionByName(samples);
      }
    }
    return union;
  }

  private Dataset<Row> read(SparkSession spark) {
    try {
      Path hadoopPath = new Path(path);
      FileSystem fs = hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(hadoopPath)) {
        throw bad(profile + "=" + spec, "no such file or folder " + path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " (" + OPTION + ")", e);
    }
    Column line = trim(col("value"));
    Dataset<Row> lines = spark.read().text(path).select(line.as("line"))
        .where(col("line").notEqual("").and(not(col("line").startsWith("#")))
            .and(not(col("line").rlike(NAMES))));
    Row bad = lines.where(not(col("line").rlike(NUMBERS))).limit(1).collectAsList().stream()
        .findFirst().orElse(null);
    if (bad != null) {
      throw bad(profile + "=" + spec, "line '" + bad.getString(0) + "' in " + path
          + " is not 'output' or 'input,output' in whole tokens");
    }
    Column fields = split(col("line"), "\\s*,\\s*");
    Column two = size(fields).equalTo(2);
    return lines
        .select(
            lit(series()).as(MODEL),
            when(two, element_at(fields, 1).cast("long")).otherwise(lit(0L)).as(INPUT_TOKENS),
            element_at(fields, -1).cast("long").as(OUTPUT_TOKENS))
        .where(col(OUTPUT_TOKENS).gt(0));
  }
}
