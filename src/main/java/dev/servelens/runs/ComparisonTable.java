package dev.servelens.runs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The worklog's TL;DR table for one measure: one row per concurrency, one column per system
 * (the mean over its runs when there are several), and the winner. A winner is named only when
 * the 95% percentile bootstrap interval of its lead over the runner-up excludes 0; otherwise
 * the cell says {@code tie (within noise)}. Built on the driver from one summary per (system,
 * concurrency) group, so its size does not grow with the number of runs.
 */
final class ComparisonTable {
  /** One (system, concurrency) group: mean rate over runs with a window and its replicates. */
  record Group(String system, int concurrency, Double value, int runs, double[] replicates) {}

  private final String unit;
  private final String missing;
  private final TreeSet<String> systems = new TreeSet<>();
  private final TreeMap<Integer, Map<String, Group>> byConcurrency = new TreeMap<>();

  /** @param unit the cell suffix, e.g. {@code tasks/min} */
  ComparisonTable(String unit, List<Group> groups) {
    this(unit, groups, "no active window");
  }

  /**
   * @param unit the cell suffix, e.g. {@code tasks/min}
   * @param missing the cell of a group none of whose runs has a value
   */
  ComparisonTable(String unit, List<Group> groups, String missing) {
    this.unit = unit;
    this.missing = missing;
    for (Group group : groups) {
      systems.add(group.system());
      byConcurrency.computeIfAbsent(group.concurrency(), c -> new TreeMap<>())
          .put(group.system(), group);
    }
  }

  /** The winner of one concurrency. */
  record Winner(String label, String leader, String runnerUp, Double lead, Double ciLow,
      Double ciHigh) {}

  static Winner winner(List<Group> row) {
    List<Group> ranked = new ArrayList<>();
    for (Group group : row) {
      if (group.value() != null) {
        ranked.add(group);
      }
    }
    ranked.sort((a, b) -> Double.compare(b.value(), a.value()));
    if (ranked.isEmpty()) {
      return new Winner("no active window", null, null, null, null, null);
    }
    Group best = ranked.get(0);
    if (ranked.size() == 1) {
      return new Winner(best.system() + " (only system with a window)", best.system(), null,
          null, null, null);
    }
    Group second = ranked.get(1);
    double lead = best.value() - second.value();
    if (best.replicates() == null || second.replicates() == null
        || best.replicates().length == 0 || second.replicates().length == 0) {
      return new Winner("tie (no bootstrap)", best.system(), second.system(), lead, null, null);
    }
    int n = Math.min(best.replicates().length, second.replicates().length);
    double[] differences = new double[n];
    for (int j = 0; j < n; j++) {
      differences[j] = best.replicates()[j] - second.replicates()[j];
    }
    Arrays.sort(differences);
    double low = Quantiles.linear(differences, 0.025);
    double high = Quantiles.linear(differences, 0.975);
    String label = low > 0 ? best.system() : "tie (within noise)";
    return new Winner(label, best.system(), second.system(), lead, low, high);
  }

