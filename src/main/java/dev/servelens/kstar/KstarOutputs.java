package dev.servelens.kstar;

import static dev.servelens.kstar.KstarColumns.DATASET;
import static dev.servelens.kstar.KstarColumns.K;
import static dev.servelens.kstar.KstarColumns.KHAT_REPORTED;
import static dev.servelens.kstar.KstarColumns.KSTAR_OFFLINE_REPORTED;
import static dev.servelens.kstar.KstarColumns.KSTAR_ONLINE_REPORTED;
import static dev.servelens.kstar.KstarColumns.MODEL;
import static dev.servelens.kstar.KstarColumns.N;
import static dev.servelens.kstar.KstarColumns.P_OFFLINE_REPORTED;
import static dev.servelens.kstar.KstarColumns.THROUGHPUT;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.servelens.io.TableOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Writes the tables and figure data of {@code analyze kstar} under {@code <out>/kstar/}. */
final class KstarOutputs {
  /** CDF points kept per model: one each time the CDF enters a new 1/CDF_STEPS step. */
  static final int CDF_STEPS = 1000;

  /** Equal-width bins per model in the length histograms (at most). */
  static final int HISTOGRAM_BINS = 50;

  static final StructType LENGTH_HISTOGRAM_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add("bin_lo", DataTypes.LongType, false)
          .add("bin_hi", DataTypes.LongType, false)
          .add("fraction", DataTypes.DoubleType, false);

  /** The {@code source} of the online k* policy's rows in {@code throughput_vs_k.csv}. */
  static final String ONLINE_POLICY_SOURCE = "online_policy";

  static final StructType FIT_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add("alpha_p", DataTypes.DoubleType, false)
          .add("beta_p", DataTypes.DoubleType, false)
          .add("r2_prefill", DataTypes.DoubleType)
          .add("alpha_d", DataTypes.DoubleType, false)
          .add("beta_d", DataTypes.DoubleType, false)
          .add("r2_decode", DataTypes.DoubleType)
          .add("prefill_points", DataTypes.LongType)
          .add("decode_points", DataTypes.LongType)
          .add("clamped", DataTypes.StringType)
          .add("profile_source", DataTypes.StringType, false)
          .add("fitted_profile", DataTypes.StringType);

  static final StructType LEFT_OUT_SCHEMA =
      new StructType()
          .add("profile", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, false);

  static final StructType LINE_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add(KstarColumns.KIND, DataTypes.StringType, false)
          .add("alpha", DataTypes.DoubleType, false)
          .add("beta", DataTypes.DoubleType, false);

  static final StructType ONLINE_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add(N, DataTypes.IntegerType, false)
          .add("completions", DataTypes.LongType, false)
          .add("mean_output_tokens", DataTypes.DoubleType, false)
          .add("p", DataTypes.DoubleType, false)
          .add("kstar", DataTypes.IntegerType, false);

  static final StructType CDF_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add(KstarColumns.OUTPUT_TOKENS, DataTypes.LongType, false)
          .add("cdf", DataTypes.DoubleType, false);

  static final StructType CURVE_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add(N, DataTypes.IntegerType, false)
          .add(K, DataTypes.IntegerType, false)
          .add(THROUGHPUT, DataTypes.DoubleType, false)
          .add("throughput_sd", DataTypes.DoubleType)
          .add("source", DataTypes.StringType, false);

  static final StructType MEASURED_SCHEMA =
      new StructType()
          .add(DATASET, DataTypes.StringType, false)
          .add(MODEL, DataTypes.StringType, false)
          .add(N, DataTypes.IntegerType, false)
          .add("khat_measured", DataTypes.IntegerType, false)
          .add(KHAT_REPORTED, DataTypes.IntegerType)
          .add(KSTAR_OFFLINE_REPORTED, DataTypes.IntegerType)
          .add(KSTAR_ONLINE_REPORTED, DataTypes.IntegerType)
          .add(P_OFFLINE_REPORTED, DataTypes.DoubleType)
          .add("kstar_computed", DataTypes.IntegerType)
          .add("throughput_khat", DataTypes.DoubleType, false)
          .add("throughput_kstar", DataTypes.DoubleType)
          .add("gap_pct", DataTypes.DoubleType);

  private final SparkSession spark;
  private final String out;
  private final KstarAnalyzeOptions options;

  KstarOutputs(SparkSession spark, KstarAnalyzeOptions options) {
    this.spark = spark;
    this.out = options.out;
    this.options = options;
  }

  private void table(List<Row> rows, StructType schema, String name) {
    TableOutput.writeRows(conf(), schema, rows, out, KstarColumns.FAMILY, name);
  }

  private void figure(List<Row> rows, StructType schema, String name) {
    TableOutput.writeCsvRows(conf(), schema, rows, figurePath(name));
  }

  private String figurePath(String name) {
    return out + "/" + KstarColumns.FAMILY + "/figures/" + name + ".csv";
  }

  private org.apache.hadoop.conf.Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private void figure(Dataset<Row> data, String name) {
    TableOutput.writeCsvFile(data, figurePath(name));
  }

