package dev.servelens.kstar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Row counts of one kstar ingest per file and status (and per split for the line-based inputs),
 * gathered in two small aggregations: the line counts {@link dev.servelens.io.LineNumbers} needs
 * and the kept / rejected counts of the manifest.
 */
record KstarParseCounts(
    List<dev.servelens.io.LineNumbers.SplitCount> splits,
    Map<String, Long> keptByFile,
    Map<String, Long> rejectedByFile) {

  static KstarParseCounts of(Dataset<Row> profiles, Dataset<Row> results) {
    Map<String, Long> linesBySplit = new HashMap<>();
    Map<String, Long> kept = new HashMap<>();
    Map<String, Long> rejected = new HashMap<>();
    for (Row row : profiles.groupBy("source_path", "split_start", "status").count()
        .collectAsList()) {
      linesBySplit.merge(row.getLong(1) + "\t" + row.getString(0), row.getLong(3), Long::sum);
      count(row.getString(0), row.getString(2), row.getLong(3), kept, rejected);
    }
    for (Row row : results.groupBy(KstarColumns.SOURCE_PATH, "status").count().collectAsList()) {
      count(row.getString(0), row.getString(1), row.getLong(2), kept, rejected);
    }
    List<dev.servelens.io.LineNumbers.SplitCount> splits = new ArrayList<>();
    linesBySplit.forEach((key, lines) -> {
      int tab = key.indexOf('\t');
      splits.add(new dev.servelens.io.LineNumbers.SplitCount(key.substring(tab + 1),
          Long.parseLong(key.substring(0, tab)), lines));
    });
    return new KstarParseCounts(splits, kept, rejected);
  }

  private static void count(String path, String status, long rows, Map<String, Long> kept,
      Map<String, Long> rejected) {
    if (KstarProfileParser.OK.equals(status)) {
      kept.merge(path, rows, Long::sum);
    } else if (KstarProfileParser.REJECT.equals(status)) {
      rejected.merge(path, rows, Long::sum);
    }
  }

  long kept(String path) {
    return keptByFile.getOrDefault(path, 0L);
  }

  long rejected(String path) {
    return rejectedByFile.getOrDefault(path, 0L);
  }

  long totalKept() {
    return keptByFile.values().stream().mapToLong(Long::longValue).sum();
  }

  long totalRejected() {
    return rejectedByFile.values().stream().mapToLong(Long::longValue).sum();
  }
}
