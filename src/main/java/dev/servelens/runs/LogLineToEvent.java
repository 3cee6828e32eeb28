package dev.servelens.runs;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one line of {@code driver.log} or {@code logs/tau2_global.log} as an event, or as no
 * event at all (launcher chatter). Event lines, in order of precedence:
 *
 * <ul>
 *   <li>{@code FINISHED SIMULATION: Domain: d, Task: t, ... Reward: r}: a task completion at the
 *       first timestamp anywhere in the line; without a timestamp it is rejected;
 *   <li>{@code Global evaluation complete: ok= error= total= elapsed_s= tasks_per_min=};
 *   <li>profiling lines: a {@code [PROFILE]} or {@code [USER_JUDGE]} tag or a {@code type=}
 *       field, with {@code key=value} fields; {@code ts_s} is the first timestamp anywhere,
 *       {@code tag_ts_s} the one right after the tag (null when the tag is chopped or missing);
 *   <li>error lines (expert calls failed permanently, context length exceeded, tracebacks, too
 *       many open files, {@code ERROR} level).
 * </ul>
 *
 * NUL bytes are removed before reading, so they cannot hide a line's content.
 */
final class LogLineToEvent implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_LINE_CHARS = 64 * 1024;
  static final int MAX_FIELDS = 32;
  static final int MAX_VALUE_CHARS = 256;
  static final String FINISHED = "FINISHED SIMULATION";
  static final String EVAL = "Global evaluation complete:";
  static final String PROFILE_TAG = "[PROFILE] ";
  static final String USER_JUDGE_TAG = "[USER_JUDGE] ";

  private final LogTimestamps timestamps;

  LogLineToEvent(LogTimestamps timestamps) {
    this.timestamps = timestamps;
  }

  /**
   * @return the values of {@link RunsColumns#EVENT_VALUES} with {@code kind} null for a line
   *     that is no event
   * @throws IllegalArgumentException with the reason when an event line does not parse
   */
  Object[] parse(String source, String rawLine) {
    String line = rawLine.indexOf('\0') >= 0 ? rawLine.replace("\0", "") : rawLine;
    boolean tooLong = line.length() > MAX_LINE_CHARS;
    Event event = new Event(source);
    if (line.contains(FINISHED)) {
      checkLength(tooLong);
      finished(line, event);
    } else if (line.contains(EVAL)) {
      checkLength(tooLong);
      evaluation(line, event);
    } else if (isProfile(line)) {
      checkLength(tooLong);
      profile(line, event);
    } else if (!tooLong) {
      event.errorKind = ErrorKinds.of(line);
      if (event.errorKind != null) {
        event.kind = RunsColumns.ERROR;
        event.ts = timestamps.first(line, 0);
      }
    }
    return event.values();
  }

  private static void checkLength(boolean tooLong) {
    if (tooLong) {
      throw new IllegalArgumentException("event line longer than " + MAX_LINE_CHARS
          + " characters");
    }
  }

  private static boolean isProfile(String line) {
    return line.contains("[PROFILE]") || line.contains("[USER_JUDGE]")
        || line.startsWith("type=") || line.contains(" type=");
  }

  private void finished(String line, Event event) {
    event.kind = RunsColumns.TASK_FINISHED;
    event.ts = timestamps.first(line, 0);
    if (event.ts == null) {
      throw new IllegalArgumentException(FINISHED + " line without a timestamp");
    }
    int at = line.indexOf(FINISHED);
    String domain = labelled(line, "Domain: ", at);
    String task = labelled(line, "Task: ", at);
    String reward = labelled(line, "Reward: ", at);
    putBounded(event.fields, "domain", domain);
    putBounded(event.fields, "task_id", task);
    putBounded(event.fields, "reward", reward);
    if (domain != null && task != null) {
      event.task = bounded(domain + "_" + task);
    }
  }

  /** The text after {@code label} (searched from {@code from}) up to a comma or the end. */
  private static String labelled(String line, String label, int from) {
    int start = line.indexOf(label, from);
    if (start < 0) {
      return null;
    }
    start += label.length();
    int end = start;
    while (end < line.length() && line.charAt(end) != ',') {
      end++;
    }
    String value = line.substring(start, end).trim();
    return value.isEmpty() ? null : value;
  }

  private void evaluation(String line, Event event) {
    event.kind = RunsColumns.EVAL_COMPLETE;
    event.ts = timestamps.first(line, 0);
    KeyValues.read(line, line.indexOf(EVAL) + EVAL.length(), event.fields);
    for (String name : new String[] {"ok", "error", "total", "elapsed_s", "tasks_per_min"}) {
      String value = event.fields.get(name);
      if (value == null) {
        throw new IllegalArgumentException("evaluation line: " + name + " missing");
      }
      KeyValues.number(name, value);
    }
  }

  private void profile(String line, Event event) {
    int tag = line.indexOf(PROFILE_TAG);
    int tagLength = PROFILE_TAG.length();
    if (tag < 0) {
      tag = line.indexOf(USER_JUDGE_TAG);
      tagLength = USER_JUDGE_TAG.length();
    }
    event.ts = timestamps.first(line, 0);
    event.tagTs = tag < 0 ? null : timestamps.at(line, tag + tagLength);
    KeyValues.read(line, tag < 0 ? 0 : tag + tagLength, event.fields);
    String type = event.fields.get("type");
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("profile line without type=");
    }
    if (event.ts == null) {
      throw new IllegalArgumentException("profile line without a timestamp");
    }
    event.kind = type;
    event.task = event.fields.get("task");
    String step = event.fields.get("step");
    event.step = step == null ? null : (int) KeyValues.wholeNumber("step", step);
    String duration = event.fields.get(RunsColumns.STEP_COMPLETE.equals(type)
        ? "total_duration_ms" : "duration_ms");
    event.durationS = duration == null ? null : KeyValues.number("duration_ms", duration) / 1000;
    if (RunsColumns.STEP_COMPLETE.equals(type)) {
      String from = event.fields.get("from_role");
      String to = event.fields.get("to_role");
      event.edge = (from == null ? "unknown" : from) + "->" + (to == null ? "unknown" : to);
    }
    event.model = event.fields.get("model");
    event.callType = event.fields.get("call_type");
  }

  static void putBounded(Map<String, String> fields, String name, String value) {
    if (value != null && fields.size() < MAX_FIELDS) {
      fields.put(name, bounded(value));
    }
  }

  static String bounded(String value) {
    return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS);
  }

  /** The values of one event as they are filled in. */
  private static final class Event {
    final String source;
    String kind;
    Long ts;
    Long tagTs;
    String task;
    Integer step;
    String edge;
    Double durationS;
    String model;
    String callType;
    String errorKind;
    final Map<String, String> fields = new LinkedHashMap<>();

    Event(String source) {
      this.source = source;
    }

    Object[] values() {
      if (kind == null) {
        return new Object[] {source, null, null, null, null, null, null, null, null, null, null,
            null};
      }
      return new Object[] {source, kind, ts, tagTs, task, step, edge, durationS, model, callType,
          errorKind, scala.collection.JavaConverters.mapAsScalaMap(fields)};
    }
  }
}