  /** The CSV rows: concurrency, one value per system, winner, leader, runner_up, lead, CI. */
  StructType schema() {
    StructType schema = new StructType().add("concurrency", DataTypes.IntegerType);
    for (String system : systems) {
      schema = schema.add(system, DataTypes.DoubleType);
    }
    return schema.add("winner", DataTypes.StringType).add("leader", DataTypes.StringType)
        .add("runner_up", DataTypes.StringType).add("lead", DataTypes.DoubleType)
        .add("lead_ci_low", DataTypes.DoubleType).add("lead_ci_high", DataTypes.DoubleType);
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, Map<String, Group>> entry : byConcurrency.entrySet()) {
      List<Object> values = values(entry);
      Winner winner = winner(new ArrayList<>(entry.getValue().values()));
      values.addAll(Arrays.asList(winner.label(), winner.leader(), winner.runnerUp(),
          winner.lead(), winner.ciLow(), winner.ciHigh()));
      rows.add(RowFactory.create(values.toArray()));
    }
    return rows;
  }

  /**
   * The columns of a table whose values have no bins to resample (one number per run): {@code
   * concurrency}, one value per system, {@code leader, runner_up, lead}; no winner is tested.
   */
  StructType leaderSchema() {
    StructType schema = new StructType().add("concurrency", DataTypes.IntegerType);
    for (String system : systems) {
      schema = schema.add(system, DataTypes.DoubleType);
    }
    return schema.add("leader", DataTypes.StringType).add("runner_up", DataTypes.StringType)
        .add("lead", DataTypes.DoubleType);
  }

  /** {@link #leaderSchema} rows, by concurrency. */
  List<Row> leaderRows() {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, Map<String, Group>> entry : byConcurrency.entrySet()) {
      List<Object> values = values(entry);
      Winner winner = winner(new ArrayList<>(entry.getValue().values()));
      values.addAll(Arrays.asList(winner.leader(), winner.runnerUp(), winner.lead()));
      rows.add(RowFactory.create(values.toArray()));
    }
    return rows;
  }

  /** The Markdown of {@link #leaderRows}: a {@code Leader} column and {@code footer} below. */
  String leaderMarkdown(String footer) {
    StringBuilder md = header("Leader");
    for (Map.Entry<Integer, Map<String, Group>> entry : byConcurrency.entrySet()) {
      cells(md, entry);
      Winner winner = winner(new ArrayList<>(entry.getValue().values()));
      md.append(' ').append(winner.leader() == null ? "" : winner.leader());
      if (winner.lead() != null) {
        md.append(String.format(Locale.ROOT, " (lead %.2f over %s)", winner.lead(),
            winner.runnerUp()));
      }
      md.append(" |\n");
    }
    return md.append('\n').append(footer).append('\n').toString();
  }

  /** The Markdown table, as in the worklog, with the method in a footer. */
  String markdown(double threshold, int replicates) {
    StringBuilder md = header("Winner");
    for (Map.Entry<Integer, Map<String, Group>> entry : byConcurrency.entrySet()) {
      cells(md, entry);
      Winner winner = winner(new ArrayList<>(entry.getValue().values()));
      md.append(' ').append(winner.label());
      if (winner.ciLow() != null) {
        md.append(String.format(Locale.ROOT, " (lead %.2f, 95%% CI [%.2f, %.2f])",
            winner.lead(), winner.ciLow(), winner.ciHigh()));
      }
      md.append(" |\n");
    }
    md.append(String.format(Locale.ROOT, "%nActive window: first to last KV sample with usage"
        + " > %s%%. Winner: the best system, named only when the 95%% percentile bootstrap"
        + " interval of its lead over the runner-up excludes 0 (%d replicates resampling"
        + " one-minute bins of each run's window); otherwise a tie within noise.%n",
        trim(threshold), replicates));
    return md.toString();
  }

  /** A CSV row's concurrency and one value per system (null where it has no runs). */
  private List<Object> values(Map.Entry<Integer, Map<String, Group>> entry) {
    List<Object> values = new ArrayList<>();
    values.add(entry.getKey());
    for (String system : systems) {
      Group group = entry.getValue().get(system);
      values.add(group == null ? null : group.value());
    }
    return values;
  }

  /** The Markdown header and alignment lines: concurrency, the systems, {@code last}. */
  private StringBuilder header(String last) {
    StringBuilder md = new StringBuilder("| Concurrency |");
    StringBuilder align = new StringBuilder("|---:|");
    for (String system : systems) {
      md.append(' ').append(system).append(" |");
      align.append("---:|");
    }
    return md.append(' ').append(last).append(" |\n").append(align).append(":--|\n");
  }

  /** A Markdown row's concurrency and system cells, up to the last column. */
  private void cells(StringBuilder md, Map.Entry<Integer, Map<String, Group>> entry) {
    md.append("| ").append(entry.getKey()).append(" |");
    for (String system : systems) {
      md.append(' ').append(cell(entry.getValue().get(system))).append(" |");
    }
  }

  private String cell(Group group) {
    if (group == null) {
      return "";
    }
    if (group.value() == null) {
      return missing;
    }
    String value = String.format(Locale.ROOT, "%.2f %s", group.value(), unit);
    return group.runs() > 1 ? value + " (mean of " + group.runs() + " runs)" : value;
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
