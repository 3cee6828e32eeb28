package dev.servelens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.io.TableOutput;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Which catalog tables a query gets as views, the empty rejects views, nested columns in CSV,
 * and several paths after one {@code --input}.
 */
class QueryCommandTest {
  @TempDir Path temp;

  private static final List<String> TABLES =
      List.of("ingest_manifest", "workload_rejects", "workload_requests");

  @Test
  void registersOnlyTheTablesTheQueryNames() {
    assertThat(QueryCommand.viewsFor("SELECT count(*) FROM workload_requests", TABLES))
        .containsExactly("workload_requests");
    assertThat(QueryCommand.viewsFor("select r.model_id from WORKLOAD_REQUESTS r join "
        + "ingest_manifest m on true", TABLES))
        .containsExactly("ingest_manifest", "workload_requests");
  }

  @Test
  void aLongerNameIsNotTakenForAShorterOne() {
    assertThat(QueryCommand.viewsFor("SELECT * FROM workload_requests_x, xworkload_rejects",
        List.of("workload_requests", "workload_requests_x", "workload_rejects")))
        .containsExactly("workload_requests_x");
  }

  @Test
  void registersEveryTableWhenTheQueryNamesNone() {
    assertThat(QueryCommand.viewsFor("SHOW VIEWS", TABLES)).isEqualTo(TABLES);
  }

  @Test
  void aFamilyWithoutItsRejectsTableGetsAnEmptyOne() {
    assertThat(QueryCommand.missingRejectsTables(List.of("ingest_manifest", "workload_requests",
        "bench_runs", "bench_rejects", "kstar_profiles")))
        .containsExactly("workload_rejects", "kstar_rejects");
  }

  @Test
  void mapAndArrayColumnsAreWrittenToCsvAsJson() throws IOException {
    StructType schema = new StructType()
        .add("job", DataTypes.StringType)
        .add("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
        .add("tags", DataTypes.createArrayType(DataTypes.StringType));
    var rows = SharedSpark.session().createDataFrame(List.of(
        RowFactory.create("3667", scala.collection.JavaConverters.mapAsScalaMap(
            Map.of("ttft", 1.5)), List.of("a", "b").toArray(new String[0]))), schema);
    Path csv = temp.resolve("out.csv");
    TableOutput.writeCsvFile(QueryCommand.nestedAsJson(rows), csv.toString());
    // {"ttft":1.5} and ["a","b"], each one quoted CSV field with its quotes doubled (RFC 4180).
    assertThat(Files.readString(csv)).isEqualTo(
        "job,metrics,tags\n3667,\"{\"\"ttft\"\":1.5}\",\"[\"\"a\"\",\"\"b\"\"]\"\n");
  }

  @Test
  void severalPathsFollowOneInput() {
    CommandLine.ParseResult parsed = new CommandLine(new IngestCommand())
        .parseArgs("workload", "--input", "a.csv", "b/", "--catalog", "cat");
    IngestCommand.Workload workload =
        (IngestCommand.Workload) parsed.subcommand().commandSpec().userObject();
    assertThat(workload.source.inputs).containsExactly("a.csv", "b/");
    assertThat(workload.source.catalog).isEqualTo("cat");
  }
}
