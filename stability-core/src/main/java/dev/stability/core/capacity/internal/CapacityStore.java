package dev.stability.core.capacity.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stability.core.capacity.CapacityStoreException;
import dev.stability.core.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The file that keeps historical peaks and tested capacity across restarts: a small JSON document
 * whose {@code indicators} object is protected by a CRC32C, written to a temporary sibling, forced
 * to disk and atomically moved into place, so a crash leaves the old file or the new one, never a
 * mix. Reading is strict: anything unexpected is a {@link CapacityStoreException} naming the
 * problem, never a silent reset. Internal.
 *
 * <pre>{@code
 * {
 *   "format" : "stability-capacity/1",
 *   "indicators" : {
 *     "orders" : { "historical_peak" : 12000.0, "peak_at" : "2026-...Z",
 *                  "tested" : 40000.0, "tested_at" : "2026-...Z", "tested_source" : "..." }
 *   },
 *   "crc32c" : "1a2b3c4d"
 * }
 * }</pre>
 */
final class CapacityStore {

  static final String FORMAT = "stability-capacity/1";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What is stored for one indicator. */
  record Stored(
      double historicalPeak, String peakAt, double tested, String testedAt, String testedSource) {}

  private CapacityStore() {}

  /** Reads the store; an absent file is an empty store (a new history). */
  static Map<String, Stored> read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return new LinkedHashMap<>();
    } catch (IOException e) {
      throw new CapacityStoreException(path, "it cannot be read (" + e + ")", e);
    }
    if (bytes.length == 0) {
      throw new CapacityStoreException(path, "the file is empty", null);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new CapacityStoreException(
          path,
          "it is not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + " ("
              + e.getOriginalMessage()
              + ")",
          e);
    } catch (IOException e) {
      throw new CapacityStoreException(path, "it cannot be read (" + e + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new CapacityStoreException(path, "the top level is not a JSON object", null);
    }
    JsonNode format = root.get("format");
    if (format == null || !FORMAT.equals(format.asText())) {
      throw new CapacityStoreException(
          path,
          "field 'format' is "
              + (format == null ? "missing" : "'" + format.asText() + "'")
              + ", expected '"
              + FORMAT
              + "'",
          null);
    }
    JsonNode indicators = root.get("indicators");
    if (indicators == null || !indicators.isObject()) {
      throw new CapacityStoreException(
          path, "field 'indicators' is missing or not an object", null);
    }
    JsonNode crc = root.get("crc32c");
    if (crc == null || !crc.isTextual()) {
      throw new CapacityStoreException(path, "field 'crc32c' is missing", null);
    }
    String computed = checksum(indicators);
    if (!computed.equals(crc.asText())) {
      throw new CapacityStoreException(
          path,
          "checksum mismatch (stored "
              + crc.asText()
              + ", computed "
              + computed
              + "): the file was changed outside the SDK",
          null);
    }
    Map<String, Stored> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : indicators.properties()) {
      String name = field.getKey();
      JsonNode node = field.getValue();
      if (!node.isObject()) {
        throw new CapacityStoreException(path, "indicator '" + name + "' is not an object", null);
      }
      result.put(
          name,
          new Stored(
              rate(path, name, node, "historical_peak"),
              text(node, "peak_at"),
              rate(path, name, node, "tested"),
              text(node, "tested_at"),
              text(node, "tested_source")));
    }
    return result;
  }

  private static double rate(Path path, String indicator, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new CapacityStoreException(
          path,
          "indicator '" + indicator + "': field '" + field + "' is missing or not a number",
          null);
    }
    double rate = value.asDouble();
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new CapacityStoreException(
          path,
          "indicator '" + indicator + "': field '" + field + "' is " + value + ", must be >= 0",
          null);
    }
    return rate;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** Writes the whole store atomically. */
  static void write(Path path, Map<String, Stored> entries) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode indicators = root.putObject("indicators");
    for (Map.Entry<String, Stored> entry : entries.entrySet()) {
      Stored stored = entry.getValue();
      ObjectNode node = indicators.putObject(entry.getKey());
      node.put("historical_peak", stored.historicalPeak());
      node.put("peak_at", stored.peakAt());
      node.put("tested", stored.tested());
      node.put("tested_at", stored.testedAt());
      node.put("tested_source", stored.testedSource());
    }
    root.put("crc32c", checksum(indicators));
    byte[] bytes =
        (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(path, bytes);
  }

  /** CRC32C of the compact serialization of {@code indicators}: stable for equal contents. */
  private static String checksum(JsonNode indicators) {
    try {
      CRC32C crc = new CRC32C();
      crc.update(MAPPER.writeValueAsBytes(indicators));
      return String.format(Locale.ROOT, "%08x", crc.getValue());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize capacity indicators", e);
    }
  }
}
