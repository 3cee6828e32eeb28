package dev.servelens.bench.gen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code _truth/expected.csv}: one row per run and expected concurrency with what the generator
 * put into the tree, so an end-to-end test can check the analysis without trusting it: total
 * GPUs (nodes x GPUs per node), the result file's {@code output_throughput},
 * {@code total_token_throughput} and {@code mean_tpot_ms} as written, the derived TPS/GPU and
 * TPS/User, and per run the expected and present concurrencies and whether the run can be loaded.
 */
final class TruthTable {

  static final String FOLDER = "_truth";
  static final String FILE = "expected.csv";
  static final String HEADER = "job_id,run_dir,run_status,metadata_shape,mode,gpu_type,"
      + "total_gpus,isl,osl,expected_concurrencies,present_concurrencies,complete,concurrency,"
      + "result_file,result_path,output_throughput,total_token_throughput,mean_tpot_ms,"
      + "output_tps_per_gpu,total_tps_per_gpu,tps_per_user";

  /** How a result file came out. */
  enum ResultState {
    OK, MISSING, MALFORMED, NO_TPOT;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private TruthTable() {}

  /**
   * The rows of one run.
   *
   * @param results the summaries of the result files written, by concurrency
   * @param states the state of each written result file, by concurrency
   */
  static List<String> rows(BenchRunPlan plan, Map<Integer, ResultSummary> results,
      Map<Integer, ResultState> states) {
    String status = plan.profiling && plan.dirty.runStatus.equals("ok") ? "profiling"
        : plan.dirty.runStatus;
    String complete = plan.profiling ? ""
        : Boolean.toString(plan.presentCount == plan.concurrencies.length);
    List<String> rows = new ArrayList<>();
    for (int concurrency : plan.concurrencies) {
      ResultSummary result = results.get(concurrency);
      ResultState state = states.getOrDefault(concurrency, ResultState.MISSING);
      StringBuilder row = new StringBuilder(256);
      row.append(plan.jobId).append(',').append(plan.directoryName()).append(',').append(status)
          .append(',').append(plan.shape.name().toLowerCase(Locale.ROOT)).append(',')
          .append(plan.deployment.disaggregated ? "disaggregated" : "aggregated").append(',')
          .append(plan.gpu.label).append(',').append(plan.totalGpus()).append(',')
          .append(plan.isl).append(',').append(plan.osl).append(',')
          .append(plan.concurrencyList()).append(',').append(plan.presentConcurrencyList())
          .append(',').append(complete).append(',').append(concurrency).append(',')
          .append(state.label()).append(',');
      if (result == null) {
        row.append(",,,,,,");
      } else {
        row.append(plan.logsPrefix()).append(plan.resultFolder(plan.osl))
            .append("/concurrency_").append(concurrency).append(".json,")
            .append(result.outputThroughput()).append(',')
            .append(result.totalTokenThroughput()).append(',')
            .append(nullToEmpty(result.meanTpotMs())).append(',')
            .append(divide(result.outputThroughput(), plan.totalGpus())).append(',')
            .append(divide(result.totalTokenThroughput(), plan.totalGpus())).append(',')
            .append(result.meanTpotMs() == null ? "" : perUser(result.meanTpotMs()));
      }
      rows.add(row.toString());
    }
    return rows;
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }

  /** {@code value / divisor} from the written decimal text, to 6 digits, half up. */
  private static String divide(String value, int divisor) {
    return new BigDecimal(value).divide(BigDecimal.valueOf(divisor), 6, RoundingMode.HALF_UP)
        .toPlainString();
  }

  /** TPS/User = 1000 / mean TPOT in ms, to 6 digits. */
  private static String perUser(String meanTpotMs) {
    return BigDecimal.valueOf(1000).divide(new BigDecimal(meanTpotMs), 6, RoundingMode.HALF_UP)
        .toPlainString();
  }
}
