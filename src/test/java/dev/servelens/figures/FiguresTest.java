package dev.servelens.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the hand-made figure CSVs of {@code src/test/resources/FiguresTest/} (one per kind of
 * chart, plus an unknown CSV, one with no rows and one with nothing numeric) and reads the
 * SVG and PNG back: the number of drawn points per series equals the CSV's rows, log axes have
 * their powers of ten, the PNG decodes at twice the SVG's size and is not blank.
 */
class FiguresTest {
  private static final Path FIXTURES = Path.of("src/test/resources/FiguresTest");
  private static final String SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";

  @TempDir static Path out;

  @BeforeAll
  static void render() throws IOException {
    try (Stream<Path> files = Files.walk(FIXTURES)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = out.resolve(FIXTURES.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    // A CDF too long for markers: drawn as one polyline through its 100 points.
    StringBuilder longCdf = new StringBuilder("series,value,cdf\n");
    IntStream.rangeClosed(1, 100).forEach(i -> longCdf.append("m,").append(i).append(',')
        .append(i / 100.0).append('\n'));
    Files.writeString(out.resolve("workload/figures/cdf_input_tokens.csv"), longCdf);
    Configuration conf = new Configuration();
    conf.set(Figures.PARETO_CUTOFF_KEY, "25");
    for (String family : List.of("workload", "kstar", "bench", "agentic")) {
      Figures.Summary summary = Figures.renderFamily(conf, out.resolve(family).toString());
      assertThat(summary.failures()).isEmpty();
    }
  }

  private static SvgFile svg(String family, String name) throws Exception {
    return SvgFile.parse(out.resolve(family).resolve("figures").resolve(name + ".svg"));
  }

  /** The exponent of a label like 10⁻³, or null when the label is not a power of ten. */
  private static Integer exponent(String label) {
    if (!label.startsWith("10") || label.length() < 3) {
      return null;
    }
    StringBuilder digits = new StringBuilder();
    for (char c : label.substring(2).toCharArray()) {
      int digit = SUPERSCRIPTS.indexOf(c);
      if (c == '\u207b' && digits.length() == 0) {
        digits.append('-');
      } else if (digit >= 0) {
        digits.append(digit);
      } else {
        return null;
      }
    }
    return Integer.valueOf(digits.toString());
  }

  private static Set<Integer> exponents(List<String> labels) {
    assertThat(labels).allSatisfy(label -> assertThat(exponent(label)).isNotNull());
    return labels.stream().map(FiguresTest::exponent).collect(Collectors.toSet());
  }

  @Test
  void cdfHasTitleLabelsAPointPerRowAndDecadeTicks() throws Exception {
    SvgFile svg = svg("workload", "cdf_output_tokens");
    assertThat(svg.title()).isEqualTo("Output tokens per request");
    assertThat(svg.texts("title")).containsExactly("Output tokens per request");
    assertThat(svg.texts("axis-label")).containsExactly("output tokens",
        "fraction of requests \u2264 x (CDF)");
    // 5 rows of series *, 2 of m1: short series are staircases with a marker per row.
    assertThat(svg.series("circle", "point", "all (*)")).hasSize(5);
    assertThat(svg.series("circle", "point", "m1")).hasSize(2);
    // A staircase through n points has 2n - 1 vertices.
    assertThat(SvgFile.vertices(svg.series("polyline", "series", "all (*)").get(0))).isEqualTo(9);
    // Values 1 .. 10^4 on a log axis: one labelled tick per decade 10^0 .. 10^4.
    assertThat(exponents(svg.texts("tick-label", "x"))).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    // The CDF axis is linear from 0 to 1 in steps of 0.2.
    assertThat(svg.texts("tick-label", "y")).containsExactly("0", "0.2", "0.4", "0.6", "0.8", "1");
    assertThat(svg.texts("legend-label")).containsExactly("all (*)", "m1");
  }

  @Test
  void longSeriesIsOnePolylineThroughEveryRow() throws Exception {
    SvgFile svg = svg("workload", "cdf_input_tokens");
    assertThat(svg.series("polyline", "series", "m")).hasSize(1);
    assertThat(SvgFile.vertices(svg.series("polyline", "series", "m").get(0))).isEqualTo(100);
    assertThat(svg.elements("circle", "point")).isEmpty();
    // 1 .. 100: decades 10^0 .. 10^2.
    assertThat(exponents(svg.texts("tick-label", "x"))).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void rankPlotIsLogLog() throws Exception {
    SvgFile svg = svg("workload", "rank_requests_per_user");
    assertThat(svg.elements("circle", "point")).hasSize(7);
    assertThat(exponents(svg.texts("tick-label", "x"))).containsExactlyInAnyOrder(0, 1, 2); // ranks 1 .. 50
    assertThat(exponents(svg.texts("tick-label", "y"))).containsExactlyInAnyOrder(0, 1, 2, 3); // 1 .. 1000
  }

  @Test
  void boxPlotHasABoxPerRowInAPanelPerSeries() throws Exception {
    SvgFile svg = svg("workload", "interarrival_hourly_box");
    assertThat(svg.elements("rect", "box")).hasSize(5);
    assertThat(svg.elements("circle", "mean")).hasSize(5);
    assertThat(svg.texts("panel-title")).containsExactly("all (*)", "m1");
    // p5 0.01 .. p95 100: decades 10^-2 .. 10^2, the same on both panels.
    assertThat(exponents(svg.texts("tick-label", "y"))).containsExactlyInAnyOrder(-2, -1, 0, 1, 2);
    assertThat(svg.texts("tick-label", "x")).contains("0", "1", "2");
  }

  @Test
  void barsStackTheSeriesOnALinearAxisFromZeroWithShortenedNames() throws Exception {
    SvgFile svg = svg("workload", "tokens_per_model");
    // 3 models x 2 series: a segment per row, stacked to 1000, 400 and 75 tokens.
    assertThat(svg.elements("rect", "bar")).hasSize(6);
    assertThat(svg.texts("tick-label", "y")).first().isEqualTo("0");
    assertThat(svg.texts("tick-label", "y")).last().isEqualTo("1000");
    // The organisation is dropped; a name longer than its slot is cut with an ellipsis.
    List<String> ticks = svg.texts("tick-label", "x");
    assertThat(ticks).hasSize(3);
    assertThat(ticks.get(0)).isEqualTo("DeepSeek-R1");
    assertThat(ticks.get(1)).startsWith("Llama-3.3-70B").endsWith("\u2026");
    assertThat(ticks.get(2)).isEqualTo("(other)");
    assertThat(svg.texts("legend-label")).containsExactly("input_tokens", "output_tokens");
  }

  @Test
  void heatmapHasACellPerRowAndAColourBar() throws Exception {
    SvgFile svg = svg("workload", "interarrival_heatmap");
    assertThat(svg.elements("rect", "cell")).hasSize(4);
    assertThat(svg.elements("rect", "colorbar")).isNotEmpty();
    // Bins from 1 ms to 10^7 ms (10^4 s) on both axes.
    assertThat(exponents(svg.texts("tick-label", "x"))).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(exponents(svg.texts("tick-label", "colorbar"))).containsExactlyInAnyOrder(-1, 0); // 0.1 .. 0.5
  }

  @Test
  void timeSeriesHasAPointPerPeriod() throws Exception {
    SvgFile svg = svg("workload", "requests_per_day");
    assertThat(SvgFile.vertices(svg.elements("polyline", "series").get(0))).isEqualTo(3);
    assertThat(svg.texts("tick-label", "x")).first().asString().startsWith("01-01");
  }

  @Test
  void throughputCurveMarksKstarAndKhat() throws Exception {
    SvgFile svg = svg("kstar", "throughput_vs_k");
    assertThat(svg.series("circle", "point", "n=4 \u00b7 simulated")).hasSize(4);
    assertThat(svg.series("circle", "point", "n=4 \u00b7 measured:alpaca")).hasSize(4);
    // kstar.csv: m1 N=4 has k* = 2 and k-hat = 3; m2 has no curve, so no marker.
    assertThat(svg.elements("circle", "kstar")).hasSize(1);
    assertThat(svg.elements("circle", "khat_sim")).hasSize(1);
    assertThat(svg.texts("legend-label")).contains("k* (formula)", "k-hat (simulation)");
  }

  @Test
  void paretoRingsTheFrontierAndDrawsTheCutoff() throws Exception {
    SvgFile svg = svg("bench", "pareto");
    assertThat(svg.elements("circle", "point")).hasSize(5);
    assertThat(svg.elements("circle", "frontier")).hasSize(2); // two rows have on_front=true
    assertThat(svg.elements("line", "cutoff")).hasSize(1);
  }

  @Test
  void unknownCsvGetsTheGenericChart() throws Exception {
    SvgFile svg = svg("agentic", "tasks_by_threshold");
    assertThat(svg.title()).isEqualTo("Tasks by threshold");
    assertThat(svg.texts("axis-label")).containsExactly("threshold_pct", "tasks_per_min");
    assertThat(svg.series("circle", "point", "A")).hasSize(3);
    assertThat(svg.series("circle", "point", "B")).hasSize(3);
    // 50 .. 90 spans less than three decades: linear ticks.
    assertThat(svg.texts("tick-label", "x")).contains("50", "60", "70", "80", "90");
  }

  @Test
  void csvWithoutRowsOrNumbersSaysSo() throws Exception {
    assertThat(svg("workload", "cdf_interarrival_per_user").texts("note"))
        .containsExactly("no rows in cdf_interarrival_per_user.csv");
    assertThat(svg("agentic", "notes").texts("note"))
        .containsExactly("no two numeric columns to plot in notes.csv");
  }

  @Test
  void pngDecodesAtTwiceTheSvgSizeAndIsNotBlank() throws Exception {
    for (String name : List.of("cdf_output_tokens", "interarrival_heatmap", "tokens_per_model")) {
      SvgFile svg = svg("workload", name);
      BufferedImage png = ImageIO.read(
          out.resolve("workload/figures").resolve(name + ".png").toFile());
      assertThat(png.getWidth()).isEqualTo(
          (int) Math.ceil(Double.parseDouble(svg.root().getAttribute("width")) * 2));
      assertThat(png.getHeight()).isEqualTo(
          (int) Math.ceil(Double.parseDouble(svg.root().getAttribute("height")) * 2));
      int nonWhite = 0;
      Set<Integer> colors = new HashSet<>();
      for (int y = 0; y < png.getHeight(); y += 2) {
        for (int x = 0; x < png.getWidth(); x += 2) {
          int rgb = png.getRGB(x, y) & 0xffffff;
          colors.add(rgb);
          nonWhite += rgb == 0xffffff ? 0 : 1;
        }
      }
      assertThat(nonWhite).isGreaterThan(png.getWidth() * png.getHeight() / 4 / 100);
      assertThat(colors.size()).isGreaterThan(10);
    }
  }

  @Test
  void renderMissingSkipsUpToDateFiguresAndNoTemporaryFileRemains() throws IOException {
    Figures.Summary again =
        Figures.renderMissing(new Configuration(), out.resolve("workload").toString());
    assertThat(again.rendered()).isZero();
    assertThat(again.upToDate()).isEqualTo(8);
    try (Stream<Path> files = Files.list(out.resolve("workload/figures"))) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.startsWith("._tmp-"));
    }
  }
}
