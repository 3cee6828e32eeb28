package dev.servelens.catalog;

import java.io.Serializable;
import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the ingest manifest: a source file that an ingest read, and what became of its
 * rows. For every entry {@code rowsRead == rowsKept + rowsRejected}.
 */
public record ManifestEntry(
    String family,
    String sourcePath,
    long sizeBytes,
    long modifiedAtMillis,
    long rowsRead,
    long rowsKept,
    long rowsRejected,
    long ingestedAtMillis,
    String batchId)
    implements Serializable {

  public static final StructType SCHEMA =
      new StructType()
          .add("family", DataTypes.StringType, false)
          .add("source_path", DataTypes.StringType, false)
          .add("size_bytes", DataTypes.LongType, false)
          .add("modified_at", DataTypes.TimestampType, false)
          .add("rows_read", DataTypes.LongType, false)
          .add("rows_kept", DataTypes.LongType, false)
          .add("rows_rejected", DataTypes.LongType, false)
          .add("ingested_at", DataTypes.TimestampType, false)
          .add("batch_id", DataTypes.StringType, false);

  public ManifestEntry {
    if (rowsRead != rowsKept + rowsRejected) {
      throw new IllegalArgumentException(
          "rows read (" + rowsRead + ") != kept (" + rowsKept + ") + rejected ("
              + rowsRejected + ") for " + sourcePath);
    }
  }

  Row toRow() {
    return RowFactory.create(
        family,
        sourcePath,
        sizeBytes,
        new Timestamp(modifiedAtMillis),
        rowsRead,
        rowsKept,
        rowsRejected,
        new Timestamp(ingestedAtMillis),
        batchId);
  }

  static ManifestEntry fromRow(Row row) {
    return new ManifestEntry(
        row.getString(0),
        row.getString(1),
        row.getLong(2),
        row.getTimestamp(3).getTime(),
        row.getLong(4),
        row.getLong(5),
        row.getLong(6),
        row.getTimestamp(7).getTime(),
        row.getString(8));
  }
}
