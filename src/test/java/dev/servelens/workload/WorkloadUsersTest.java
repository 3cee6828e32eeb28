package dev.servelens.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.SharedSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Ranks: most requests first, ties broken by user_id. */
class WorkloadUsersTest {
  @Test
  void ranksBreakTiesByUserId() {
    List<Row> rows = new ArrayList<>();
    Timestamp t = Timestamp.valueOf("2025-01-01 00:00:00");
    // zed 3 requests; amy, bob, cat 2 each; dan 1; a null user is left out.
    String[] users = {"zed", "zed", "zed", "bob", "bob", "amy", "amy", "cat", "cat", "dan", null};
    for (String user : users) {
      rows.add(RowFactory.create(user, "m", 1L, 1L, t, null, null, null, null, null));
    }
    Dataset<Row> requests =
        SharedSpark.session().createDataFrame(rows, WorkloadColumns.REQUESTS_SCHEMA);
    List<String> ranked = new ArrayList<>();
    for (Row row : WorkloadUsers.ranked(WorkloadUsers.perUser(requests))
        .collectAsList()) {
      ranked.add(row.getLong(3) + ":" + row.getString(0) + ":" + row.getLong(1));
    }
    assertThat(ranked).containsExactly("1:zed:3", "2:amy:2", "3:bob:2", "4:cat:2", "5:dan:1");
  }
}
