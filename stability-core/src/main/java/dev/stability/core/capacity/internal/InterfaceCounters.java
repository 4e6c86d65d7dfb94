package dev.stability.core.capacity.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the host's network interface byte counters from Linux's {@code /proc/net/dev}: per
 * interface, the bytes received plus the bytes sent since the interface came up. Read once a second
 * by the capacity monitor's timer, never on the order path. Internal.
 */
public final class InterfaceCounters {

  private final Path file;

  /** Counters read from {@code file} (a copy of {@code /proc/net/dev}'s format). */
  public InterfaceCounters(Path file) {
    this.file = file;
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /**
   * Every interface's received plus sent bytes, in the file's order.
   *
   * @throws IOException if the file cannot be read or a line is not in the expected format (the
   *     message names the line)
   */
  public Map<String, Long> read() throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    return parse(text, file.toString());
  }

  /** Parses {@code /proc/net/dev}'s text; {@code source} names it in errors. */
  public static Map<String, Long> parse(String text, String source) throws IOException {
    Map<String, Long> bytes = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    if (lines.length < 2 || !lines[0].contains("Receive") || !lines[1].contains("bytes")) {
      throw new IOException(
          source + " does not start with the two header lines of /proc/net/dev's format");
    }
    for (int n = 2; n < lines.length; n++) {
      String line = lines[n];
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      String[] fields = colon < 0 ? new String[0] : line.substring(colon + 1).trim().split("\\s+");
      if (colon < 0 || fields.length < 16) {
        throw new IOException(
            source
                + " line "
                + (n + 1)
                + " is not 'interface: 16 counters': '"
                + line.strip()
                + "'");
      }
      try {
        long received = Long.parseUnsignedLong(fields[0]);
        long sent = Long.parseUnsignedLong(fields[8]);
        bytes.put(line.substring(0, colon).trim(), received + sent);
      } catch (NumberFormatException e) {
        throw new IOException(
            source
                + " line "
                + (n + 1)
                + " has a byte counter that is not a number: '"
                + line.strip()
                + "'",
            e);
      }
    }
    return bytes;
  }
}
