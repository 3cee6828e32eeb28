package dev.servelens.kstar;

import static dev.servelens.kstar.KstarColumns.INPUT_TOKENS;
import static dev.servelens.kstar.KstarColumns.KIND_DECODE;
import static dev.servelens.kstar.KstarColumns.KIND_PREFILL;
import static dev.servelens.kstar.KstarColumns.MODEL;
import static dev.servelens.kstar.KstarColumns.OUTPUT_TOKENS;
import static dev.servelens.kstar.KstarColumns.VALUE;
import static org.apache.spark.sql.functions.col;

import dev.servelens.catalog.Catalog;
import dev.servelens.figures.Figures;
import dev.servelens.io.OutputSet;
import dev.servelens.io.SessionSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Runs the scheduler-tuning analyses of SPEC 2.K over the catalog and writes {@code
 * <out>/kstar/}: the timing fits, k* against the simulated k-hat per model and N (with N* under
 * the memory bound of {@link MemoryBound}), measured k-hat side by side when experiment results
 * were ingested, and the figure data. The simulation of every (model, N, k, replicate) is one
 * Spark job; only bounded results (fit sums, histograms, throughput curves) reach the driver.
 * Output lengths and p come from {@code workload_requests}; without a trace, models come from the
 * profiles and p from the ingested results' reported offline p, with geometric lengths.
 */
public final class KstarAnalyzeJob {
  private static final Logger LOG = LoggerFactory.getLogger(KstarAnalyzeJob.class);

  private final SparkSession spark;
  private final KstarAnalyzeOptions options;
  private final Catalog catalog;
  /** Profile -> why one of its lines could not be fitted. */
  private final Map<String, String> unfitted = new TreeMap<>();

  private KstarAnalyzeJob(SparkSession spark, KstarAnalyzeOptions options) {
    this.spark = spark;
    this.options = options;
    this.catalog = new Catalog(spark, options.catalog);
  }

  /** Runs the analyses; returns the rows of {@code kstar.csv}. */
  public static List<KstarResult> run(SparkSession spark, KstarAnalyzeOptions options) {
    // The outputs are written aside and replace the previous set as one (OutputSet).
    // Every shuffle reduces to rows per model (per model and bin, per model, N and k): as many
    // tasks as cores.
    return SessionSettings.with(spark, SessionSettings.ANALYSIS,
        () -> SessionSettings.withShufflePartitions(spark,
            spark.sparkContext().defaultParallelism(),
            () -> OutputSet.replace(spark, options.out, KstarColumns.FAMILY,
                out -> options.out = out, () -> new KstarAnalyzeJob(spark, options).analyze())));
  }

