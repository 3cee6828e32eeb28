package dev.servelens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which catalog tables a query gets as views. */
class QueryCommandTest {
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
}
