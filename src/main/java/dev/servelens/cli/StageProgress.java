package dev.servelens.cli;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of long Spark stages, so a job over thousands of files says where it is:
 * at most every {@link #EVERY_MS} while a stage runs ("parse 2000 logs file(s): 812/1900 tasks")
 * and when a stage that ran longer than that ends. Short stages say nothing. The text is the
 * job description the jobs set for each step.
 */
final class StageProgress extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.servelens.progress");
  static final long EVERY_MS = 30_000;

  private final Map<Integer, Stage> running = new ConcurrentHashMap<>();
  private final long everyMs;
  private final Consumer<String> log;

  StageProgress() {
    this(EVERY_MS, LOG::info);
  }

  /** Reports to {@code log} at most every {@code everyMs} per stage. */
  StageProgress(long everyMs, Consumer<String> log) {
    this.everyMs = everyMs;
    this.log = log;
  }

  private static final class Stage {
    final String what;
    final int tasks;
    final long startedMs = System.currentTimeMillis();
    int done;
    long lastLogMs = startedMs;

    Stage(String what, int tasks) {
      this.what = what;
      this.tasks = tasks;
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    StageInfo info = event.stageInfo();
    running.put(info.stageId(), new Stage(describe(event.properties(), info), info.numTasks()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    Stage stage = running.get(event.stageId());
    if (stage == null) {
      return;
    }
    long now = System.currentTimeMillis();
    synchronized (stage) {
      stage.done++;
      if (now - stage.lastLogMs >= everyMs) {
        stage.lastLogMs = now;
        log.accept(stage.what + ": " + stage.done + "/" + stage.tasks + " tasks ("
            + (now - stage.startedMs) / 1000 + " s)");
      }
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    Stage stage = running.remove(event.stageInfo().stageId());
    if (stage == null) {
      return;
    }
    long tookMs = System.currentTimeMillis() - stage.startedMs;
    if (tookMs >= everyMs) {
      String outcome = event.stageInfo().failureReason().isDefined() ? "failed" : "done";
      log.accept(stage.what + ": " + outcome + " after " + tookMs / 1000 + " s (" + stage.tasks
          + " tasks)");
    }
  }

  private static String describe(Properties properties, StageInfo info) {
    String description = properties == null ? null
        : properties.getProperty("spark.job.description");
    if (description == null && properties != null) {
      description = properties.getProperty("spark.jobGroup.id");
    }
    return (description == null ? "Spark" : description) + " [stage " + info.stageId() + "]";
  }
}
