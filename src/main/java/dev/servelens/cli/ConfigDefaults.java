package dev.servelens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from {@code conf/servelens.properties} (or the file named by {@code
 * SERVELENS_CONF}). Keys are the command path and the option's long name, e.g. {@code
 * analyze.workload.top-n=10}. Precedence: command-line flag, then job definition (which passes
 * flags), then this file, then the built-in default.
 */
final class ConfigDefaults implements IDefaultValueProvider {
  private final Properties properties;

  ConfigDefaults(Properties properties) {
    this.properties = properties;
  }

  /** Loads the defaults file if there is one; a missing file means no defaults. */
  static ConfigDefaults load() {
    Properties properties = new Properties();
    String explicit = System.getenv("SERVELENS_CONF");
    Path file = null;
    if (explicit != null && !explicit.isBlank()) {
      file = Path.of(explicit);
    } else if (System.getProperty("servelens.home") != null) {
      file = Path.of(System.getProperty("servelens.home"), "conf", "servelens.properties");
    }
    if (file != null && Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read defaults file " + file + ": " + e, e);
      }
    }
    return new ConfigDefaults(properties);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    CommandSpec command = option.command();
    String path = command.qualifiedName(".");
    int firstDot = path.indexOf('.');
    String key = (firstDot < 0 ? "" : path.substring(firstDot + 1) + ".")
        + option.longestName().replaceFirst("^-+", "");
    return properties.getProperty(key);
  }
}
