package dev.servelens.figures;

import static dev.servelens.figures.FigureSpec.Axis.AUTO;
import static dev.servelens.figures.FigureSpec.Axis.CATEGORY;
import static dev.servelens.figures.FigureSpec.Axis.LINEAR;
import static dev.servelens.figures.FigureSpec.Axis.LOG;
import static dev.servelens.figures.FigureSpec.Axis.TIME;
import static dev.servelens.figures.FigureSpec.Kind.BAR;
import static dev.servelens.figures.FigureSpec.Kind.BOX;
import static dev.servelens.figures.FigureSpec.Kind.HEATMAP;
import static dev.servelens.figures.FigureSpec.Kind.KSTAR_CURVE;
import static dev.servelens.figures.FigureSpec.Kind.LINE;
import static dev.servelens.figures.FigureSpec.Kind.PARETO;
import static dev.servelens.figures.FigureSpec.Kind.SCATTER;
import static dev.servelens.figures.FigureSpec.Kind.STEP;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The known figures by (family, name), as the analyses write them (OUTPUTS.md), and a generic
 * spec for any other tidy CSV: an optional series column (the {@code series} column, else the
 * first text column that repeats few values), the first numeric column as x and the next as y, lines on linear axes
 * unless the values are positive and span more than three decades.
 */
final class FigureSpecs {
  private FigureSpecs() {}

  static final List<String> BOX_COLUMNS = List.of("p5", "p25", "p50", "p75", "p95", "mean");
  static final List<String> HEATMAP_COLUMNS =
      List.of("x_lo", "x_hi", "y_lo", "y_hi", "probability");

  /** A text column names the series only when it has at most this many distinct values. */
  private static final int SERIES_TEXT_LIMIT = 50;

  private static final String CDF = "fraction of requests \u2264 x (CDF)";
  private static final Map<String, FigureSpec> KNOWN = new HashMap<>();

