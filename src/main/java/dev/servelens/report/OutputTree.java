package dev.servelens.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What the analyses wrote under an output folder: per family folder (any folder holding tables,
 * documents or figures), its run groups (sub-folders with outputs of their own; the family's own
 * files form the unnamed group), and in each group the tables ({@code .csv}), Markdown documents
 * without a CSV twin, and figures ({@code figures/*.csv} with their SVG and PNG).
 */
record OutputTree(List<Family> families) {

  /** Families in this order first, the others after them by name. */
  static final List<String> FAMILY_ORDER = List.of("workload", "kstar", "agentic", "bench");

  static final String FIGURES = "figures";

  /** A family folder and its groups. */
  record Family(String name, List<Group> groups) {
    int tableCount() {
      return groups.stream().mapToInt(group -> group.tables().size()).sum();
    }

    int figureCount() {
      return groups.stream().mapToInt(group -> group.figures().size()).sum();
    }
  }

  /**
   * A folder of outputs; {@code name} is null for the family's own folder, {@code dir} the
   * folder relative to the output root.
   */
  record Group(String name, String dir, List<String> tables, List<String> documents,
      List<Figure> figures) {
    boolean isEmpty() {
      return tables.isEmpty() && documents.isEmpty() && figures.isEmpty();
    }
  }

  /** A figure's data file name without extension, and which renderings exist. */
  record Figure(String name, boolean hasSvg, boolean hasPng) {}

  static OutputTree scan(FileSystem fs, Path out) {
    List<Family> families = new ArrayList<>();
    try {
      if (!isDirectory(fs, out)) {
        return new OutputTree(families);
      }
      for (FileStatus status : fs.listStatus(out)) {
        String name = status.getPath().getName();
        if (!status.isDirectory() || hidden(name)) {
          continue;
        }
        List<Group> groups = new ArrayList<>();
        Group own = group(fs, status.getPath(), null, name);
        if (!own.isEmpty()) {
          groups.add(own);
        }
        for (FileStatus child : sorted(fs.listStatus(status.getPath()))) {
          String childName = child.getPath().getName();
          if (child.isDirectory() && !hidden(childName) && !childName.equals(FIGURES)) {
            Group group = group(fs, child.getPath(), childName, name + "/" + childName);
            if (!group.isEmpty()) {
              groups.add(group);
            }
          }
        }
        if (!groups.isEmpty()) {
          families.add(new Family(name, groups));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + out + ": " + e.getMessage(), e);
    }
    families.sort(Comparator.comparingInt(OutputTree::rank).thenComparing(Family::name));
    return new OutputTree(families);
  }

  private static int rank(Family family) {
    int index = FAMILY_ORDER.indexOf(family.name());
    return index < 0 ? FAMILY_ORDER.size() : index;
  }

  private static Group group(FileSystem fs, Path dir, String name, String relative)
      throws IOException {
    List<String> csv = new ArrayList<>();
    List<String> md = new ArrayList<>();
    for (FileStatus file : sorted(fs.listStatus(dir))) {
      String fileName = file.getPath().getName();
      if (!file.isFile() || hidden(fileName)) {
        continue;
      }
      if (fileName.endsWith(".csv")) {
        csv.add(base(fileName));
      } else if (fileName.endsWith(".md")) {
        md.add(base(fileName));
      }
    }
    md.removeAll(csv);
    List<Figure> figures = new ArrayList<>();
    Path figureDir = new Path(dir, FIGURES);
    if (isDirectory(fs, figureDir)) {
      for (FileStatus file : sorted(fs.listStatus(figureDir))) {
        String fileName = file.getPath().getName();
        if (file.isFile() && fileName.endsWith(".csv") && !hidden(fileName)) {
          String figure = base(fileName);
          figures.add(new Figure(figure, fs.exists(new Path(figureDir, figure + ".svg")),
              fs.exists(new Path(figureDir, figure + ".png"))));
        }
      }
    }
    return new Group(name, relative, csv, md, figures);
  }

  static boolean isDirectory(FileSystem fs, Path path) throws IOException {
    return fs.exists(path) && fs.getFileStatus(path).isDirectory();
  }

  private static FileStatus[] sorted(FileStatus[] statuses) {
    java.util.Arrays.sort(statuses, Comparator.comparing(status -> status.getPath().getName()));
    return statuses;
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  private static String base(String fileName) {
    return fileName.substring(0, fileName.lastIndexOf('.'));
  }
}
