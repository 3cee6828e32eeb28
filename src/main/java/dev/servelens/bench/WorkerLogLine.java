package dev.servelens.bench;

import dev.servelens.io.SparkValues;
import dev.servelens.io.TimestampParser;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Parses one SGLang worker log line into the values of {@link #SCHEMA}, or returns null for a
 * line that is none of the recognised kinds. Recognised kinds:
 *
 * <ul>
 *   <li>{@code batch}: {@code Prefill batch[ [iter]], key: value, ...} or {@code Decode
 *       batch...}; every known field has a column, other numeric fields go to {@code extra};
 *   <li>{@code memory}: {@code avail mem=71.23 GB}, {@code mem usage=12.34 GB}, {@code KV size:
 *       30.5 GB}, {@code #tokens: 123456} (any of them);
 *   <li>{@code server_args}: the server command line with {@code --tp-size N}, {@code --dp-size
 *       N} or {@code --ep-size N} ({@code --x=N} too).
 * </ul>
 *
 * The prefix is the last {@code [...]} before the content: a timestamp ({@code 2025-11-04
 * 05:31:43} or ISO with milliseconds) followed by rank tokens {@code DPn TPn EPn PPn}, in any
 * subset. ANSI colour codes are removed first. A recognised line that cannot be read (a batch line
 * cut off in the middle of a field, a number that does not parse, a batch line without a
 * timestamp) throws {@link IllegalArgumentException} with the reason.
 */
final class WorkerLogLine implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int MAX_LINE_CHARS = 64 * 1024;
  static final String KIND_BATCH = "batch";
  static final String KIND_MEMORY = "memory";
  static final String KIND_SERVER_ARGS = "server_args";

  private static final String PREFILL_MARKER = "Prefill batch";
  private static final String DECODE_MARKER = "Decode batch";

  /** Batch-line keys, as SGLang prints them, and their columns. */
  private static final Map<String, String> LONG_FIELDS = new LinkedHashMap<>();
  private static final Map<String, String> DOUBLE_FIELDS = new LinkedHashMap<>();
  private static final String CUDA_GRAPH_KEY = "cuda graph";

  static {
    LONG_FIELDS.put("#new-seq", "new_seq");
    LONG_FIELDS.put("#new-token", "new_token");
    LONG_FIELDS.put("#cached-token", "cached_token");
    LONG_FIELDS.put("#running-req", "running_req");
    LONG_FIELDS.put("#queue-req", "queue_req");
    LONG_FIELDS.put("#prealloc-req", "prealloc_req");
    LONG_FIELDS.put("#inflight-req", "inflight_req");
    LONG_FIELDS.put("#transfer-req", "transfer_req");
    LONG_FIELDS.put("#retracted-req", "retracted_req");
    LONG_FIELDS.put("#token", "num_token");
    LONG_FIELDS.put("#full token", "full_token");
    LONG_FIELDS.put("#swa token", "swa_token");
    DOUBLE_FIELDS.put("token usage", "token_usage");
    DOUBLE_FIELDS.put("input throughput (token/s)", "input_throughput");
    DOUBLE_FIELDS.put("gen throughput (token/s)", "gen_throughput");
    DOUBLE_FIELDS.put("pre-allocated usage", "pre_allocated_usage");
    DOUBLE_FIELDS.put("full token usage", "full_token_usage");
    DOUBLE_FIELDS.put("swa token usage", "swa_token_usage");
    DOUBLE_FIELDS.put("mamba usage", "mamba_usage");
    DOUBLE_FIELDS.put("accept len", "accept_len");
    DOUBLE_FIELDS.put("accept rate", "accept_rate");
  }

  private static final int FIRST_LONG = 8;
  private static final int FIRST_DOUBLE = FIRST_LONG + LONG_FIELDS.size();
  private static final int CUDA_GRAPH = FIRST_DOUBLE + DOUBLE_FIELDS.size();
  private static final int EXTRA = CUDA_GRAPH + 1;
  private static final int AVAIL_MEM = EXTRA + 1;
  private static final int TP_SIZE = AVAIL_MEM + 4;

  private static final String[][] MEMORY_KEYS = {
    {"avail mem=", "avail_mem_gb"}, {"mem usage=", "mem_usage_gb"},
    {"KV size:", "kv_size_gb"}, {"#tokens:", "kv_tokens"}};
  private static final String[][] SIZE_FLAGS = {
    {"--tp-size", "tp_size"}, {"--dp-size", "dp_size"}, {"--ep-size", "ep_size"}};

  /** The parsed values of a line, in this order. */
  static final StructType SCHEMA = schema();

  private static StructType schema() {
    StructType schema = new StructType()
        .add("line_kind", DataTypes.StringType)
        .add(BenchColumns.TS, DataTypes.TimestampType)
        .add("dp", DataTypes.IntegerType)
        .add("tp", DataTypes.IntegerType)
        .add("ep", DataTypes.IntegerType)
        .add("pp", DataTypes.IntegerType)
        .add("batch_kind", DataTypes.StringType)
        .add("iteration", DataTypes.LongType);
    for (String column : LONG_FIELDS.values()) {
      schema = schema.add(column, DataTypes.LongType);
    }
    for (String column : DOUBLE_FIELDS.values()) {
      schema = schema.add(column, DataTypes.DoubleType);
    }
    schema = schema.add("cuda_graph", DataTypes.BooleanType)
        .add("extra", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));
    for (String[] key : MEMORY_KEYS) {
      schema = schema.add(key[1], DataTypes.DoubleType);
    }
    for (String[] flag : SIZE_FLAGS) {
      schema = schema.add(flag[1], DataTypes.IntegerType);
    }
    return schema;
  }

  /** Columns of batch lines that hold numbers, for the analyses. */
  static List<String> numericBatchColumns() {
    List<String> columns = new java.util.ArrayList<>(LONG_FIELDS.values());
    columns.addAll(DOUBLE_FIELDS.values());
    return columns;
  }

  private final TimestampParser timestamps = TimestampParser.utc();

  /** @return the values of {@link #SCHEMA}, or null for a line of no recognised kind */
  Object[] parse(String rawLine) {
    if (rawLine.length() > MAX_LINE_CHARS) {
      if (rawLine.contains(PREFILL_MARKER) || rawLine.contains(DECODE_MARKER)) {
        throw new IllegalArgumentException("batch line longer than " + MAX_LINE_CHARS
            + " characters");
      }
      return null;
    }
    String line = rawLine.indexOf('\u001B') < 0 ? rawLine : stripAnsi(rawLine);
    int prefill = line.indexOf(PREFILL_MARKER);
    int decode = line.indexOf(DECODE_MARKER);
    Object[] values = new Object[SCHEMA.size()];
    if (prefill >= 0 || decode >= 0) {
      boolean isPrefill = prefill >= 0 && (decode < 0 || prefill < decode);
      int marker = isPrefill ? prefill : decode;
      readPrefix(line, marker, values);
      if (values[1] == null) {
        throw new IllegalArgumentException("batch line without a [timestamp] prefix");
      }
      values[0] = KIND_BATCH;
      values[6] = isPrefill ? BenchColumns.ROLE_PREFILL : BenchColumns.ROLE_DECODE;
      int markerEnd = marker + (isPrefill ? PREFILL_MARKER : DECODE_MARKER).length();
      readBatchFields(line.substring(markerEnd), values);
      return values;
    }
    int flag = firstFlag(line);
    if (flag >= 0) {
      readPrefix(line, flag, values);
      values[0] = KIND_SERVER_ARGS;
      readSizeFlags(line, values);
      return values;
    }
    int memory = firstMemoryKey(line);
    if (memory >= 0) {
      readPrefix(line, memory, values);
      values[0] = KIND_MEMORY;
      for (int i = 0; i < MEMORY_KEYS.length; i++) {
        values[AVAIL_MEM + i] = numberAfter(line, MEMORY_KEYS[i][0]);
      }
      return values;
    }
    return null;
  }

  static String stripAnsi(String line) {
    StringBuilder out = new StringBuilder(line.length());
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '\u001B' && i + 1 < line.length() && line.charAt(i + 1) == '[') {
        int j = i + 2;
        while (j < line.length() && (Character.isDigit(line.charAt(j))
            || line.charAt(j) == ';')) {
          j++;
        }
        i = j < line.length() ? j + 1 : j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Reads timestamp and ranks from the last {@code [...]} before {@code end}; without a
   * timestamp there, from a date at the start of the line ({@code 2026-04-08T14:05:20.123
   * [TP0] ...}).
   */
  private void readPrefix(String line, int end, Object[] values) {
    int close = line.lastIndexOf(']', end);
    int open = close < 0 ? -1 : line.lastIndexOf('[', close);
    StringBuilder stamp = new StringBuilder();
    if (open >= 0) {
      for (String token : line.substring(open + 1, close).trim().split("\\s+")) {
        int rank = rankIndex(token);
        if (rank >= 0) {
          values[2 + rank] = Integer.parseInt(token.substring(2));
        } else {
          stamp.append(stamp.length() == 0 ? "" : " ").append(token);
        }
      }
    }
    values[1] = timestamp(stamp.toString());
    if (values[1] == null) {
      values[1] = timestamp(leadingDate(line.substring(0, open >= 0 ? open : end).trim()));
    }
  }

  /** {@code YYYY-MM-DD[ T]HH:MM:SS[.fff]} at the start of {@code text}, or "". */
  private static String leadingDate(String text) {
    if (text.length() < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
      return "";
    }
    String[] tokens = text.split("\\s+", 3);
    boolean separateTime = tokens.length > 1 && tokens[1].length() >= 8
        && tokens[1].charAt(2) == ':';
    return separateTime ? tokens[0] + " " + tokens[1] : tokens[0];
  }

  private Timestamp timestamp(String text) {
    if (text.length() < 10) {
      return null;
    }
    try {
      long micros = timestamps.toEpochMicros(text);
      Timestamp ts = new Timestamp(Math.floorDiv(micros, 1000L));
      ts.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
      return ts;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** 0..3 for DPn, TPn, EPn, PPn; -1 otherwise. */
  private static int rankIndex(String token) {
    if (token.length() < 3 || token.length() > 8) {
      return -1;
    }
    for (int i = 2; i < token.length(); i++) {
      if (!Character.isDigit(token.charAt(i))) {
        return -1;
      }
    }
    return switch (token.substring(0, 2)) {
      case "DP" -> 0;
      case "TP" -> 1;
      case "EP" -> 2;
      case "PP" -> 3;
      default -> -1;
    };
  }

  /** Reads {@code [ [iter]], key: value, key: value...} after the batch marker. */
  private static void readBatchFields(String afterMarker, Object[] values) {
    String body = afterMarker;
    if (body.startsWith(" [")) {
      int close = body.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("iteration: cut off");
      }
      values[7] = (long) parseNumber(body.substring(2, close), "iteration");
      body = body.substring(close + 1);
    }
    if (!body.startsWith(",")) {
      throw new IllegalArgumentException("batch line without fields (cut off?)");
    }
    Map<String, Double> extra = new LinkedHashMap<>();
    for (String field : body.substring(1).split(",")) {
      String trimmed = field.trim();
      int colon = trimmed.indexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        throw new IllegalArgumentException("field '" + clip(trimmed)
            + "' has no value (line cut off?)");
      }
      String key = trimmed.substring(0, colon).trim();
      String value = trimmed.substring(colon + 1).trim();
      readField(key, value, values, extra);
    }
    values[EXTRA] = SparkValues.map(extra);
  }

  private static void readField(String key, String value, Object[] values,
      Map<String, Double> extra) {
    int index = indexOf(LONG_FIELDS, key);
    if (index >= 0) {
      double number = parseNumber(value, key);
      if (number != Math.rint(number)) {
        throw new IllegalArgumentException(key + ": not a whole number '" + clip(value) + "'");
      }
      values[FIRST_LONG + index] = (long) number;
    } else if ((index = indexOf(DOUBLE_FIELDS, key)) >= 0) {
      values[FIRST_DOUBLE + index] = parseNumber(value, key);
    } else if (key.equals(CUDA_GRAPH_KEY)) {
      if (!value.equals("True") && !value.equals("False")) {
        throw new IllegalArgumentException("cuda graph: not True or False '" + clip(value)
            + "'");
      }
      values[CUDA_GRAPH] = value.equals("True");
    } else {
      try {
        extra.put(key, Double.parseDouble(value));
      } catch (NumberFormatException e) {
        // A text field this parser does not know: nothing to keep.
      }
    }
  }

  private static int indexOf(Map<String, String> fields, String key) {
    int i = 0;
    for (String known : fields.keySet()) {
      if (known.equals(key)) {
        return i;
      }
      i++;
    }
    return -1;
  }

  private static double parseNumber(String text, String key) {
    try {
      double value = Double.parseDouble(text.trim());
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": not a number '" + clip(text) + "'");
  }

  private static int firstFlag(String line) {
    for (String[] flag : SIZE_FLAGS) {
      int at = line.indexOf(flag[0]);
      if (at >= 0) {
        return at;
      }
    }
    return -1;
  }

  private static void readSizeFlags(String line, Object[] values) {
    for (int i = 0; i < SIZE_FLAGS.length; i++) {
      int at = line.indexOf(SIZE_FLAGS[i][0]);
      if (at < 0) {
        continue;
      }
      Double size = numberAfter(line, SIZE_FLAGS[i][0]);
      if (size == null || size != Math.rint(size) || size < 1 || size > 1_000_000) {
        throw new IllegalArgumentException(SIZE_FLAGS[i][0] + ": not a whole number >= 1");
      }
      values[TP_SIZE + i] = size.intValue();
    }
  }

  private static int firstMemoryKey(String line) {
    int first = -1;
    for (String[] key : MEMORY_KEYS) {
      int at = line.indexOf(key[0]);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }

  /** The number right after {@code key} (spaces or {@code =} between), or null. */
  private static Double numberAfter(String line, String key) {
    int at = line.indexOf(key);
    if (at < 0) {
      return null;
    }
    int i = at + key.length();
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '=')) {
      i++;
    }
    int start = i;
    while (i < line.length() && i - start < 32
        && (Character.isDigit(line.charAt(i)) || line.charAt(i) == '.')) {
      i++;
    }
    if (i == start) {
      return null;
    }
    try {
      return Double.parseDouble(line.substring(start, i));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}