  static {
    workload("cdf_input_tokens", cdf("Input tokens per request", "input tokens"));
    workload("cdf_output_tokens", cdf("Output tokens per request", "output tokens"));
    workload("cdf_output_input_ratio",
        cdf("Output/input token ratio", "output tokens / input tokens"));
    workload("cdf_ttft", cdf("Time to first token per request", "time to first token (s)"));
    workload("cdf_duration", cdf("Request duration", "request duration (s)"));
    workload("cdf_interarrival", cdf("Inter-arrival time per model", "inter-arrival time (s)"));
    workload("cdf_interarrival_per_user",
        cdf("Inter-arrival time within a user's requests", "inter-arrival time (s)"));
    workload("cdf_requests_per_user", FigureSpec.of(STEP, "Requests per user", "value",
        "requests per user", LOG, "cdf", "fraction of users \u2264 x (CDF)", LINEAR));
    workload("cdf_models_per_user", FigureSpec.of(STEP, "Distinct models per user", "value",
        "distinct models per user", LINEAR, "cdf", "fraction of users \u2264 x (CDF)", LINEAR));
    workload("cdf_requests_per_unique_value", FigureSpec.of(STEP,
        "Requests per distinct value of a column", "value", "requests per distinct value", LOG,
        "cdf", "fraction of distinct values \u2264 x (CDF)", LINEAR).series("series"));
    workload("rank_requests_per_user", FigureSpec.of(LINE, "Requests per user by rank", "rank",
        "user rank (1 = most requests)", LOG, "requests", "requests", LOG));
    workload("rank_models_per_user", FigureSpec.of(LINE, "Distinct models per user by rank",
        "rank", "user rank (1 = most distinct models)", LOG, "distinct_models", "distinct models",
        LOG));
    workload("cdf_models_per_window", FigureSpec.of(STEP,
        "Distinct models per window of W consecutive requests of a user", "models_in_window",
        "distinct models in a window", LINEAR, "cdf", "fraction of windows \u2264 x (CDF)",
        LINEAR));
    workload("models_per_window_histogram", FigureSpec.of(BAR,
        "Distinct models per window of W consecutive requests of a user (share of windows)",
        "models_in_window", "distinct models in a window", CATEGORY, "share",
        "share of windows", LINEAR));
    workload("diversity_top_users_box", FigureSpec.of(BOX,
        "Distinct models per window, top users (box p25-p75, whiskers p5-p95)", "rank",
        "user rank (1 = most requests)", CATEGORY, "p50", "distinct models per window", LINEAR));
    workload("interarrival_hourly_box", FigureSpec.of(BOX,
        "Inter-arrival time by hour of day (box p25-p75, whiskers p5-p95, dot mean)", "hour",
        "hour of day (UTC)", CATEGORY, "p50", "inter-arrival time (s)", LOG).panel("series"));
    workload("ttft_by_input_tokens_box", FigureSpec.of(BOX,
        "TTFT by prompt length (box p25-p75, whiskers p5-p95, dot mean; a panel per model)",
        "input_k", "input tokens (thousands, bucket start)", CATEGORY, "p50",
        "time to first token (s)", LOG).panel("series"));
    workload("interarrival_daily_box", FigureSpec.of(BOX,
        "Inter-arrival time by date (box p25-p75, whiskers p5-p95, dot mean)", "date",
        "date (UTC, month-day)", CATEGORY, "p50", "inter-arrival time (s)", LOG)
        .panel("series"));
    workload("interarrival_heatmap", FigureSpec.of(HEATMAP,
        "Consecutive inter-arrival times: joint probability", "x_lo",
        "current inter-arrival time (ms)", LOG, "y_lo", "next inter-arrival time (ms)", LOG)
        .panel("series"));
    workload("interarrival_lag1_scatter", FigureSpec.of(SCATTER,
        "Consecutive inter-arrival times: a bounded sample of pairs", "previous_gap_s",
        "current inter-arrival time (s)", LOG, "gap_s", "next inter-arrival time (s)", LOG)
        .panel("series").withIdentity());
    workload("requests_top_models", FigureSpec.of(BAR,
        "Requests of the busiest models, the rest as (other)", "value",
        "model (by requests)", CATEGORY, "requests", "requests", LINEAR));
    workload("requests_top_users", FigureSpec.of(BAR,
        "Requests of the busiest users, the rest as (other)", "value",
        "user (by requests)", CATEGORY, "requests", "requests", LINEAR));
    workload("users_per_model", FigureSpec.of(BAR,
        "Distinct users of the busiest models", "model_id", "model (by requests)", CATEGORY,
        "distinct_users", "distinct users", LINEAR));
    workload("tokens_per_model", FigureSpec.of(BAR,
        "Input and output tokens of the busiest models (stacked), the rest as (other)", "model",
        "model (by requests)", CATEGORY, "tokens", "tokens (sum over requests)", LINEAR)
        .series("series"));
    workload("requests_per_hour", FigureSpec.of(LINE, "Requests per hour", "period",
        "time (UTC, month-day)", TIME, "requests", "requests per hour", LINEAR));
    workload("requests_by_hour_of_day", FigureSpec.of(LINE,
        "Requests by hour of day, summed over every day", "hour", "hour of day (UTC)", LINEAR,
        "requests", "requests (all days)", LINEAR));
    workload("requests_by_minute_of_day", FigureSpec.of(LINE,
        "Requests by minute of day, summed over every day (a one-day trace: minute by minute)",
        "minute", "minute of day (UTC, 0 = 00:00, 1439 = 23:59)", LINEAR, "requests",
        "requests (all days)", LINEAR));
    workload("prefill_tps_per_hour", FigureSpec.of(LINE,
        "Prefill throughput per model and hour (mean of input tokens / TTFT)", "hour",
        "time (UTC, month-day)", TIME, "prefill_tps_mean", "prefill throughput (tokens/s)",
        LINEAR).series("model_id"));
    workload("decode_tps_per_hour", FigureSpec.of(LINE,
        "Decode throughput per model and hour (mean of output tokens / (duration - TTFT))",
        "hour", "time (UTC, month-day)", TIME, "decode_tps_mean", "decode throughput (tokens/s)",
        LINEAR).series("model_id"));
    workload("tpot_s_per_hour", FigureSpec.of(LINE,
        "Time per output token per model and hour (mean of (duration - TTFT) / (output - 1))",
        "hour", "time (UTC, month-day)", TIME, "tpot_s_mean", "time per output token (s)",
        LINEAR).series("model_id"));
    workload("requests_per_day", FigureSpec.of(LINE, "Requests per day", "period",
        "date (UTC, month-day)", TIME, "requests", "requests per day", LINEAR));

    kstar("throughput_vs_k", FigureSpec.of(KSTAR_CURVE,
        "Throughput against the switching threshold k", "k", "switching threshold k", LINEAR,
        "throughput", "throughput (tokens/s)", LINEAR).series("n", "source").panel("model"));
    kstar("online_kstar", FigureSpec.of(STEP, "Online k* as completions arrive", "completions",
        "completions seen", LINEAR, "kstar", "k* (online p)", LINEAR).series("n")
        .panel("model"));
    kstar("output_length_cdf", FigureSpec.of(STEP, "Output length per model (simulation input)",
        "output_tokens", "output tokens", LOG, "cdf", CDF, LINEAR).series("model"));
    kstar("input_length_histogram", lengthHistogram("Input", "input"));
    kstar("output_length_histogram", lengthHistogram("Output", "output"));
    kstar("fit_prefill", FigureSpec.of(SCATTER, "Prefill time: samples and least-squares fit",
        "x", "prompt tokens", LINEAR, "seconds", "prefill time (s)", LINEAR).panel("model")
        .overlay("fitted"));
    kstar("fit_decode", FigureSpec.of(SCATTER, "Decode step time: samples and least-squares fit",
        "x", "batch size", LINEAR, "seconds", "time per decode step (s)", LINEAR).panel("model")
        .overlay("fitted"));

    agentic("kv_usage", FigureSpec.of(LINE, "KV cache usage over each run", "t_s",
        "time since run start (s)", LINEAR, "usage_pct", "KV cache usage (%)", LINEAR)
        .series("run_id"));
    agentic("tasks_per_min_window_vs_whole_run", FigureSpec.of(SCATTER,
        "Tasks per minute: active window against the whole run (metrics_global.json), y = x",
        "tasks_per_min_whole_run", "tasks per minute, whole run", LINEAR, "tasks_per_min",
        "tasks per minute, active window", LINEAR).series("system").withIdentity());
    agentic("missing_tasks", FigureSpec.of(BAR,
        "Tasks never completed per run (expected minus completed)", "run_id", "run",
        CATEGORY, "missing_tasks", "missing tasks", LINEAR));
    agentic("kv_after_last_task", FigureSpec.of(BAR,
        "KV cache usage after each run's last completed task (share of samples per bucket)",
        "run_id", "run", CATEGORY, "share", "share of KV samples after the last task", LINEAR)
        .series("bucket"));
    agentic("tasks_per_min_vs_threshold", FigureSpec.of(LINE,
        "Tasks per minute in the active window against the KV usage threshold", "threshold_pct",
        "KV usage threshold T (%)", LINEAR, "tasks_per_min", "tasks per minute in the window",
        LINEAR).series("series"));

    bench("node_requests_over_time", FigureSpec.of(LINE,
        "Requests on the nodes of each run over time (run level, mean per time bucket; a panel"
            + " per kind)", "x", "seconds since the run's first batch line", LINEAR, "y",
        "requests (mean per time bucket)", LINEAR).panel("metric").series("series"));
    bench("node_usage_over_time", FigureSpec.of(LINE,
        "KV token usage and prefill cache hit rate of each run over time (run level, mean per"
            + " time bucket)", "x", "seconds since the run's first batch line", LINEAR, "y",
        "share (mean per time bucket)", LINEAR).panel("metric").series("series"));
    bench("rate_match_over_time", FigureSpec.of(LINE,
        "Prefill and decode capacity over time (requests/s), disaggregated runs", "x", "seconds since the run's first batch line", LINEAR, "y",
        "requests/s", LINEAR).series("series"));
    bench("gen_throughput_by_running", FigureSpec.of(LINE,
        "Generation throughput of decode batches against running requests", "running_req",
        "running requests (decode batch)", LINEAR, "gen_throughput",
        "generation throughput (tokens/s, mean)", LINEAR).series("series"));
    bench("latency_vs_concurrency", FigureSpec.of(LINE,
        "Mean latency against concurrency (a panel per metric)", "concurrency",
        "concurrency (requests in flight)", LOG, "mean_ms", "mean latency (ms)", LOG)
        .series("series").panel("metric"));
    bench("latency_vs_request_rate", FigureSpec.of(LINE,
        "Median latency against the request rate (series: metric and run)", "request_rate",
        "request rate (requests/s)", LOG, "median_ms", "median latency (ms)", LOG)
        .series("series"));
    bench("node_throughput", FigureSpec.of(LINE,
        "Prefill input and decode generation throughput over each run", "x",
        "time since the run's first batch line (s)", LINEAR, "y", "tokens/s", LINEAR)
        .series("series"));
    bench("pareto", FigureSpec.of(PARETO,
        "Output throughput per GPU against per user (frontier joined)", "tps_per_user",
        "output tokens/s per user", AUTO, "output_tps_per_gpu", "output tokens/s per GPU", AUTO)
        .series("series"));
    bench("pareto_total", FigureSpec.of(PARETO,
        "Total throughput per GPU against output per user (frontier joined)", "tps_per_user",
        "output tokens/s per user", AUTO, "total_tps_per_gpu", "total tokens/s per GPU", AUTO)
        .series("series"));
  }

