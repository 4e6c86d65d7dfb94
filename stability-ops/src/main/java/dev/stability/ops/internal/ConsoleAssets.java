package dev.stability.ops.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The console page, its script and its style sheet, read once from the jar. They hold no data and
 * no secrets: the script fetches everything with the bearer token the operator types in.
 */
final class ConsoleAssets {

  private final byte[] html = load("console.html");
  private final byte[] script = load("console.js");
  private final byte[] style = load("console.css");
  private final byte[] icon = load("favicon.svg");

  Answer html() {
    return new Answer(200, "text/html; charset=utf-8", html);
  }

  Answer script() {
    return new Answer(200, "text/javascript; charset=utf-8", script);
  }

  Answer style() {
    return new Answer(200, "text/css; charset=utf-8", style);
  }

  Answer icon() {
    return new Answer(200, "image/svg+xml", icon);
  }

  private static byte[] load(String name) {
    String path = "/dev/stability/ops/console/" + name;
    try (InputStream in = ConsoleAssets.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the ops console's " + path + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
