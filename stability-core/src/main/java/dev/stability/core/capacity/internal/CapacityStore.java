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
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The file that keeps per-trading-day peaks and tested capacity across restarts: a small JSON
 * document whose {@code indicators} object is protected by a CRC32C, written to a temporary
 * sibling, forced to disk and atomically moved into place, so a crash leaves the old file or the
 * new one, never a mix. Reading is strict: anything unexpected is a {@link CapacityStoreException}
 * naming the problem, never a silent reset. Internal.
 *
 * <pre>{@code
 * {
 *   "format" : "stability-capacity/2",
 *   "indicators" : {
 *     "orders" : { "days" : { "2026-11-27" : { "peak" : 12000.0, "at" : "2026-...Z" }, ... },
 *                  "tested" : 40000.0, "tested_at" : "2026-...Z", "tested_source" : "..." }
 *   },
 *   "crc32c" : "1a2b3c4d"
 * }
 * }</pre>
 *
 * <p>Format 1 ({@code stability-capacity/1}) kept one all-time {@code historical_peak} with its
 * {@code peak_at} per indicator. It is still read: the peak becomes the peak of the trading day
 * {@code peak_at} falls on (of the day given for a peak without a time), so it ages out with the
 * window like any other; the next write is format 2.
 */
final class CapacityStore {

  static final String FORMAT = "stability-capacity/2";
  static final String FORMAT_1 = "stability-capacity/1";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One trading day's peak and when it was reached (ISO instant, or null). */
  record DayPeak(double peak, String at) {}

  /** What is stored for one indicator; {@code days} by trading day, ascending. */
  record Stored(
      SortedMap<LocalDate, DayPeak> days, double tested, String testedAt, String testedSource) {}

  /** What was read, and whether it was the old format (migrated on the next write). */
  record Read(Map<String, Stored> indicators, boolean migrated) {}

  private CapacityStore() {}

  /**
   * Reads the store; an absent file is an empty store (a new history). {@code dayOf} maps a format
   * 1 {@code peak_at} (ISO instant, or null when absent or unreadable) to its trading day.
   */
  static Read read(Path path, Function<String, LocalDate> dayOf) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return new Read(new LinkedHashMap<>(), false);
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
    boolean old = format != null && FORMAT_1.equals(format.asText());
    if (format == null || !(old || FORMAT.equals(format.asText()))) {
      throw new CapacityStoreException(
          path,
          "field 'format' is "
              + (format == null ? "missing" : "'" + format.asText() + "'")
              + ", expected '"
              + FORMAT
              + "' (or the older '"
              + FORMAT_1
              + "')",
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
      SortedMap<LocalDate, DayPeak> days =
          old ? migratedDays(path, name, node, dayOf) : days(path, name, node);
      result.put(
          name,
          new Stored(
              days,
              rate(path, name, node, "tested"),
              text(node, "tested_at"),
              text(node, "tested_source")));
    }
    return new Read(result, old);
  }

  /** Format 1: the all-time peak becomes the peak of the day it was reached. */
  private static SortedMap<LocalDate, DayPeak> migratedDays(
      Path path, String name, JsonNode node, Function<String, LocalDate> dayOf) {
    double peak = rate(path, name, node, "historical_peak");
    String at = text(node, "peak_at");
    SortedMap<LocalDate, DayPeak> days = new TreeMap<>();
    if (peak > 0) {
      days.put(dayOf.apply(at), new DayPeak(peak, at));
    }
    return days;
  }

  private static SortedMap<LocalDate, DayPeak> days(Path path, String name, JsonNode node) {
    JsonNode days = node.get("days");
    if (days == null || !days.isObject()) {
      throw new CapacityStoreException(
          path, "indicator '" + name + "': field 'days' is missing or not an object", null);
    }
    SortedMap<LocalDate, DayPeak> result = new TreeMap<>();
    for (Map.Entry<String, JsonNode> day : days.properties()) {
      LocalDate date;
      try {
        date = LocalDate.parse(day.getKey());
      } catch (DateTimeParseException e) {
        throw new CapacityStoreException(
            path, "indicator '" + name + "': day '" + day.getKey() + "' is not an ISO date", e);
      }
      if (!day.getValue().isObject()) {
        throw new CapacityStoreException(
            path, "indicator '" + name + "': day " + date + " is not an object", null);
      }
      result.put(
          date,
          new DayPeak(
              rate(path, name + "' day '" + date, day.getValue(), "peak"),
              text(day.getValue(), "at")));
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
      ObjectNode days = node.putObject("days");
      for (Map.Entry<LocalDate, DayPeak> day : stored.days().entrySet()) {
        days.putObject(day.getKey().toString())
            .put("peak", day.getValue().peak())
            .put("at", day.getValue().at());
      }
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