  private static FigureSpec cdf(String title, String xLabel) {
    return FigureSpec.of(STEP, title, "value", xLabel, LOG, "cdf", CDF, LINEAR).series("series");
  }

  /** The kstar family's length histograms: a step per model over the bins' starts. */
  private static FigureSpec lengthHistogram(String title, String tokens) {
    return FigureSpec.of(STEP, title + " length per model (simulation input), equal-width bins",
        "bin_lo", tokens + " tokens (bin start)", LINEAR, "fraction",
        "fraction of requests in the bin", LINEAR).series("model");
  }

  private static void workload(String name, FigureSpec spec) {
    KNOWN.put("workload/" + name, spec);
  }

  private static void kstar(String name, FigureSpec spec) {
    KNOWN.put("kstar/" + name, spec);
  }

  private static void agentic(String name, FigureSpec spec) {
    KNOWN.put("agentic/" + name, spec);
  }

  private static void bench(String name, FigureSpec spec) {
    KNOWN.put("bench/" + name, spec);
  }

  /** The spec of a known figure, or null when {@code family/name} is not one. */
  static FigureSpec known(String family, String name) {
    return KNOWN.get(family + "/" + name);
  }

  /** Whether the figure draws the per-user throughput cutoff when one is given (Pareto). */
  static boolean drawsCutoff(String family, String name) {
    FigureSpec known = known(family, name);
    return known != null && known.kind() == PARETO;
  }

