package dev.mcpgw.observability.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Redirects System.out until closed, for exporters that print there. */
public final class StdoutCapture implements AutoCloseable {

  private final PrintStream original = System.out;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  private StdoutCapture() {
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  public static StdoutCapture start() {
    return new StdoutCapture();
  }

  public String text() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    System.setOut(original);
  }
}
