package dev.servelens.runs.gen;

import java.io.IOException;
import java.util.List;

/**
 * The benchmark's result files: one {@code outputs/all_domains/<domain>__<id>__trial0.json} per
 * task that ended (on request some are cut off), and at the end {@code outputs/metrics_global.json}
 * with the counts and the launcher's whole-run figures, which it also returns as the launcher's
 * {@code Global evaluation complete} text.
 */
final class TaskResults {

  static final List<String> DOMAINS = List.of("retail", "telecom", "airline");

  private final RunFiles files;
  private final RunSpec run;
  private final RunRandom dirt;
  private int ok;
  private int error;

  TaskResults(RunFiles files, RunSpec run) {
    this.files = files;
    this.run = run;
    this.dirt = RunRandom.stream(run.seed(), 8);
  }

  /** A task ended: {@code reward} null for an error. */
  void ended(String domain, int taskId, Double reward) throws IOException {
    if (reward == null) {
      error++;
    } else {
      ok++;
    }
    String json = "{\"domain\": \"" + domain + "\", \"task_id\": \"" + taskId
        + "\", \"trial\": 0, \"status\": \"" + (reward == null ? "error" : "ok")
        + "\", \"reward\": " + (reward == null || reward == 0 ? "0.0" : "1.0") + "}\n";
    if (dirt.chance(run.dirtyFraction())) {
      json = json.substring(0, dirt.intBetween(1, json.length() - 3));
    }
    files.write("outputs/all_domains/" + domain + "__" + taskId + "__trial0.json", json);
  }

  /**
   * Writes metrics_global.json for a run whose evaluation took {@code elapsedMillis} and returns
   * the launcher's summary, {@code ok=.. error=.. total=.. elapsed_s=.. tasks_per_min=..}.
   */
  String complete(long elapsedMillis) throws IOException {
    String elapsed = LogTime.fixed(new StringBuilder(), elapsedMillis / 1000.0, 1).toString();
    String perMinute = LogTime.fixed(new StringBuilder(),
        ok / (Double.parseDouble(elapsed) / 60), 2).toString();
    String base = RunSimulation.WORKSPACE + run.name();
    files.write("outputs/metrics_global.json",
        "{\"domains\": [\"retail\", \"telecom\", \"airline\"], \"total\": " + (ok + error)
        + ", \"ok\": " + ok + ", \"error\": " + error + ", \"elapsed_s\": " + elapsed
        + ", \"tasks_per_min\": " + perMinute
        + ", \"log_dir\": \"" + base + "/logs\", \"tau2_log\": \"" + base
        + "/logs/tau2_global.log\", \"eval_log\": \"" + base + "/driver.log\"}\n");
    return "ok=" + ok + " error=" + error + " total=" + (ok + error) + " elapsed_s=" + elapsed
        + " tasks_per_min=" + perMinute;
  }
}
