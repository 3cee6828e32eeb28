package dev.servelens.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public traces in {@code ../shared/real-data/} (or where {@code servelens.sharedDir}
 * points). A checkout without them skips the tests that need them, saying why.
 */
public final class RealData {
  private RealData() {}

  /** The real-data folder; skips the calling test when it is absent. */
  public static Path folder() {
    Path shared = Path.of(System.getProperty("servelens.sharedDir", "../shared"));
    Path realData = shared.resolve("real-data");
    assumeTrue(Files.isDirectory(realData),
        "SKIPPED: real public traces not found at " + realData.toAbsolutePath()
            + " (they live in ../shared/real-data beside the project checkout)");
    return realData;
  }
}
