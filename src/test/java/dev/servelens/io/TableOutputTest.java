package dev.servelens.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.servelens.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables written from the driver must have the same bytes as the same table written by Spark's
 * CSV data source (the second method here), whatever the values hold.
 */
class TableOutputTest {
  private final SparkSession spark = SharedSpark.session();

  private static final StructType SCHEMA = new StructType()
      .add("text", DataTypes.StringType)
      .add("n", DataTypes.LongType)
      .add("i", DataTypes.IntegerType)
      .add("x", DataTypes.DoubleType)
      .add("flag", DataTypes.BooleanType)
      .add("at", DataTypes.TimestampType)
      .add("day", DataTypes.DateType);

  private static List<Row> awkwardRows() {
    List<Row> rows = new ArrayList<>();
    String[] texts = {"plain", "a,b", "say \"hi\"", "two\nlines", "  padded  ", "", null,
        "back\\slash", "é ü 日本", "#comment", "tab\there", "'single'"};
    double[] xs = {0.0, -0.0, 1e-4, 1.0E10, 123456.789, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1.0 / 3, 5e-324, 42, -7.25};
    for (int i = 0; i < texts.length; i++) {
      rows.add(RowFactory.create(texts[i], i % 3 == 0 ? null : (long) i * 1_000_000_007L,
          i % 4 == 0 ? null : -i, xs[i], i % 2 == 0,
          i % 5 == 0 ? null : new Timestamp(1_700_000_000_123L + i * 3_600_000L + i),
          i % 6 == 0 ? null : Date.valueOf("2026-0" + (1 + i % 9) + "-1" + (i % 10))));
    }
    return rows;
  }

  @Test
  void driverCsvHasTheBytesOfSparksCsvWriter(@TempDir Path dir) throws Exception {
    List<Row> rows = awkwardRows();
    Dataset<Row> table = spark.createDataFrame(rows, SCHEMA);
    String bySpark = dir.resolve("spark.csv").toString();
    String byDriver = dir.resolve("driver.csv").toString();
    TableOutput.writeCsvWithSpark(table, bySpark);
    TableOutput.writeCsvRows(spark.sparkContext().hadoopConfiguration(), SCHEMA, rows, byDriver);
    assertEquals(Files.readString(Path.of(bySpark)), Files.readString(Path.of(byDriver)));
  }

  @Test
  void emptyTableIsItsHeaderEitherWay(@TempDir Path dir) throws Exception {
    Dataset<Row> table = spark.createDataFrame(List.of(), SCHEMA);
    TableOutput.writeCsvWithSpark(table, dir.resolve("spark.csv").toString());
    TableOutput.writeCsvFile(table, dir.resolve("driver.csv").toString());
    assertEquals("text,n,i,x,flag,at,day\n", Files.readString(dir.resolve("driver.csv")));
    assertEquals(Files.readString(dir.resolve("spark.csv")),
        Files.readString(dir.resolve("driver.csv")));
  }

  @Test
  void onlySmallTablesAreCollected() {
    Dataset<Row> small = spark.range(0, TableOutput.DRIVER_ROWS).toDF();
    Dataset<Row> large = spark.range(0, TableOutput.DRIVER_ROWS + 1L).toDF();
    List<Row> rows = TableOutput.collectIfSmall(small);
    assertNotNull(rows);
    assertEquals(TableOutput.DRIVER_ROWS, rows.size());
    assertNull(TableOutput.collectIfSmall(large));
  }

  @Test
  void tableAndMarkdownFromTheDriver(@TempDir Path dir) throws Exception {
    Dataset<Row> table = spark.createDataFrame(Arrays.asList(
        RowFactory.create("a|b", 1L, 2, 0.5, true, null, null)), SCHEMA);
    TableOutput.write(table, dir.toString(), "fam", "t");
    assertEquals("text,n,i,x,flag,at,day\na|b,1,2,0.5,true,,\n",
        Files.readString(dir.resolve("fam/t.csv")));
    assertEquals("| text | n | i | x | flag | at | day |\n|---|---|---|---|---|---|---|\n"
        + "| a\\|b | 1 | 2 | 0.5 | true |  |  |\n", Files.readString(dir.resolve("fam/t.md")));
  }

  /**
   * RFC 4180, as the output contract says: a strict reader (commons-csv's RFC4180 format, a
   * second implementation) reads back every text value as written, quotes, commas, newlines,
   * backslashes and surrounding spaces included; a quote inside a value is doubled, not escaped.
   */
  @Test
  void csvIsRfc4180(@TempDir Path dir) throws Exception {
    List<Row> rows = awkwardRows();
    String file = dir.resolve("t.csv").toString();
    TableOutput.writeCsvRows(spark.sparkContext().hadoopConfiguration(), SCHEMA, rows, file);
    String text = Files.readString(Path.of(file));
    assertTrue(text.contains("\"say \"\"hi\"\"\""), text);
    List<org.apache.commons.csv.CSVRecord> read;
    try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader()
        .setSkipHeaderRecord(true).build().parse(new java.io.StringReader(text))) {
      read = parser.getRecords();
    }
    assertEquals(rows.size(), read.size());
    for (int i = 0; i < rows.size(); i++) {
      String expected = rows.get(i).getString(0);
      assertEquals(expected == null ? "" : expected, read.get(i).get("text"), "row " + i);
    }
  }
}