  private List<KstarResult> analyze() {
    validate();
    try {
      spark.sparkContext().setJobGroup("analyze-kstar", "fit timing profiles", false);
      Optional<Dataset<Row>> profiles = catalog.hasTable(KstarColumns.PROFILES_TABLE)
          ? Optional.of(filterProfiles(catalog.requireTable(KstarColumns.PROFILES_TABLE,
              KstarColumns.PROFILES_SCHEMA, "servelens ingest kstar")))
          : Optional.empty();
      Dataset<Row> points = profiles.map(KstarAnalytics::fitPoints).orElse(null);
      Map<String, Map<String, LineFit>> fits = points == null ? Map.of() : fits(points);
      options.profileFor.forEach((model, profile) ->
          requireProfile("--profile-for " + model + "=" + profile, profile, fits, false));
      options.lengthsFor.forEach(lengths -> requireProfile(LengthsFor.OPTION + " "
          + lengths.profile() + "=" + lengths.spec(), lengths.profile(), fits, true));
      Dataset<Row> lengthSamples = LengthsFor.fileSamples(spark, options.lengthsFor);
      if (lengthSamples != null) {
        lengthSamples.persist(StorageLevel.MEMORY_AND_DISK());
      }
      Optional<Dataset<Row>> samples = catalog.table(KstarColumns.WORKLOAD_REQUESTS_TABLE)
          .map(table -> filterModels(KstarAnalytics.outputSamples(table), MODEL)
              .persist(StorageLevel.MEMORY_AND_DISK()));
      Optional<Dataset<Row>> results = catalog.table(KstarColumns.RESULTS_TABLE)
          .map(table -> filterModels(table, MODEL));
      try {
        spark.sparkContext().setJobDescription("output-length statistics");
        List<KstarModel> models = models(fits, samples, results, profiles, lengthSamples);
        Map<String, SimulationInputs> inputs = simulationInputs(models, samples, lengthSamples);
        spark.sparkContext().setJobGroup("analyze-kstar", "simulate the scheduler", false);
        List<Row> simulated = simulate(inputs);
        List<Row> curve = new ArrayList<>();
        List<Row> onlinePolicy = new ArrayList<>();
        for (Row row : simulated) {
          (row.getInt(2) == SimulateScheduler.ONLINE_POLICY ? onlinePolicy : curve).add(row);
        }
        spark.sparkContext().setJobGroup("analyze-kstar", "online p and k*", false);
        Map<String, OnlineKstar> online = online(models, samples);
        List<KstarResult> rows = KstarResult.of(models, options, curve, online,
            onlinePolicy);
        spark.sparkContext().setJobGroup("analyze-kstar", "write outputs", false);
        KstarOutputs outputs = new KstarOutputs(spark, options);
        outputs.fits(models, fits);
        outputs.profilesLeftOut(profilesLeftOut(models, fits, samples.isPresent()));
        outputs.kstar(rows);
        outputs.throughputCurve(curve, onlinePolicy, results);
        outputs.measured(results, models);
        outputs.online(models, online);
        outputs.outputLengthCdf(inputs);
        outputs.lengthHistograms(inputs);
        if (points != null) {
          outputs.fitFigure(points, fits, KIND_PREFILL, "fit_prefill");
          outputs.fitFigure(points, fits, KIND_DECODE, "fit_decode");
        }
        Figures.renderFamily(spark.sparkContext().hadoopConfiguration(),
            options.out + "/" + KstarColumns.FAMILY);
        return rows;
      } finally {
        samples.ifPresent(Dataset::unpersist);
        if (lengthSamples != null) {
          lengthSamples.unpersist();
        }
      }
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  private void validate() {
    if (options.batchSizes.isEmpty()) {
      throw new IllegalArgumentException("give at least one batch size --n");
    }
    for (int n : options.batchSizes) {
      if (n < 1 || n > 100_000) {
        throw new IllegalArgumentException("--n must be in 1..100000, got " + n);
      }
    }
    if (options.replicates < 1 || options.requests < 1 || options.updateInterval < 1) {
      throw new IllegalArgumentException(
          "--replicates, --requests and --kstar-update-interval must be at least 1");
    }
  }

  /**
   * A profile an option names must have been fitted; {@code bothLines}: a prefill and a decode
   * line (a mapped workload model may instead fall back on {@code --profile}).
   */
  private void requireProfile(String optionValue, String profile,
      Map<String, Map<String, LineFit>> fits, boolean bothLines) {
    Map<String, LineFit> lines = fits.get(profile);
    if (bothLines && unfitted.containsKey(profile)) {
      throw new KstarOptionException(optionValue + ": profile " + profile + ": "
          + unfitted.get(profile));
    }
    if (lines == null) {
      throw new KstarOptionException(optionValue + ": no profile of that name in "
          + KstarColumns.PROFILES_TABLE + " (profiles: " + fits.keySet() + ")");
    }
    if (bothLines && !(lines.containsKey(KIND_PREFILL) && lines.containsKey(KIND_DECODE))) {
      throw new KstarOptionException(optionValue + ": profile " + profile
          + " has no prefill and decode fit (fitted: " + lines.keySet() + ")");
    }
  }

  /** The profiles of the models analysed: their own, those mapped to them, --lengths-for's. */
  private Dataset<Row> filterProfiles(Dataset<Row> table) {
    if (options.models.isEmpty()) {
      return table;
    }
    List<Object> names = new ArrayList<>();
    for (String model : options.models) {
      names.add(model);
      names.add(options.profileFor.getOrDefault(model, model));
    }
    options.lengthsFor.forEach(lengths -> names.add(lengths.profile()));
    return table.where(col(MODEL).isin(names.toArray()));
  }

  /**
   * The fitted profiles no analysed model uses, with the reason, logged as a warning: a
   * profile named after no model of the trace (Splitwise names its profiles {@code
   * model/hardware/tpN}) is analysed only once mapped to a model with {@code --profile-for}.
   */
  private Map<String, String> profilesLeftOut(List<KstarModel> models,
      Map<String, Map<String, LineFit>> fits, boolean hasTrace) {
    Map<String, String> leftOut = new TreeMap<>(unfitted);
    for (String profile : fits.keySet()) {
      leftOut.putIfAbsent(profile, hasTrace
          ? "no workload model of this name; map one to it with --profile-for MODEL=" + profile
              + ", or give it lengths with --lengths-for " + profile + "=geometric:MEAN"
          : "no workload trace and no reported p; give it lengths with --lengths-for " + profile
              + "=geometric:MEAN");
    }
    for (KstarModel model : models) {
      if (model.fitName() != null) {
        leftOut.remove(model.fitName());
      }
    }
    if (!leftOut.isEmpty()) {
      LOG.warn("{} profile(s) of {} left out (kstar/profiles_left_out.csv): {}",
          leftOut.size(), KstarColumns.PROFILES_TABLE, leftOut);
    }
    return leftOut;
  }

  private Dataset<Row> filterModels(Dataset<Row> table, String column) {
    if (options.models.isEmpty()) {
      return table;
    }
    return table.where(col(column).isin(options.models.toArray()));
  }

  /** The prefill and decode lines per model, from one small aggregation. */
  private Map<String, Map<String, LineFit>> fits(Dataset<Row> points) {
    Map<String, Map<String, LineFit>> fits = new TreeMap<>();
    for (Row row : KstarAnalytics.fitSums(points).collectAsList()) {
      String model = row.getString(0);
      try {
        LineFit fit = LineFit.fromSums(row.getLong(2), row.getDouble(3), row.getDouble(4),
            row.getDouble(5), row.getDouble(6), row.getDouble(7));
        fits.computeIfAbsent(model, m -> new HashMap<>()).put(row.getString(1), fit);
        if (fit.clamped()) {
          LOG.warn("{} {}: negative intercept clamped to 0, slope refit through the origin",
              model, row.getString(1));
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("{} {} samples cannot be fitted: {}", model, row.getString(1), e.getMessage());
        unfitted.merge(model, row.getString(1) + " samples cannot be fitted: " + e.getMessage(),
            (a, b) -> a + "; " + b);
      }
    }
    return fits;
  }

  private List<KstarModel> models(
      Map<String, Map<String, LineFit>> fits,
      Optional<Dataset<Row>> samples,
      Optional<Dataset<Row>> results,
      Optional<Dataset<Row>> profiles,
      Dataset<Row> lengthSamples) {
    List<KstarModel> models = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (samples.isPresent()) {
      // One row per model: ordered on the driver (an orderBy would add a sampling job).
      List<Row> stats = new ArrayList<>(KstarAnalytics.lengthStats(samples.get()).collectAsList());
      stats.sort(Comparator.comparing(row -> row.getString(0)));
      for (Row row : stats) {
        String name = row.getString(0);
        add(models, skipped, name, fitName(name), fits, 1.0 / row.getDouble(2),
            "workload_requests", row.getLong(1), row.getDouble(3), row.getDouble(4));
      }
    } else {
      Map<String, Double> reportedP = new TreeMap<>();
      results.ifPresent(table -> {
        for (Row row : table.groupBy(MODEL).avg(KstarColumns.P_OFFLINE_REPORTED).collectAsList()) {
          if (!row.isNullAt(1)) {
            reportedP.put(row.getString(0), row.getDouble(1));
          }
        }
      });
      profiles.ifPresent(table -> {
        for (Row row : table.select(MODEL).distinct().collectAsList()) {
          if (options.lengthsFor.stream().noneMatch(l -> l.profile().equals(row.getString(0)))) {
            reportedP.putIfAbsent(row.getString(0), Double.NaN);
          }
        }
      });
      for (Map.Entry<String, Double> entry : reportedP.entrySet()) {
        if (entry.getValue().isNaN()) {
          skipped.add(entry.getKey() + " (no workload trace and no reported p)");
        } else {
          add(models, skipped, entry.getKey(), fitName(entry.getKey()), fits, entry.getValue(),
              "kstar_results", 0, Double.NaN, Double.NaN);
        }
      }
    }
    addLengthSeries(models, skipped, fits, lengthSamples);
    if (!skipped.isEmpty()) {
      LOG.warn("Models left out: {}", skipped);
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no model to analyse in catalog " + catalog.root()
          + ": need output lengths ('servelens ingest workload') or results with p"
          + " ('servelens ingest kstar') or --lengths-for PROFILE=SPEC, and profiling samples"
          + " or --profile"
          + (skipped.isEmpty() ? "" : "; left out: " + skipped)
          + (fits.isEmpty() ? "" : "; fitted profiles, for --profile-for MODEL=PROFILE: "
              + fits.keySet()));
    }
    return models;
  }

  private String fitName(String model) {
    return options.profileFor.getOrDefault(model, model);
  }

  /**
   * The series of {@code --lengths-for}, each with its profile's fit: p = 1 / mean (the
   * geometric's mean, or the file's mean output length), the KV footprint's mean and standard
   * deviation likewise (N*), requests the file's (0 for a geometric).
   */
  private void addLengthSeries(List<KstarModel> models, List<String> skipped,
      Map<String, Map<String, LineFit>> fits, Dataset<Row> lengthSamples) {
    Map<String, Row> stats = new HashMap<>();
    if (lengthSamples != null) {
      KstarAnalytics.lengthStats(lengthSamples).collectAsList()
          .forEach(row -> stats.put(row.getString(0), row));
    }
    for (LengthsFor lengths : options.lengthsFor) {
      String series = lengths.series();
      if (models.stream().anyMatch(model -> model.name().equals(series))) {
        continue; // the same option value twice
      }
      if (!lengths.isFile()) {
        add(models, skipped, series, lengths.profile(), fits, lengths.p(), "lengths_for:geometric",
            0, lengths.footprintMean(), lengths.footprintSd());
      } else if (stats.containsKey(series)) {
        Row row = stats.get(series);
        add(models, skipped, series, lengths.profile(), fits, 1.0 / row.getDouble(2),
            "lengths_for:file", row.getLong(1), row.getDouble(3), row.getDouble(4));
      } else {
        throw new KstarOptionException(LengthsFor.OPTION + " " + lengths.profile() + "="
            + lengths.spec() + ": " + lengths.path() + " holds no request with an output length"
            + " above 0");
      }
    }
  }

  private void add(List<KstarModel> models, List<String> skipped, String name, String fitName,
      Map<String, Map<String, LineFit>> fits, double p, String pSource, long requests,
      double footprintMean, double footprintSd) {
    Map<String, LineFit> lines = fits.getOrDefault(fitName, Map.of());
    ServiceProfile profile;
    String source;
    if (lines.containsKey(KIND_PREFILL) && lines.containsKey(KIND_DECODE)) {
      LineFit prefill = lines.get(KIND_PREFILL);
      LineFit decode = lines.get(KIND_DECODE);
      profile = new ServiceProfile(prefill.alpha(), prefill.beta(), decode.alpha(), decode.beta());
      source = "fit";
    } else if (options.profile != null) {
      profile = options.profile;
      source = "option";
      fitName = null;
    } else {
      skipped.add(name + " (no prefill and decode fit of profile " + fitName
          + "; give --profile, or --profile-for " + name + "=PROFILE)");
      return;
    }
    if (!(p > 0 && p <= 1)) {
      skipped.add(name + " (p = " + p + " not in (0, 1])");
      return;
    }
    models.add(new KstarModel(name, profile, source, fitName, p, pSource, requests, footprintMean,
        footprintSd));
  }

  /** Per model: the profile and bounded length histograms, gathered in two small jobs. */
  private Map<String, SimulationInputs> simulationInputs(
      List<KstarModel> models, Optional<Dataset<Row>> samples, Dataset<Row> lengthSamples) {
    Map<String, TokenHistogram> outputs = new HashMap<>();
    Map<String, TokenHistogram> inputs = new HashMap<>();
    if (samples.isPresent()) {
      List<Object> names = new ArrayList<>();
      models.forEach(model -> names.add(model.name()));
      Dataset<Row> used = samples.get().where(col(MODEL).isin(names.toArray()));
      outputs = histograms(KstarAnalytics.histogram(used, OUTPUT_TOKENS,
          KstarColumns.HISTOGRAM_MAX_VALUES));
      inputs = histograms(KstarAnalytics.histogram(used, INPUT_TOKENS,
          KstarColumns.HISTOGRAM_MAX_VALUES));
    }
    if (lengthSamples != null) {
      outputs.putAll(histograms(KstarAnalytics.histogram(lengthSamples, OUTPUT_TOKENS,
          KstarColumns.HISTOGRAM_MAX_VALUES)));
      inputs.putAll(histograms(KstarAnalytics.histogram(lengthSamples, INPUT_TOKENS,
          KstarColumns.HISTOGRAM_MAX_VALUES)));
    }
    for (LengthsFor lengths : options.lengthsFor) {
      if (!lengths.isFile()) {
        inputs.put(lengths.series(), TokenHistogram.constant(lengths.inputTokens()));
      }
    }
    Map<String, SimulationInputs> byModel = new LinkedHashMap<>();
    for (KstarModel model : models) {
      byModel.put(model.name(), new SimulationInputs(model.profile(),
          outputs.getOrDefault(model.name(), TokenHistogram.geometric(model.p())),
          inputs.getOrDefault(model.name(), TokenHistogram.constant(0)), model.p()));
    }
    return byModel;
  }

  private static Map<String, TokenHistogram> histograms(Dataset<Row> histogram) {
    Map<String, List<long[]>> rows = new TreeMap<>();
    for (Row row : histogram.collectAsList()) {
      rows.computeIfAbsent(row.getString(0), m -> new ArrayList<>())
          .add(new long[] {row.getLong(1), row.getLong(2)});
    }
    Map<String, TokenHistogram> histograms = new HashMap<>();
    rows.forEach((model, pairs) -> {
      pairs.sort(Comparator.comparingLong(pair -> pair[0]));
      long[] values = new long[pairs.size()];
      long[] counts = new long[pairs.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = pairs.get(i)[0];
        counts[i] = pairs.get(i)[1];
      }
      histograms.put(model, new TokenHistogram(values, counts));
    });
    return histograms;
  }

  /**
   * One Spark job over every (model, N, k, replicate), k = 1..N fixed thresholds and k = {@link
   * SimulateScheduler#ONLINE_POLICY} the online k* policy; returns the mean per (model, N, k)
   * (bounded).
   */
  private List<Row> simulate(Map<String, SimulationInputs> inputs) {
    List<Row> tasks = new ArrayList<>();
    for (String model : inputs.keySet()) {
      for (int n : options.batchSizes) {
        for (int k = SimulateScheduler.ONLINE_POLICY; k <= n; k++) {
          for (int replicate = 0; replicate < options.replicates; replicate++) {
            tasks.add(RowFactory.create(model, n, k, replicate));
          }
        }
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Map<String, SimulationInputs>> broadcast = jsc.broadcast(new HashMap<>(inputs));
    int partitions = Math.max(1, Math.min(tasks.size(), 4 * jsc.defaultParallelism()));
    spark.sparkContext().setJobDescription("simulate " + tasks.size() + " scheduler runs of "
        + options.requests + " requests");
    try {
      Dataset<Row> simulated =
          spark.createDataFrame(tasks, KstarColumns.SIMULATION_TASK_SCHEMA)
              .repartition(partitions)
              .map(new SimulateScheduler(broadcast, options.requests, options.seed,
                  options.emaAlpha, options.emaOfInverse, options.updateInterval),
                  Encoders.row(KstarColumns.SIMULATION_RESULT_SCHEMA));
      List<Row> curve = new ArrayList<>(KstarAnalytics.throughputCurve(simulated).collectAsList());
      curve.sort(Comparator.<Row, String>comparing(row -> row.getString(0))
          .thenComparingInt(row -> row.getInt(1)).thenComparingInt(row -> row.getInt(2)));
      return curve;
    } finally {
      broadcast.destroy();
    }
  }

  /**
   * The online estimate per model over its completions in time order, in one pass: the samples
   * are spread by model and sorted by (model, completion time, length) within each partition,
   * and each model's stream is read in order where it lies. Only the estimates (bounded: the
   * trajectory is thinned to {@link KstarAnalyzeOptions#maxTrajectoryPoints}) reach the driver.
   * The series of {@code --lengths-for} have none: a length distribution has no completion order.
   */
  private Map<String, OnlineKstar> online(List<KstarModel> models, Optional<Dataset<Row>> samples) {
    Map<String, OnlineKstar> online = new LinkedHashMap<>();
    if (samples.isEmpty()) {
      return online;
    }
    List<String> names = new ArrayList<>();
    for (KstarModel model : models) {
      if (!model.pSource().startsWith("lengths_for")) {
        names.add(model.name());
      }
    }
    if (names.isEmpty()) {
      return online;
    }
    spark.sparkContext().setJobDescription("completion streams of " + names.size()
        + " model(s)");
    int partitions = Math.min(names.size(), spark.sparkContext().defaultParallelism());
    Map<String, OnlineKstar> estimates = new HashMap<>();
    for (Tuple2<String, OnlineKstar> estimate : samples.get()
        .where(col(MODEL).isin(names.toArray()))
        .select(col(MODEL), col(OUTPUT_TOKENS), col("completed_at"))
        .repartition(partitions, col(MODEL))
        .sortWithinPartitions(MODEL, "completed_at", OUTPUT_TOKENS)
        .toJavaRDD()
        .mapPartitions(new OnlineKstar.Streams(options.emaAlpha, options.emaOfInverse,
            options.updateInterval, options.maxTrajectoryPoints))
        .collect()) {
      estimates.put(estimate._1(), estimate._2());
    }
    for (String name : names) {
      online.put(name, estimates.getOrDefault(name, new OnlineKstar(options.emaAlpha,
          options.emaOfInverse, options.updateInterval, options.maxTrajectoryPoints)));
    }
    return online;
  }
}
