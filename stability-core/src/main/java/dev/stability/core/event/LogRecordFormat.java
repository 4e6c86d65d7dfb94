package dev.stability.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.stability.api.Role;
import dev.stability.api.Site;
import dev.stability.api.event.Category;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;

/**
 * The canonical JSON line of the log schema v1, written with Jackson's streaming generator: fields
 * in {@link LogField} order, absent fields omitted, {@code ts} as ISO-8601 with exactly six
 * fraction digits and a {@code +hh:mm} offset. Output is pure ASCII: control characters, CR/LF,
 * quotes, DEL and every non-ASCII character (Chinese text, U+2028, bidi overrides) are escaped, so
 * a value can never break a line or forge a field (no log injection). Thread-safe; each thread
 * reuses its own generator and buffer.
 */
public final class LogRecordFormat {

  private static final JsonFactory JSON =
      new JsonFactoryBuilder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .characterEscapes(new AsciiControlEscapes())
          .rootValueSeparator((String) null)
          .build();
  private static final LogField[] FIELDS = LogField.values();
  private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);

  private LogRecordFormat() {}

  /** Renders the record as one JSON line, without a line terminator. */
  public static String toJson(LogRecord record) {
    Writer writer = WRITERS.get();
    writer.write(record);
    return writer.buffer.toString(StandardCharsets.US_ASCII);
  }

  /** Writes the record's JSON line followed by {@code '\n'} to the stream. */
  public static void writeLine(LogRecord record, OutputStream out) throws IOException {
    Writer writer = WRITERS.get();
    writer.write(record);
    writer.buffer.write('\n');
    writer.buffer.writeTo(out);
  }

  /** Renders the record as the bytes of its JSON line followed by {@code '\n'}. */
  public static byte[] toLineBytes(LogRecord record) {
    Writer writer = WRITERS.get();
    writer.write(record);
    writer.buffer.write('\n');
    return writer.buffer.toByteArray();
  }

  /**
   * Formats a timestamp the canonical way, e.g. {@code 2026-11-24T09:30:00.000123+08:00}.
   *
   * @param ts the time; its nanoseconds are truncated to microseconds
   */
  public static String formatTimestamp(OffsetDateTime ts) {
    char[] chars = new char[32];
    int length = formatTimestamp(ts, chars);
    return new String(chars, 0, length);
  }

  /**
   * Parses a timestamp; the canonical form ({@code 2026-11-24T09:30:00.000123+08:00}) is read
   * without {@code DateTimeFormatter} (about 20x cheaper), anything else falls back to {@link
   * OffsetDateTime#parse}. Both give the same result for the same text.
   *
   * @throws DateTimeParseException if the text is not an ISO-8601 offset date-time
   */
  public static OffsetDateTime parseTimestamp(String text) {
    if (text.length() == 32
        && text.charAt(4) == '-'
        && text.charAt(7) == '-'
        && text.charAt(10) == 'T'
        && text.charAt(13) == ':'
        && text.charAt(16) == ':'
        && text.charAt(19) == '.'
        && (text.charAt(26) == '+' || text.charAt(26) == '-')
        && text.charAt(29) == ':') {
      int year = number(text, 0, 4);
      int month = number(text, 5, 2);
      int day = number(text, 8, 2);
      int hour = number(text, 11, 2);
      int minute = number(text, 14, 2);
      int second = number(text, 17, 2);
      int micros = number(text, 20, 6);
      int offsetHours = number(text, 27, 2);
      int offsetMinutes = number(text, 30, 2);
      if ((year | month | day | hour | minute | second | micros | offsetHours | offsetMinutes) >= 0
          && offsetMinutes <= 59) {
        int offset = (offsetHours * 3600 + offsetMinutes * 60) * (text.charAt(26) == '-' ? -1 : 1);
        try {
          return OffsetDateTime.of(
              year,
              month,
              day,
              hour,
              minute,
              second,
              micros * 1000,
              ZoneOffset.ofTotalSeconds(offset));
        } catch (java.time.DateTimeException e) {
          // out-of-range field: let the full parser produce its precise error
        }
      }
    }
    return OffsetDateTime.parse(text);
  }

  /** The decimal number in {@code text[start, start+length)}, or -1 if a character is no digit. */
  private static int number(String text, int start, int length) {
    int value = 0;
    for (int i = start; i < start + length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * Parses one canonical JSON line back into a record, strictly: unknown keys, wrong types and
   * malformed timestamps are errors.
   *
   * @throws IllegalArgumentException naming the key and what was wrong
   */
  public static LogRecord parse(String line) {
    LogRecord.Builder builder = LogRecord.builder();
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("log line must be a JSON object: " + abbreviate(line));
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        LogField field = LogField.forKey(key);
        if (field == null) {
          throw new IllegalArgumentException("unknown field '" + key + "' in log line");
        }
        parser.nextToken();
        if (field == LogField.ATTRS) {
          readAttrs(parser, builder);
        } else {
          builder.set(field, readValue(parser, field));
        }
      }
      if (token != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("log line is not one complete JSON object");
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("log line has content after the JSON object");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "malformed log line: " + e.getMessage() + " in " + abbreviate(line), e);
    }
    return builder.build();
  }

  private static void readAttrs(JsonParser parser, LogRecord.Builder builder) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("field 'attrs' must be an object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      if (parser.nextToken() != JsonToken.VALUE_STRING) {
        throw new IllegalArgumentException("attribute '" + key + "' must be a string");
      }
      builder.attr(key, parser.getText());
    }
  }

  private static Object readValue(JsonParser parser, LogField field) throws IOException {
    JsonToken token = parser.currentToken();
    if (field.type() == Long.class) {
      if (token != JsonToken.VALUE_NUMBER_INT) {
        throw new IllegalArgumentException("field '" + field.key() + "' must be an integer");
      }
      return parser.getLongValue();
    }
    if (token != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException("field '" + field.key() + "' must be a string");
    }
    String text = parser.getText();
    return convert(field, text);
  }

  /**
   * Converts the text form of a field to its {@link LogField#type()}.
   *
   * @throws IllegalArgumentException naming the field when the text is not a valid value
   */
  public static Object convert(LogField field, String text) {
    try {
      return switch (field) {
        case TS -> parseTimestamp(text);
        case LEVEL -> Level.valueOf(text);
        case CATEGORY -> Category.valueOf(text);
        case SITE -> Site.valueOf(text);
        case ROLE -> Role.valueOf(text);
        case OUTCOME -> Outcome.valueOf(text);
        case DURATION_US, EPOCH, JOURNAL_SEQ -> Long.valueOf(text);
        default -> text;
      };
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "field '" + field.key() + "' has an invalid value " + abbreviate(text), e);
    }
  }

  private static String abbreviate(String text) {
    String shown = text.length() > 120 ? text.substring(0, 120) + "..." : text;
    return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
  }

  static int formatTimestamp(OffsetDateTime ts, char[] out) {
    int pos = 0;
    pos = digits(out, pos, ts.getYear(), 4);
    out[pos++] = '-';
    pos = digits(out, pos, ts.getMonthValue(), 2);
    out[pos++] = '-';
    pos = digits(out, pos, ts.getDayOfMonth(), 2);
    out[pos++] = 'T';
    pos = digits(out, pos, ts.getHour(), 2);
    out[pos++] = ':';
    pos = digits(out, pos, ts.getMinute(), 2);
    out[pos++] = ':';
    pos = digits(out, pos, ts.getSecond(), 2);
    out[pos++] = '.';
    pos = digits(out, pos, ts.getNano() / 1000, 6);
    ZoneOffset offset = ts.getOffset();
    int seconds = offset.getTotalSeconds();
    out[pos++] = seconds < 0 ? '-' : '+';
    seconds = Math.abs(seconds);
    pos = digits(out, pos, seconds / 3600, 2);
    out[pos++] = ':';
    pos = digits(out, pos, (seconds / 60) % 60, 2);
    return pos;
  }

  private static int digits(char[] out, int pos, int value, int width) {
    for (int i = pos + width - 1; i >= pos; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return pos + width;
  }

  /**
   * Jackson's standard escapes plus DEL (0x7F), which JSON allows raw but terminals and some log
   * viewers treat as a control character: every byte of a line is then printable ASCII.
   */
  private static final class AsciiControlEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final int[] ESCAPES = standardAsciiEscapesForJSON();

    static {
      ESCAPES[0x7F] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ESCAPES;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null; // the generator writes its standard escape for each flagged char
    }
  }

  /** Per-thread generator over a reusable buffer; rebuilt if a write ever fails half-way. */
  private static final class Writer {
    private final Buffer buffer = new Buffer();
    private final char[] chars = new char[32];
    private JsonGenerator generator;

    void write(LogRecord record) {
      buffer.reset();
      try {
        if (generator == null) {
          generator = JSON.createGenerator(buffer);
        }
        writeObject(generator, record);
        generator.flush();
      } catch (IOException | RuntimeException e) {
        generator = null;
        buffer.reset();
        if (e instanceof IOException io) {
          throw new UncheckedIOException(io);
        }
        throw (RuntimeException) e;
      }
    }

    private void writeObject(JsonGenerator gen, LogRecord record) throws IOException {
      gen.writeStartObject();
      for (LogField field : FIELDS) {
        Object value = record.get(field);
        if (value == null) {
          continue;
        }
        switch (field) {
          case TS -> {
            gen.writeFieldName(field.key());
            int length = formatTimestamp((OffsetDateTime) value, chars);
            gen.writeString(chars, 0, length);
          }
          case DURATION_US, EPOCH, JOURNAL_SEQ -> {
            gen.writeFieldName(field.key());
            gen.writeNumber((Long) value);
          }
          case ATTRS -> writeAttrs(gen, record.attrs());
          default -> {
            gen.writeFieldName(field.key());
            gen.writeString(value instanceof Enum<?> e ? e.name() : value.toString());
          }
        }
      }
      gen.writeEndObject();
    }

    private static void writeAttrs(JsonGenerator gen, Map<String, String> attrs)
        throws IOException {
      if (attrs.isEmpty()) {
        return;
      }
      gen.writeFieldName(LogField.ATTRS.key());
      gen.writeStartObject();
      for (Map.Entry<String, String> attr : attrs.entrySet()) {
        gen.writeStringField(attr.getKey(), attr.getValue());
      }
      gen.writeEndObject();
    }
  }

  /** A byte buffer whose contents can be reset and copied without synchronisation. */
  private static final class Buffer extends OutputStream {
    private byte[] bytes = new byte[512];
    private int count;

    @Override
    public void write(int b) {
      ensure(1);
      bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      ensure(length);
      System.arraycopy(source, offset, bytes, count, length);
      count += length;
    }

    void reset() {
      count = 0;
      if (bytes.length > 64 * 1024) {
        bytes = new byte[512];
      }
    }

    String toString(java.nio.charset.Charset charset) {
      return new String(bytes, 0, count, charset);
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, count);
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(bytes, 0, count);
    }

    private void ensure(int extra) {
      if (count + extra > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + extra));
      }
    }
  }
}
