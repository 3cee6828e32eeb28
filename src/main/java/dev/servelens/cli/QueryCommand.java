package dev.servelens.cli;

import dev.servelens.catalog.Catalog;
import dev.servelens.io.RejectsTable;
import dev.servelens.io.TableOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servelens query}: Spark SQL over the catalog's tables. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL over the catalog's tables.",
      "Every table is a view under its own name (workload_requests, workload_rejects,",
      "ingest_manifest, ...)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  servelens query --catalog cat/ \"SHOW VIEWS\"",
      "  servelens query --catalog cat/ \"SELECT reason, count(*) n FROM workload_rejects"
          + " GROUP BY reason ORDER BY n DESC\"",
      "  servelens query --catalog cat/ --csv cdf.csv \"SELECT output_tokens, count(*) FROM"
          + " workload_requests WHERE model_id = 'conv' GROUP BY 1 ORDER BY 1\"",
      "  servelens query --catalog cat/ --fail-if-any 'unusable input files' \\",
      "      \"SELECT source_path FROM ingest_manifest WHERE rows_kept = 0 AND rows_rejected > 0\""
    })
final class QueryCommand implements Callable<Integer> {
  /** The families whose rejects tables a query may name ({@code <family>_rejects}). */
  private static final List<String> FAMILIES = List.of("workload", "kstar", "runs", "bench");

  @Option(names = "--catalog", required = true, paramLabel = "DIR", description = "Catalog root.")
  String catalog;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Write the whole result to this CSV file instead of printing it.")
  String csv;

  @Option(names = "--max-rows", defaultValue = "50", paramLabel = "N",
      description = "Rows printed (default ${DEFAULT-VALUE}); --csv writes all.")
  int maxRows;

  @Option(names = "--fail-if-any", paramLabel = "MESSAGE",
      description = "A check: print the rows and fail (exit code 1) with MESSAGE when the query"
          + " returns any row.")
  String failIfAny;

  @Parameters(index = "0", paramLabel = "SQL", description = "The query.")
  String sql;

  @Mixin SparkOptions spark;

  /**
   * The tables {@code sql} names, as whole words in any case, or all of them when it names none
   * ({@code SHOW VIEWS}). Each view costs a Spark job reading its Parquet schema, so a query of
   * one table should not pay for every table of the catalog; a name that only appears in a
   * string or comment costs a view too many, nothing worse.
   */
  static List<String> viewsFor(String sql, List<String> tables) {
    String text = sql.toLowerCase(Locale.ROOT);
    List<String> named = new ArrayList<>();
    for (String table : tables) {
      if (Pattern.compile("(?<![a-z0-9_])" + Pattern.quote(table.toLowerCase(Locale.ROOT))
          + "(?![a-z0-9_])").matcher(text).find()) {
        named.add(table);
      }
    }
    return named.isEmpty() ? tables : named;
  }

  /**
   * The {@code <family>_rejects} tables a catalog lacks although it holds other tables of that
   * family (catalogs ingested before every first ingest wrote its rejects table, even empty):
   * they are registered as empty views, so a query of a family's rejects never fails for want
   * of a table.
   */
  static List<String> missingRejectsTables(List<String> tables) {
    List<String> missing = new ArrayList<>();
    for (String family : FAMILIES) {
      String rejects = family + "_rejects";
      if (!tables.contains(rejects)
          && tables.stream().anyMatch(table -> table.startsWith(family + "_"))) {
        missing.add(rejects);
      }
    }
    return missing;
  }

  /**
   * The result with every map, array and struct column as JSON text, which CSV can hold
   * ({@code bench_results.metrics}, {@code workload_requests.extra}, {@code hash_ids}).
   */
  static Dataset<Row> nestedAsJson(Dataset<Row> result) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : result.schema().fields()) {
      Column column = result.col("`" + field.name().replace("`", "``") + "`");
      boolean nested = field.dataType() instanceof MapType
          || field.dataType() instanceof ArrayType || field.dataType() instanceof StructType;
      columns.add(nested ? functions.to_json(column).as(field.name()) : column);
    }
    return result.select(columns.toArray(new Column[0]));
  }

  @Override
  public Integer call() {
    SparkSession session = SparkSessions.create("servelens query", spark.master, spark.conf);
    try {
      Catalog tables = new Catalog(session, catalog);
      List<String> names = tables.tableNames();
      if (names.isEmpty()) {
        throw new IllegalArgumentException("catalog " + catalog + " has no tables yet");
      }
      List<String> emptyRejects = missingRejectsTables(names);
      List<String> all = new ArrayList<>(names);
      all.addAll(emptyRejects);
      List<String> named = viewsFor(sql, all);
      List<String> stored = new ArrayList<>();
      for (String name : named) {
        if (emptyRejects.contains(name)) {
          RejectsTable.empty(session).createOrReplaceTempView(name);
        } else {
          stored.add(name);
        }
      }
      tables.registerViews(stored);
      Dataset<Row> result = session.sql(sql);
      if (failIfAny != null) {
        long rows = result.count();
        if (rows > 0) {
          System.out.print(TableOutput.toMarkdown(result, maxRows));
          throw new IllegalStateException(failIfAny + " (" + rows + " row(s), listed above)");
        }
        System.out.println("check passed: no rows");
        return 0;
      }
      if (csv != null) {
        TableOutput.writeCsvFile(nestedAsJson(result), csv);
        System.out.println("wrote " + csv);
      } else {
        System.out.print(TableOutput.toMarkdown(result, maxRows));
      }
      return 0;
    } finally {
      SparkSessions.release(session);
    }
  }
}
