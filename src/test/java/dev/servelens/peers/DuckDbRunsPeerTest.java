package dev.servelens.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.servelens.testing.OutputCsv;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DuckDbRunsPeer} on two hand-made runs that share a directory name (so their ids are
 * parent/name), with every number worked out by hand below.
 */
class DuckDbRunsPeerTest {

  /** 2026-01-04 10:00:00 UTC: 56 years of 365 days + 14 leap days + 3 days, plus 10 h. */
  private static final long T0 = (56L * 365 + 14 + 3) * 86_400 + 10 * 3600;
  private static final String KV = "vllm:kv_cache_usage_perc{engine=\"0\";model_name=\"m\"}";
  private static final String GPU = "vllm:gpu_cache_usage_perc{model_name=\"m\"}";
  private static final String RUNNING = "vllm:num_requests_running{model_name=\"m\"}";
  private static final String FINISHED = " | INFO     | tau2.run:run_task:312 - FINISHED SIMULATION:"
      + " Domain: retail, Task: 1, Agent: a, User: u. Reward: 1.0";
  private static final String STEP = " task=retail_1 thread=1 type=step_complete step=1"
      + " total_duration_ms=10.00 from_role=agent to_role=env";

  @TempDir Path temp;

  @Test
  void activeWindowOfTwoHandMadeRuns() throws Exception {
    Path runA = temp.resolve("runs/2026-01-04/thunderreact_c32");
    Path runB = temp.resolve("runs/2026-01-05/thunderreact_c32");
    // Run A, KV samples (second after T0, metric, value):
    //   0 kv 0.5 below; 10.7 kv 0.71 above at second 10 (ts_unix floored);
    //   15 gpu_cache 0.9 above (old metric name counts); 20 kv NaN never above;
    //   25 num_requests_running 100.0 not a usage metric; 30 kv 0.7 not above (70.0 is not
    //   > 70); 40 kv 0.80 above; 50 kv 0.7000000000000001 not above (product is 70.0);
    //   55 kv 0.9x9 not a number; 60 kv NaN.
    // Above: 10, 15, 40 -> window [T0+10, T0+40], window_s 30, 3 samples above.
    write(runA.resolve("kv_cache_timeseries.csv"), "ts_iso,ts_unix,port,metric,value",
        kv(8000, "0", KV, "0.5"), kv(8000, "10.7", KV, "0.71"), kv(8000, "15", GPU, "0.9"),
        kv(8000, "20", KV, "NaN"), kv(8000, "25", RUNNING, "100.0"), kv(8000, "30", KV, "0.7"),
        kv(8000, "40", KV, "0.80"), kv(8000, "50", KV, "0.7000000000000001"),
        kv(8000, "55", KV, "0.9x9"), kv(8000, "60", KV, "NaN"));
    // Run A, driver.log:
    //   task 10:00:09.999 -> second 9, before the window (cut, not rounded up): out
    //   task 10:00:10.500 -> second 10 = window start (tie at the bound): in
    //   progress bar glued before a task at 10:00:40.900 -> 40 = window end (tie): in
    //   HTTP line at 10:00:20 glued before a task at 10:00:41 -> the first timestamp, 20: in
    //   task with NUL bytes inside its timestamp, 10:00:2<NUL><NUL>5 -> 25 once removed: in
    //   task without any timestamp: not a task
    //   launcher evaluation line: neither
    //   tasks in window: 10, 40, 20, 25 = 4
    //   step with NUL bytes before its tag at 10:00:15.123 -> 15: in
    //   step at 10:00:40.999 -> 40 = end (tie): in
    //   step at 10:00:41.000 -> 41: out
    //   llm_call at 10:00:30: not a step
    //   step whose tag is chopped (OFILE]) at 10:00:30: not counted
    //   steps in window: 15, 40 = 2
    // tasks_per_min = 4 / (30 / 60) = 8; steps_per_s = 2 / 30 = 0.0666...
    write(runA.resolve("driver.log"),
        "[2026-01-04 09:59:50] Starting evaluation",
        "2026-01-04 10:00:09.999" + FINISHED,
        "2026-01-04 10:00:10.500" + FINISHED,
        "Tasks:  50%|#####     | 139/278 [12:34<12:34, 20.00s/it]2026-01-04 10:00:40.900"
            + FINISHED,
        "2026-01-04 10:00:20,100 - httpx - INFO - HTTP Request: POST http://127.0.0.1:8000/v1"
            + " \"HTTP/1.1 200 OK\"2026-01-04 10:00:41.000" + FINISHED,
        "2026-01-04 10:00:2\u0000\u00005.000" + FINISHED,
        FINISHED.substring(FINISHED.indexOf("FINISHED")),
        "[2026-01-04 10:00:30] Global evaluation complete: ok=5 error=0 total=5",
        "\u0000\u0000\u0000[PROFILE] 2026-01-04 10:00:15.123" + STEP,
        "[PROFILE] 2026-01-04 10:00:40.999" + STEP,
        "[PROFILE] 2026-01-04 10:00:41.000" + STEP,
        "[PROFILE] 2026-01-04 10:00:30.000 task=retail_1 thread=1 type=llm_call duration_ms=5.00",
        "OFILE] 2026-01-04 10:00:30.000" + STEP);
    // Run B, no driver.log, two ports merged: port 8000 0.95 at 100 and NaN at 105, port 8001
    // 0.75 at 103 and 0.60 at 110. Above: 100, 103 -> window [T0+100, T0+103], window_s 3;
    // tasks and steps unknown (empty), so are the rates.
    write(runB.resolve("kv_cache_timeseries.csv"), "ts_iso,ts_unix,port,metric,value",
        kv(8000, "100", KV, "0.95"), kv(8001, "103", KV, "0.75"), kv(8000, "105", KV, "NaN"),
        kv(8001, "110", KV, "0.60"));

    DuckDbRunsPeer.run(temp.resolve("runs"), temp.resolve("out"), 2, "1GB");

    List<Map<String, String>> rows =
        OutputCsv.read(temp.resolve("out/agentic/active_window.csv"));
    assertEquals(2, rows.size());
    Map<String, String> a = OutputCsv.row(rows, "run_id", "2026-01-04/thunderreact_c32");
    assertEquals(Long.toString(T0 + 10), a.get("window_start"));
    assertEquals(Long.toString(T0 + 40), a.get("window_end"));
    assertEquals("30", a.get("window_s"));
    assertEquals("3", a.get("samples_above"));
    assertEquals("4", a.get("tasks_in_window"));
    assertEquals("2", a.get("steps_in_window"));
    assertEquals(8.0, Double.parseDouble(a.get("tasks_per_min")), 1e-12);
    assertEquals(2 / 30.0, Double.parseDouble(a.get("steps_per_s")), 1e-12);

    Map<String, String> b = OutputCsv.row(rows, "run_id", "2026-01-05/thunderreact_c32");
    assertEquals(Long.toString(T0 + 100), b.get("window_start"));
    assertEquals(Long.toString(T0 + 103), b.get("window_end"));
    assertEquals("3", b.get("window_s"));
    assertEquals("false", b.get("has_driver_log"));
    assertEquals("", b.get("tasks_in_window"));
    assertEquals("", b.get("steps_in_window"));
    assertEquals("", b.get("tasks_per_min"));
    assertEquals("", b.get("steps_per_s"));
  }

  /** A KV row, {@code offset} seconds (a decimal, fractions kept) after T0. */
  private static String kv(int port, String offset, String metric, String value) {
    String tsUnix = new BigDecimal(T0).add(new BigDecimal(offset)).toPlainString();
    return "2026-01-04T10:00:00Z," + tsUnix + "," + port + "," + metric + "," + value;
  }

  private static void write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }
}