  void fits(List<KstarModel> models, Map<String, Map<String, LineFit>> fits) {
    List<Row> rows = new ArrayList<>();
    for (KstarModel model : models) {
      ServiceProfile profile = model.profile();
      boolean fitted = model.fitName() != null;
      Map<String, LineFit> lines = fitted ? fits.get(model.fitName()) : Map.of();
      LineFit prefill = fitted ? lines.get(KstarColumns.KIND_PREFILL) : null;
      LineFit decode = fitted ? lines.get(KstarColumns.KIND_DECODE) : null;
      String clamped = prefill == null ? null
          : (prefill.clamped() ? "prefill " : "") + (decode.clamped() ? "decode" : "");
      rows.add(RowFactory.create(model.name(), profile.alphaP(), profile.betaP(),
          prefill == null ? null : nullIfNaN(prefill.r2()), profile.alphaD(), profile.betaD(),
          decode == null ? null : nullIfNaN(decode.r2()),
          prefill == null ? null : prefill.points(), decode == null ? null : decode.points(),
          clamped == null ? null : clamped.trim(), model.profileSource(), model.fitName()));
    }
    table(rows, FIT_SCHEMA, "fit");
  }

  /** {@code profiles_left_out.csv}: fitted profiles no analysed model uses, and why. */
  void profilesLeftOut(Map<String, String> leftOut) {
    List<Row> rows = new ArrayList<>();
    leftOut.forEach((profile, reason) -> rows.add(RowFactory.create(profile, reason)));
    table(rows, LEFT_OUT_SCHEMA, "profiles_left_out");
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }

  void kstar(List<KstarResult> results) {
    List<Row> rows = new ArrayList<>();
    results.forEach(result -> rows.add(result.toRow()));
    table(rows, KstarResult.SCHEMA, "kstar");
  }

  /**
   * Simulated mean throughput per k, the online k* policy's as a horizontal line (source {@code
   * online_policy}: its one throughput per model and N repeated at every k = 1..N), and measured
   * throughput per k where ingested.
   */
  void throughputCurve(List<Row> curve, List<Row> onlinePolicy, Optional<Dataset<Row>> results) {
    List<Row> rows = new ArrayList<>();
    for (Row row : curve) {
      rows.add(RowFactory.create(row.getString(0), row.getInt(1), row.getInt(2),
          row.getDouble(3), row.isNullAt(4) ? null : row.getDouble(4), "simulated"));
    }
    for (Row row : onlinePolicy) {
      for (int k = 1; k <= row.getInt(1); k++) {
        rows.add(RowFactory.create(row.getString(0), row.getInt(1), k, row.getDouble(3),
            row.isNullAt(4) ? null : row.getDouble(4), ONLINE_POLICY_SOURCE));
      }
    }
    Dataset<Row> data = spark.createDataFrame(rows, CURVE_SCHEMA);
    if (results.isPresent()) {
      data = data.unionByName(results.get()
          .groupBy(MODEL, N, K, DATASET)
          .agg(avg(col(THROUGHPUT)).as(THROUGHPUT))
          .select(col(MODEL), col(N), col(K), col(THROUGHPUT),
              lit(null).cast(DataTypes.DoubleType).as("throughput_sd"),
              concat(lit("measured:"), col(DATASET)).as("source")));
    }
    // The online policy's rows last: the figure colours series in order of first appearance.
    figure(data.orderBy(when(col("source").equalTo(ONLINE_POLICY_SOURCE), 1).otherwise(0),
        col("source"), col(MODEL), col(N), col(K)).coalesce(1), "throughput_vs_k");
  }

  /**
   * {@code measured.csv}: per ingested experiment, the measured k-hat (argmax of measured
   * throughput) next to the k* computed here for the same N (with the experiment's reported
   * offline p when given, else the trace's p) and the measured throughput gap between them.
   */
  void measured(Optional<Dataset<Row>> results, List<KstarModel> models) {
    if (results.isEmpty()) {
      return;
    }
    Map<String, KstarModel> byName = new TreeMap<>();
    models.forEach(model -> byName.put(model.name(), model));
    Map<String, List<Row>> experiments = new TreeMap<>();
    for (Row row : results.get()
        .groupBy(DATASET, MODEL, N, K)
        .agg(avg(col(THROUGHPUT)).as(THROUGHPUT), first(col(KHAT_REPORTED), true),
            first(col(KSTAR_OFFLINE_REPORTED), true), first(col(KSTAR_ONLINE_REPORTED), true),
            first(col(P_OFFLINE_REPORTED), true))
        .orderBy(DATASET, MODEL, N, K)
        .collectAsList()) {
      experiments.computeIfAbsent(row.getString(0) + "\u0000" + row.getString(1) + "\u0000"
          + row.getInt(2), key -> new ArrayList<>()).add(row);
    }
    List<Row> rows = new ArrayList<>();
    for (List<Row> experiment : experiments.values()) {
      rows.add(measuredRow(experiment, byName));
    }
    table(rows, MEASURED_SCHEMA, "measured");
  }

