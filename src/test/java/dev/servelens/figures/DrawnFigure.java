package dev.servelens.figures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.OutputCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * How the renderer draws one figure-data CSV that an analysis wrote: whether its spec is the
 * known one (not the generic chart), the columns the spec puts on x and y, the axis titles and
 * legend of the rendered SVG beside the CSV, and the x and y values of the data points drawn.
 * For the analyses' tests: a figure must put on each axis the column it names.
 */
public record DrawnFigure(String name, boolean known, String xColumn, String yColumn,
    List<String> xTitles, List<String> yTitles, List<String> legend, Set<Double> xs,
    Set<Double> ys, List<Double> boxMedians, Map<String, Double> bars,
    List<Map<String, String>> rows) {

  /** The figure {@code name} of the family output folder {@code familyDir}, as drawn. */
  public static DrawnFigure of(Path familyDir, String name) throws Exception {
    Path csv = familyDir.resolve("figures").resolve(name + ".csv");
    String family = familyDir.getFileName().toString();
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(csv.toUri());
    FigureSpec spec = FigureSpecs.forData(family, name, FigureData.read(fs, path));
    Set<Double> xs = new TreeSet<>();
    Set<Double> ys = new TreeSet<>();
    List<Double> boxMedians = new ArrayList<>();
    Map<String, Double> bars = new LinkedHashMap<>();
    for (Figure.Panel panel : Figures.build(family, path, fs, null).panels()) {
      for (Mark mark : panel.marks()) {
        if (mark instanceof Mark.Line line) {
          add(line.xs(), line.ys(), xs, ys);
        } else if (mark instanceof Mark.Points points) {
          add(points.xs(), points.ys(), xs, ys);
        } else if (mark instanceof Mark.Box box) {
          boxMedians.add(box.p50());
        } else if (mark instanceof Mark.Bar bar) {
          bars.put(barKey((int) bar.x(), bar.category(), bar.label()), bar.value());
        }
      }
    }
    SvgFile svg = SvgFile.parse(familyDir.resolve("figures").resolve(name + ".svg"));
    return new DrawnFigure(name, spec != null && spec == FigureSpecs.known(family, name),
        spec == null ? null : spec.x(), spec == null ? null : spec.y(),
        svg.texts("axis-label", "x"), svg.texts("axis-label", "y"), svg.texts("legend-label"), xs,
        ys, boxMedians, bars, OutputCsv.read(csv));
  }

  private static void add(double[] x, double[] y, Set<Double> xs, Set<Double> ys) {
    for (int i = 0; i < x.length; i++) {
      xs.add(x[i]);
      ys.add(y[i]);
    }
  }

  /** The figures of {@code familyDir} that no known spec draws (they get the generic chart). */
  public static List<String> generic(Path familyDir) throws Exception {
    List<String> generic = new ArrayList<>();
    try (Stream<Path> files = Files.list(familyDir.resolve("figures"))) {
      for (Path csv : files.filter(file -> file.toString().endsWith(".csv")).sorted().toList()) {
        String file = csv.getFileName().toString();
        String name = file.substring(0, file.length() - ".csv".length());
        if (!of(familyDir, name).known()) {
          generic.add(name);
        }
      }
    }
    return generic;
  }

  /**
   * Asserts the figure is drawn by its known spec with {@code x} and {@code y} on its axes: the
   * spec names them, the SVG's axis titles are {@code xTitle} and {@code yTitle} (on every
   * panel), and the drawn points are the CSV's rows where both are numbers.
   */
  public void assertDraws(String x, String xTitle, String y, String yTitle) throws IOException {
    assertThat(known).as("%s has its known spec", name).isTrue();
    assertThat(List.of(xColumn, yColumn)).as("%s's x and y columns", name)
        .containsExactly(x, y);
    assertThat(xTitles).as("%s's x axis title", name).isNotEmpty()
        .allSatisfy(title -> assertThat(title).isEqualTo(xTitle));
    assertThat(yTitles).as("%s's y axis title", name).isNotEmpty()
        .allSatisfy(title -> assertThat(title).isEqualTo(yTitle));
    Set<Double> csvXs = new TreeSet<>();
    Set<Double> csvYs = new TreeSet<>();
    for (Map<String, String> row : rows) {
      Double xValue = number(row.get(x));
      Double yValue = number(row.get(y));
      if (xValue != null && yValue != null) {
        csvXs.add(xValue);
        csvYs.add(yValue);
      }
    }
    assertThat(xs).as("%s's drawn x values: column %s", name, x).isNotEmpty()
        .isEqualTo(csvXs);
    assertThat(ys).as("%s's drawn y values: column %s", name, y).isEqualTo(csvYs);
  }

  /**
   * Asserts the figure is drawn by its known box spec with categories of {@code x}: the axis
   * titles, and a box per CSV row with the row's median.
   */
  public void assertBoxes(String x, String xTitle, String yTitle) {
    assertThat(known).as("%s has its known spec", name).isTrue();
    assertThat(xColumn).as("%s's x column", name).isEqualTo(x);
    assertThat(xTitles).as("%s's x axis title", name).containsOnly(xTitle);
    assertThat(yTitles).as("%s's y axis title", name).containsOnly(yTitle);
    assertThat(boxMedians).as("%s's box medians", name)
        .containsExactlyElementsOf(rows.stream().map(row -> number(row.get("p50"))).toList());
  }

  /**
   * Asserts the figure is drawn by its known bar spec with categories of {@code x} and heights
   * of {@code y}: the axis titles, and a bar (a stacked segment per value of the {@code series}
   * column, when not null) per CSV row as high as the row's y, categories placed in the order
   * the rows first name them.
   */
  public void assertBars(String x, String xTitle, String y, String yTitle, String series) {
    assertThat(known).as("%s has its known spec", name).isTrue();
    assertThat(List.of(xColumn, yColumn)).as("%s's x and y columns", name)
        .containsExactly(x, y);
    assertThat(xTitles).as("%s's x axis title", name).containsOnly(xTitle);
    assertThat(yTitles).as("%s's y axis title", name).containsOnly(yTitle);
    Map<String, Double> expected = new LinkedHashMap<>();
    List<String> categories = new ArrayList<>();
    for (Map<String, String> row : rows) {
      if (!categories.contains(row.get(x))) {
        categories.add(row.get(x));
      }
      expected.put(barKey(categories.indexOf(row.get(x)), row.get(x),
          series == null ? null : row.get(series)), number(row.get(y)));
    }
    assertThat(bars).as("%s's bars: %s by %s", name, y, x).isEqualTo(expected);
  }

  /** A bar as {@code slot category}, and {@code / series} when it is a stacked segment. */
  private static String barKey(int slot, String category, String series) {
    return slot + " " + category + (series == null ? "" : " / " + series);
  }

  /** A cell as a number: a decimal, or an ISO-8601 instant as epoch seconds (time axes). */
  private static Double number(String cell) {
    if (cell == null || cell.isEmpty()) {
      return null;
    }
    try {
      return Double.valueOf(cell);
    } catch (NumberFormatException e) {
      try {
        java.time.Instant instant = java.time.Instant.parse(cell);
        return instant.getEpochSecond() + instant.getNano() / 1e9;
      } catch (java.time.format.DateTimeParseException notATime) {
        return null;
      }
    }
  }
}
