package dev.servelens.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The data files of every table as of one catalog version: what a command reads from its first
 * read to its end, whatever commits meanwhile, so that it sees each batch whole or not at all,
 * in every table alike.
 *
 * @param version number of commits recorded when the files were listed
 * @param files data file paths per table, each sorted
 */
record CatalogSnapshot(long version, Map<String, List<String>> files) {
  CatalogSnapshot {
    files = new TreeMap<>(files);
  }

  List<String> files(String table) {
    return files.getOrDefault(table, List.of());
  }

  Set<String> tables() {
    return files.keySet();
  }
}