  private static Row measuredRow(List<Row> experiment, Map<String, KstarModel> models) {
    Row head = experiment.get(0);
    String model = head.getString(1);
    int n = head.getInt(2);
    Row best = head;
    for (Row row : experiment) {
      if (row.getDouble(4) > best.getDouble(4)) {
        best = row;
      }
    }
    Double reportedP = head.isNullAt(8) ? null : head.getDouble(8);
    KstarModel known = models.get(model);
    Integer kstar = null;
    Double throughputKstar = null;
    Double gap = null;
    if (known != null) {
      double p = reportedP != null && reportedP > 0 && reportedP <= 1 ? reportedP : known.p();
      kstar = KstarFormula.kstar(n, p, known.profile());
      for (Row row : experiment) {
        if (row.getInt(3) == kstar) {
          throughputKstar = row.getDouble(4);
          gap = (best.getDouble(4) - throughputKstar) / best.getDouble(4) * 100.0;
        }
      }
    }
    return RowFactory.create(head.getString(0), model, n, best.getInt(3),
        head.isNullAt(5) ? null : head.getInt(5), head.isNullAt(6) ? null : head.getInt(6),
        head.isNullAt(7) ? null : head.getInt(7), reportedP, kstar, best.getDouble(4),
        throughputKstar, gap);
  }

  void online(List<KstarModel> models, Map<String, OnlineKstar> online) {
    List<Row> rows = new ArrayList<>();
    for (KstarModel model : models) {
      OnlineKstar estimate = online.get(model.name());
      if (estimate == null) {
        continue;
      }
      for (OnlineKstar.Point point : estimate.points()) {
        for (int n : options.batchSizes) {
          rows.add(RowFactory.create(model.name(), n, point.completions(), point.mean(),
              point.p(), KstarFormula.kstar(n, point.p(), model.profile())));
        }
      }
    }
    figure(rows, ONLINE_SCHEMA, "online_kstar");
  }

  /** The CDF of the output lengths each model was simulated with, thinned to CDF_STEPS points. */
  void outputLengthCdf(Map<String, SimulationInputs> inputs) {
    List<Row> rows = new ArrayList<>();
    inputs.forEach((model, input) -> {
      TokenHistogram lengths = input.outputLengths();
      long lastStep = -1;
      for (int i = 0; i < lengths.size(); i++) {
        long step = (long) Math.floor(lengths.cdf(i) * CDF_STEPS);
        if (step > lastStep || i == lengths.size() - 1) {
          rows.add(RowFactory.create(model, lengths.value(i), lengths.cdf(i)));
          lastStep = step;
        }
      }
    });
    figure(rows, CDF_SCHEMA, "output_length_cdf");
  }

  /**
   * {@code input_length_histogram.csv} and {@code output_length_histogram.csv}: per model, the
   * share of the lengths the simulation draws from in each of at most {@link #HISTOGRAM_BINS}
   * equal-width bins {@code [bin_lo, bin_hi)} from the smallest length to the largest, empty
   * bins included.
   */
  void lengthHistograms(Map<String, SimulationInputs> inputs) {
    List<Row> in = new ArrayList<>();
    List<Row> outputs = new ArrayList<>();
    inputs.forEach((model, input) -> {
      in.addAll(histogramRows(model, input.inputLengths()));
      outputs.addAll(histogramRows(model, input.outputLengths()));
    });
    figure(in, LENGTH_HISTOGRAM_SCHEMA, "input_length_histogram");
    figure(outputs, LENGTH_HISTOGRAM_SCHEMA, "output_length_histogram");
  }

  static List<Row> histogramRows(String model, TokenHistogram lengths) {
    long min = lengths.value(0);
    long max = lengths.value(lengths.size() - 1);
    long width = Math.max(1, (max - min + HISTOGRAM_BINS) / HISTOGRAM_BINS);
    double[] shares = new double[(int) ((max - min) / width) + 1];
    double below = 0;
    for (int i = 0; i < lengths.size(); i++) {
      shares[(int) ((lengths.value(i) - min) / width)] += lengths.cdf(i) - below;
      below = lengths.cdf(i);
    }
    List<Row> rows = new ArrayList<>();
    for (int bin = 0; bin < shares.length; bin++) {
      long lo = min + bin * width;
      rows.add(RowFactory.create(model, lo, lo + width, shares[bin]));
    }
    return rows;
  }

  /** Points and fitted line of one kind, for models whose profile was fitted. */
  void fitFigure(Dataset<Row> points, Map<String, Map<String, LineFit>> fits, String kind,
      String name) {
    List<Row> lines = new ArrayList<>();
    fits.forEach((model, byKind) -> {
      LineFit fit = byKind.get(kind);
      if (fit != null) {
        lines.add(RowFactory.create(model, kind, fit.alpha(), fit.beta()));
      }
    });
    Dataset<Row> fitted = KstarAnalytics.fittedLine(points,
        spark.createDataFrame(lines, LINE_SCHEMA), kind);
    figure(fitted.coalesce(1), name);
  }
}
