package dev.servelens.kstar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@code kstar.csv}: for a model and batch size N, the analytical k* at the offline
 * p, the simulated k-hat (argmax of mean simulated throughput, the smallest k on ties), the
 * throughput at both, {@code gap_pct = (throughput(k-hat) - throughput(k*)) / throughput(k-hat)
 * * 100}, N* with the bound used, the online estimate's final p and k*, and the simulated
 * throughput of the online k* policy (k* recomputed every update interval from the EMA over the
 * simulated completion stream; mean over the replicates).
 */
public record KstarResult(
    String model,
    int n,
    double p,
    int kstar,
    int khatSim,
    double throughputKstar,
    double throughputKhat,
    double gapPct,
    Integer nStar,
    String memoryBound,
    Double pOnline,
    Integer kstarOnline,
    long requests,
    String profileSource,
    String pSource,
    double throughputOnline) {

  static final StructType SCHEMA =
      new StructType()
          .add("model", DataTypes.StringType, false)
          .add("n", DataTypes.IntegerType, false)
          .add("p", DataTypes.DoubleType, false)
          .add("kstar", DataTypes.IntegerType, false)
          .add("khat_sim", DataTypes.IntegerType, false)
          .add("throughput_kstar", DataTypes.DoubleType, false)
          .add("throughput_khat", DataTypes.DoubleType, false)
          .add("gap_pct", DataTypes.DoubleType, false)
          .add("n_star", DataTypes.IntegerType)
          .add("memory_bound", DataTypes.StringType)
          .add("p_online", DataTypes.DoubleType)
          .add("kstar_online", DataTypes.IntegerType)
          .add("requests", DataTypes.LongType, false)
          .add("profile_source", DataTypes.StringType, false)
          .add("p_source", DataTypes.StringType, false)
          .add("throughput_online", DataTypes.DoubleType, false);

  Row toRow() {
    return RowFactory.create(model, n, p, kstar, khatSim, throughputKstar, throughputKhat, gapPct,
        nStar, memoryBound, pOnline, kstarOnline, requests, profileSource, pSource,
        throughputOnline);
  }

  /**
   * @param curve rows {@code model, n, k, throughput, ...} of the mean simulated throughput
   * @param onlinePolicy rows {@code model, n, k, throughput, ...} of the online policy's mean
   *     simulated throughput (k is {@link SimulateScheduler#ONLINE_POLICY})
   */
  static List<KstarResult> of(List<KstarModel> models, KstarAnalyzeOptions options,
      List<Row> curve, Map<String, OnlineKstar> online, List<Row> onlinePolicy) {
    Map<String, double[]> throughputs = new HashMap<>();
    for (Row row : curve) {
      int n = row.getInt(1);
      throughputs.computeIfAbsent(row.getString(0) + "\u0000" + n, key -> new double[n + 1])
          [row.getInt(2)] = row.getDouble(3);
    }
    Map<String, Double> policy = new HashMap<>();
    for (Row row : onlinePolicy) {
      policy.put(row.getString(0) + "\u0000" + row.getInt(1), row.getDouble(3));
    }
    List<KstarResult> results = new ArrayList<>();
    for (KstarModel model : models) {
      Integer nStar = null;
      String bound = null;
      if (options.memoryBudgetTokens != null && !Double.isNaN(model.footprintMean())) {
        nStar = MemoryBound.nStar(model.footprintMean(), model.footprintSd(),
            options.memoryBudgetTokens, options.epsilon);
        bound = String.format("%s; mu=%.1f, sigma=%.1f, B=%d, eps=%s", MemoryBound.FORMULA,
            model.footprintMean(), model.footprintSd(), options.memoryBudgetTokens,
            options.epsilon);
      }
      OnlineKstar estimate = online.get(model.name());
      Double pOnline = estimate == null || estimate.completions() == 0 ? null : estimate.p();
      for (int n : options.batchSizes) {
        double[] byK = throughputs.get(model.name() + "\u0000" + n);
        int kstar = KstarFormula.kstar(n, model.p(), model.profile());
        int khat = argmax(byK);
        double gap = (byK[khat] - byK[kstar]) / byK[khat] * 100.0;
        Integer kstarOnline = pOnline == null ? null : KstarFormula.kstar(n, pOnline,
            model.profile());
        results.add(new KstarResult(model.name(), n, model.p(), kstar, khat, byK[kstar],
            byK[khat], gap, nStar, bound, pOnline, kstarOnline, model.requests(),
            model.profileSource(), model.pSource(), policy.get(model.name() + "\u0000" + n)));
      }
    }
    return results;
  }

  /** The k in 1.. with the largest value, the smallest such k on ties. */
  static int argmax(double[] byK) {
    int best = 1;
    for (int k = 2; k < byK.length; k++) {
      if (byK[k] > byK[best]) {
        best = k;
      }
    }
    return best;
  }
}
