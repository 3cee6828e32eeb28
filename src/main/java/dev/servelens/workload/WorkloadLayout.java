package dev.servelens.workload;

import dev.servelens.io.CsvLine;
import dev.servelens.io.SourceFiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to read one workload input file, decided on the driver from its first line: CSV with a
 * header (canonical names, aliases, the Azure 2023 and BurstGPT profiles) or JSON lines (the
 * Mooncake profile). A file that cannot be read as a trace keeps its layout with a reason, so
 * that each of its lines is rejected with that reason and nothing disappears.
 */
final class WorkloadLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Format {
    CSV,
    JSONL
  }

  /** The named column-mapping profiles of the public traces. */
  enum Profile {
    CANONICAL,
    AZURE_2023,
    BURSTGPT,
    MOONCAKE
  }

  static final int USER = 0;
  static final int MODEL = 1;
  static final int INPUT = 2;
  static final int OUTPUT = 3;
  static final int STARTED = 4;
  static final int COMPLETED = 5;
  static final int TTFT = 6;
  static final int DURATION = 7;
  static final int HASH_IDS = 8;
  static final String[] SLOT_NAMES = {
    WorkloadColumns.USER_ID,
    WorkloadColumns.MODEL_ID,
    WorkloadColumns.INPUT_TOKENS,
    WorkloadColumns.OUTPUT_TOKENS,
    WorkloadColumns.STARTED_AT,
    WorkloadColumns.COMPLETED_AT,
    WorkloadColumns.TTFT,
    WorkloadColumns.DURATION,
    WorkloadColumns.HASH_IDS
  };

  final Format format;
  final Profile profile;
  final int fieldCount;
  final int[] slotIndex;
  final String[] extraNames;
  final int[] extraIndex;
  /** The model of every row when the file has no model column (its name), else null. */
  final String modelFromFile;
  /** Timestamps are numbers in this unit from the trace start (0 = absolute, any form). */
  final long relativeUnitMicros;
  /** Why the file cannot be read, or null. */
  final String unusable;

  private WorkloadLayout(
      Format format,
      Profile profile,
      int fieldCount,
      int[] slotIndex,
      String[] extraNames,
      int[] extraIndex,
      String modelFromFile,
      long relativeUnitMicros,
      String unusable) {
    this.format = format;
    this.profile = profile;
    this.fieldCount = fieldCount;
    this.slotIndex = slotIndex;
    this.extraNames = extraNames;
    this.extraIndex = extraIndex;
    this.modelFromFile = modelFromFile;
    this.relativeUnitMicros = relativeUnitMicros;
    this.unusable = unusable;
  }

  boolean hasHeader() {
    return format == Format.CSV;
  }

  /** The prefix of the Azure LLM inference traces' file names (2023 and 2024). */
  static final String AZURE_PREFIX = "AzureLLMInferenceTrace_";

  /** Decides the layout of {@code path} from its first line ({@code null} when empty). */
  static WorkloadLayout detect(String path, String firstLine) {
    return detect(path, firstLine, null);
  }

  /**
   * Decides the layout of {@code path} from its first line ({@code null} when empty).
   *
   * @param model the model of every row of a file without a model column ({@code --model}),
   *     or null to take it from the file name ({@link #modelFromName})
   */
  static WorkloadLayout detect(String path, String firstLine, String model) {
    if (firstLine == null || firstLine.isBlank()) {
      return unusable(Format.CSV, "empty file or blank header line");
    }
    String trimmed = firstLine.strip();
    if (trimmed.startsWith("{")) {
      boolean mooncake = trimmed.contains("\"input_length\"");
      return new WorkloadLayout(
          Format.JSONL,
          mooncake ? Profile.MOONCAKE : Profile.CANONICAL,
          0,
          new int[0],
          new String[0],
          new int[0],
          model != null ? model : SourceFiles.baseName(path),
          mooncake ? 1_000L : 0L,
          null);
    }
    List<String> names;
    try {
      names = CsvLine.split(trimmed, ',');
    } catch (IllegalArgumentException e) {
      return unusable(Format.CSV, "header: " + e.getMessage());
    }
    int[] slots = new int[SLOT_NAMES.length];
    Arrays.fill(slots, -1);
    List<String> extraNames = new ArrayList<>();
    List<Integer> extraIndex = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String canonical = WorkloadHeader.canonical(names.get(i));
      int slot = canonical == null ? -1 : Arrays.asList(SLOT_NAMES).indexOf(canonical);
      if (slot >= 0 && slots[slot] < 0) {
        slots[slot] = i;
      } else if (!names.get(i).isBlank()) {
        extraNames.add(names.get(i).strip());
        extraIndex.add(i);
      }
    }
    Profile profile = profileOf(names);
    String modelFromFile = null;
    if (slots[MODEL] < 0) {
      modelFromFile = model != null ? model : modelFromName(path, profile);
    }
    if (slots[STARTED] < 0) {
      return unusable(
          Format.CSV,
          "header has no started_at column (nor timestamp, start_time, created_at): " + trimmed);
    }
    return new WorkloadLayout(
        Format.CSV,
        profile,
        names.size(),
        slots,
        extraNames.toArray(new String[0]),
        extraIndex.stream().mapToInt(Integer::intValue).toArray(),
        modelFromFile,
        profile == Profile.BURSTGPT ? 1_000_000L : 0L,
        null);
  }

  /**
   * The model of a file without a model column, from its name: the Azure traces' {@code
   * AzureLLMInferenceTrace_<model>[_<span>]} gives {@code <model>} ({@code code}, {@code conv};
   * the 2024 files' {@code _1week} and the like are the span), another Azure-profile name its
   * last {@code _} part, any other file its name without extensions.
   */
  static String modelFromName(String path, Profile profile) {
    String base = SourceFiles.baseName(path);
    if (base.regionMatches(true, 0, AZURE_PREFIX, 0, AZURE_PREFIX.length())
        && base.length() > AZURE_PREFIX.length()) {
      String rest = base.substring(AZURE_PREFIX.length());
      int end = rest.indexOf('_');
      return end > 0 ? rest.substring(0, end) : rest;
    }
    return profile == Profile.AZURE_2023 && base.contains("_")
        ? base.substring(base.lastIndexOf('_') + 1)
        : base;
  }

  private static Profile profileOf(List<String> names) {
    List<String> normalized = names.stream().map(WorkloadHeader::normalize).toList();
    if (normalized.equals(List.of("timestamp", "contexttokens", "generatedtokens"))) {
      return Profile.AZURE_2023;
    }
    if (normalized.contains("requesttokens") && normalized.contains("logtype")) {
      return Profile.BURSTGPT;
    }
    return Profile.CANONICAL;
  }

  private static WorkloadLayout unusable(Format format, String reason) {
    return new WorkloadLayout(
        format, Profile.CANONICAL, 0, new int[0], new String[0], new int[0], null, 0, reason);
  }

  @Override
  public String toString() {
    return format
        + "/"
        + profile
        + (unusable == null ? "" : " unusable: " + unusable)
        + (modelFromFile == null ? "" : " model=" + modelFromFile);
  }
}
