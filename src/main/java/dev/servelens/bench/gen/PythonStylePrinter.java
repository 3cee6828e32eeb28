package dev.servelens.bench.gen;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;

/**
 * Jackson output laid out as Python's {@code json.dump} lays it out, since the real files come
 * from Python tools: {@code ", "} and {@code ": "} on one line by default, or one entry per line
 * indented by two spaces ({@code indent=2}).
 */
final class PythonStylePrinter implements PrettyPrinter {

  private final boolean indented;
  private int depth;

  private PythonStylePrinter(boolean indented) {
    this.indented = indented;
  }

  /** {@code json.dump(obj, f)}. */
  static PythonStylePrinter inline() {
    return new PythonStylePrinter(false);
  }

  /** {@code json.dump(obj, f, indent=2)}. */
  static PythonStylePrinter indented() {
    return new PythonStylePrinter(true);
  }

  private void newLine(JsonGenerator generator) throws IOException {
    if (indented) {
      generator.writeRaw('\n');
      for (int i = 0; i < depth; i++) {
        generator.writeRaw("  ");
      }
    }
  }

  @Override
  public void writeRootValueSeparator(JsonGenerator generator) throws IOException {
    generator.writeRaw('\n');
  }

  @Override
  public void writeStartObject(JsonGenerator generator) throws IOException {
    generator.writeRaw('{');
    depth++;
  }

  @Override
  public void writeEndObject(JsonGenerator generator, int entries) throws IOException {
    depth--;
    if (entries > 0) {
      newLine(generator);
    }
    generator.writeRaw('}');
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator generator) throws IOException {
    generator.writeRaw(indented ? "," : ", ");
    newLine(generator);
  }

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
    generator.writeRaw(": ");
  }

  @Override
  public void writeStartArray(JsonGenerator generator) throws IOException {
    generator.writeRaw('[');
    depth++;
  }

  @Override
  public void writeEndArray(JsonGenerator generator, int values) throws IOException {
    depth--;
    if (values > 0) {
      newLine(generator);
    }
    generator.writeRaw(']');
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator generator) throws IOException {
    writeObjectEntrySeparator(generator);
  }

  @Override
  public void beforeArrayValues(JsonGenerator generator) throws IOException {
    newLine(generator);
  }

  @Override
  public void beforeObjectEntries(JsonGenerator generator) throws IOException {
    newLine(generator);
  }
}
