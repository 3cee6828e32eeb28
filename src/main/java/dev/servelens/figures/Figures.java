package dev.servelens.figures;

import dev.servelens.io.TableOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders figure-data CSVs ({@code <family>/figures/<name>.csv}, and the same under a run
 * group's folder {@code <family>/<group>/figures/}) to {@code <name>.svg} and {@code <name>.png}
 * beside them, on the driver through the Hadoop FileSystem API. Known figures are drawn as
 * {@link FigureSpecs} says; any other tidy CSV gets a generic line chart. Each file is written
 * to a temporary name and renamed into place.
 */
public final class Figures {
  private static final Logger LOG = LoggerFactory.getLogger(Figures.class);

  /** Configuration key: per-user throughput (tokens/s) drawn as a cutoff on Pareto figures. */
  public static final String PARETO_CUTOFF_KEY = "servelens.figures.tps-per-user-cutoff";

  /** PNG pixels per figure unit. */
  static final double PNG_SCALE = 2;

  private static final String FIGURES = "figures";

  private Figures() {}

  /** What a rendering pass did; failures name the CSV and the reason. */
  public record Summary(int rendered, int upToDate, List<String> failures) {}

  /** Renders every figure of the family output folder {@code familyOutDir}. */
  public static Summary renderFamily(Configuration conf, String familyOutDir) {
    return render(conf, familyOutDir, false);
  }

  /**
   * Renders the figures whose SVG or PNG is missing or older than their CSV, and, when the
   * configuration has a {@link #PARETO_CUTOFF_KEY}, every figure that draws the cutoff.
   */
  public static Summary renderMissing(Configuration conf, String familyOutDir) {
    return render(conf, familyOutDir, true);
  }

  private static Summary render(Configuration conf, String familyOutDir, boolean onlyMissing) {
    long started = System.nanoTime();
    Path familyDir = new Path(familyOutDir);
    String cutoff = conf.get(PARETO_CUTOFF_KEY);
    Double paretoCutoff = cutoff == null ? null : Double.valueOf(cutoff);
    int upToDate = 0;
    List<Path> pending = new ArrayList<>();
    FileSystem fs;
    try {
      fs = familyDir.getFileSystem(conf);
      for (Path csv : figureFiles(fs, familyDir)) {
        // A cutoff asked for now is drawn even on a figure rendered without it before.
        boolean redraw = paretoCutoff != null
            && FigureSpecs.drawsCutoff(familyDir.getName(), name(csv));
        if (onlyMissing && !redraw && isRendered(fs, csv)) {
          upToDate++;
        } else {
          pending.add(csv);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list figures under " + familyOutDir + ": "
          + e.getMessage(), e);
    }
    // Figures are independent: drawn on every core at once (the executors are idle by now).
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger rendered = new AtomicInteger();
    int threads = Math.max(1, Math.min(pending.size(),
        Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Path csv : pending) {
        futures.add(pool.submit(() -> {
          try {
            write(fs, csv, build(familyDir.getName(), csv, fs, paretoCutoff));
            rendered.incrementAndGet();
          } catch (RuntimeException e) {
            LOG.warn("Cannot render figure {}: {}", csv, e.getMessage());
            failures.add(csv.getName() + ": " + e.getMessage());
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rendering " + familyOutDir, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot render figures of " + familyOutDir + ": "
          + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<String> sortedFailures = new ArrayList<>(failures);
    Collections.sort(sortedFailures);
    LOG.info("Rendered {} figures of {} in {} ms ({} up to date, {} failed)", rendered.get(),
        familyOutDir, (System.nanoTime() - started) / 1_000_000, upToDate,
        sortedFailures.size());
    return new Summary(rendered.get(), upToDate, sortedFailures);
  }

  /** The figure CSVs of the family folder and of its group folders, sorted by path. */
  static List<Path> figureFiles(FileSystem fs, Path familyDir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!fs.exists(familyDir)) {
      return files;
    }
    addCsvFiles(fs, new Path(familyDir, FIGURES), files);
    for (FileStatus group : fs.listStatus(familyDir)) {
      if (group.isDirectory() && !group.getPath().getName().equals(FIGURES)
          && !group.getPath().getName().startsWith(".")) {
        addCsvFiles(fs, new Path(group.getPath(), FIGURES), files);
      }
    }
    files.sort(Path::compareTo);
    return files;
  }

  private static void addCsvFiles(FileSystem fs, Path dir, List<Path> files) throws IOException {
    if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
      return;
    }
    for (FileStatus status : fs.listStatus(dir)) {
      String name = status.getPath().getName();
      if (status.isFile() && name.endsWith(".csv") && !name.startsWith(".")) {
        files.add(status.getPath());
      }
    }
  }

  private static boolean isRendered(FileSystem fs, Path csv) throws IOException {
    long csvTime = fs.getFileStatus(csv).getModificationTime();
    for (String extension : List.of(".svg", ".png")) {
      Path image = sibling(csv, extension);
      if (!fs.exists(image) || fs.getFileStatus(image).getModificationTime() < csvTime) {
        return false;
      }
    }
    return true;
  }

  static Path sibling(Path csv, String extension) {
    return new Path(csv.getParent(), name(csv) + extension);
  }

  /** The figure's name: its CSV's file name without {@code .csv}. */
  static String name(Path csv) {
    return csv.getName().substring(0, csv.getName().length() - ".csv".length());
  }

  /** The figure of one CSV; a CSV with nothing to plot gives a figure that says so. */
  static Figure build(String family, Path csv, FileSystem fs, Double paretoCutoff) {
    String name = name(csv);
    FigureData data = FigureData.read(fs, csv);
    FigureSpec spec = data.rows().isEmpty() ? null : FigureSpecs.forData(family, name, data);
    if (spec == null) {
      return empty(name, data.rows().isEmpty() ? "no rows in " + csv.getName()
          : "no two numeric columns to plot in " + csv.getName());
    }
    return switch (spec.kind()) {
      case BOX -> BoxFigures.build(spec, data);
      case BAR -> BarFigures.build(spec, data);
      case HEATMAP -> HeatmapFigures.build(spec, data);
      case PARETO -> ParetoFigures.build(spec, data, paretoCutoff);
      case KSTAR_CURVE -> KstarCurveFigure.build(spec, data, table(fs,
          new Path(csv.getParent().getParent(), "kstar.csv")));
      case LINE, STEP, SCATTER -> SeriesFigures.build(spec, data);
    };
  }

  private static FigureData table(FileSystem fs, Path path) {
    try {
      return fs.exists(path) ? FigureData.read(fs, path) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Figure empty(String name, String reason) {
    Figure.Panel panel = new Figure.Panel(null, Scale.linear(0, 1), Scale.linear(0, 1), List.of());
    return new Figure(name.replace('_', ' '), "", "", List.of(panel), List.of(),
        List.of(reason), null);
  }

  static String svg(Figure figure) {
    FigureRenderer renderer = new FigureRenderer(figure);
    SvgCanvas canvas = new SvgCanvas(renderer.width(), renderer.height(), figure.title());
    renderer.draw(canvas);
    return canvas.finish();
  }

  static byte[] png(Figure figure) {
    FigureRenderer renderer = new FigureRenderer(figure);
    PngCanvas canvas = new PngCanvas(renderer.width(), renderer.height(), PNG_SCALE);
    renderer.draw(canvas);
    return canvas.finish();
  }

  private static void write(FileSystem fs, Path csv, Figure figure) {
    TableOutput.writeText(fs.getConf(), sibling(csv, ".svg").toString(), svg(figure));
    Path target = sibling(csv, ".png");
    Path temp = new Path(target.getParent(), "._tmp-" + target.getName() + "-" + UUID.randomUUID());
    try {
      try (OutputStream stream = fs.create(temp, true)) {
        stream.write(png(figure));
      }
      fs.delete(target, false);
      if (!fs.rename(temp, target)) {
        throw new IOException("cannot rename " + temp + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