  /**
   * The spec for figure {@code name} of {@code family} when it is known and the data has its
   * columns, else the generic spec; null when the data has no two numeric columns to plot.
   */
  static FigureSpec forData(String family, String name, FigureData data) {
    FigureSpec known = known(family, name);
    if (known != null && hasColumns(known, data)) {
      return known;
    }
    return generic(name, data);
  }

  private static boolean hasColumns(FigureSpec spec, FigureData data) {
    List<String> extra = switch (spec.kind()) {
      case BOX -> BOX_COLUMNS;
      case HEATMAP -> HEATMAP_COLUMNS;
      default -> List.of();
    };
    return spec.columns().stream().allMatch(data::has) && extra.stream().allMatch(data::has);
  }

  static FigureSpec generic(String name, FigureData data) {
    String series = data.has("series") ? "series" : null;
    String x = null;
    String y = null;
    for (String column : data.columns()) {
      if (column.equals(series)) {
        continue;
      }
      if (data.isNumeric(column)) {
        if (x == null) {
          x = column;
        } else if (y == null) {
          y = column;
        }
      } else if (series == null && data.distinct(column, SERIES_TEXT_LIMIT + 1)
          <= Math.min(SERIES_TEXT_LIMIT, data.rows().size() / 2)) {
        series = column;
      }
    }
    if (y == null) {
      return null;
    }
    String title = Character.toUpperCase(name.charAt(0)) + name.substring(1).replace('_', ' ');
    FigureSpec spec = FigureSpec.of(LINE, title, x, x, AUTO, y, y, AUTO);
    return series == null ? spec : spec.series(series);
  }
}
