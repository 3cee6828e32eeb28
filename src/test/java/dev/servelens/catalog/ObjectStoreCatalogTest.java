package dev.servelens.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.testing.SharedSpark;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog on a file system that cannot create a file only if absent (as s3a) is not written
 * unless the user says there is a single writer.
 */
class ObjectStoreCatalogTest {
  /** A local disk posing as an object store: a scheme outside the ones known to be atomic. */
  public static final class ObjectStore extends RawLocalFileSystem {
    @Override
    public String getScheme() {
      return "objstore";
    }

    @Override
    public URI getUri() {
      return URI.create("objstore:///");
    }
  }

  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  @AfterEach
  void forget() {
    System.clearProperty(Catalog.SINGLE_WRITER_KEY);
    spark.conf().unset(Catalog.SINGLE_WRITER_KEY);
  }

  private Catalog catalog() {
    spark.sparkContext().hadoopConfiguration()
        .set("fs.objstore.impl", ObjectStore.class.getName());
    spark.sparkContext().hadoopConfiguration().setBoolean("fs.objstore.impl.disable.cache", true);
    return new Catalog(spark, "objstore://" + temp.toAbsolutePath());
  }

  @Test
  void writingIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> catalog().stage("test"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("objstore cannot create a file only if it is absent")
        .hasMessageContaining("--single-writer");
    assertThatThrownBy(() -> catalog().recover())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(temp.toFile().list()).isEmpty();
  }

  @Test
  void aSingleWriterMayWrite() throws Exception {
    spark.conf().set(Catalog.SINGLE_WRITER_KEY, "true");
    Catalog catalog = catalog();
    catalog.recover();
    catalog.stage("test").commit();
    assertThat(catalog.version()).isEqualTo(1);
    assertThat(temp.resolve(Catalog.COMMITS).toFile().list()).hasSize(1);
  }
}
