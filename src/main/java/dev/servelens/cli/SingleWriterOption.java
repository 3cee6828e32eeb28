package dev.servelens.cli;

import dev.servelens.catalog.Catalog;
import picocli.CommandLine.Option;

/**
 * {@code --single-writer}: lets a command write a catalog on a file system that cannot create a
 * file only if it is absent (s3a and other object stores), on the user's word that no other
 * writer runs at the same time.
 */
final class SingleWriterOption {
  @Option(names = "--single-writer",
      description = {"Write a catalog on s3a:// or another object store, which cannot guard",
        "against two writers at once: promise that no other ingest or tag writes it meanwhile.",
        "Not needed on local disks and HDFS, which are guarded. See README 'Several writers'."})
  void singleWriter(boolean promised) {
    if (promised) {
      System.setProperty(Catalog.SINGLE_WRITER_KEY, "true");
    }
  }
}
