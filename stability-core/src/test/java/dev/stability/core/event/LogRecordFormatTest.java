package dev.stability.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.Role;
import dev.stability.api.Site;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class LogRecordFormatTest {

  static LogRecord.Builder complete(String message) {
    return LogRecord.builder(StabilityEventCode.APP_BUSINESS)
        .set(
            LogField.TS,
            OffsetDateTime.of(2026, 11, 24, 9, 30, 0, 123_456_789, ZoneOffset.ofHours(8)))
        .set(LogField.SYSTEM, "OMS")
        .set(LogField.INSTANCE, "a1")
        .set(LogField.SITE, Site.PRIMARY_DC)
        .set(LogField.ROLE, Role.PRIMARY)
        .seq("a1-1")
        .message(message);
  }

  @Test
  void writesFieldsInCanonicalOrderWithMicrosecondTimestamp() {
    String line =
        LogRecordFormat.toJson(
            complete("accepted")
                .order("O-1")
                .durationMicros(42)
                .outcome(Outcome.SUCCESS)
                .attr("venue", "SHFE")
                .build());

    assertThat(line)
        .isEqualTo(
            "{\"ts\":\"2026-11-24T09:30:00.123456+08:00\",\"level\":\"INFO\","
                + "\"category\":\"BUSINESS\",\"system\":\"OMS\",\"instance\":\"a1\","
                + "\"site\":\"PRIMARY_DC\",\"role\":\"PRIMARY\",\"code\":\"APP_BUSINESS\","
                + "\"seq\":\"a1-1\",\"msg\":\"accepted\",\"order\":\"O-1\",\"duration_us\":42,"
                + "\"outcome\":\"SUCCESS\",\"attrs\":{\"venue\":\"SHFE\"}}");
    assertThat(SchemaValidator.validate(line)).isEmpty();
  }

  @Test
  void utcAndNegativeOffsetsAreWrittenAsSignedHoursAndMinutes() {
    OffsetDateTime utc = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6_000, ZoneOffset.UTC);
    OffsetDateTime ny =
        OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(-5, -30));

    assertThat(LogRecordFormat.formatTimestamp(utc)).isEqualTo("2026-01-02T03:04:05.000006+00:00");
    assertThat(LogRecordFormat.formatTimestamp(ny)).isEqualTo("2026-01-02T03:04:05.000000-05:30");
  }

  @Test
  void lineBreaksQuotesAndControlCharactersCannotForgeALineOrAField() {
    String attack = "ok\"}\n{\"level\":\"ERROR\",\"msg\":\"forged\r\u0000\u007f\u2028\u202e";

    String line = LogRecordFormat.toJson(complete(attack).attr("note", attack).build());

    assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
    assertThat(line).contains("\\n").contains("\\r").contains("\\u0000").contains("\\\"");
    assertThat(line).contains("\\u2028").contains("\\u202E").contains("\\u007F");
    LogRecord parsed = LogRecordFormat.parse(line);
    assertThat(parsed.message()).isEqualTo(attack);
    assertThat(parsed.attrs().get("note")).isEqualTo(attack);
    assertThat(parsed.level().name()).isEqualTo("INFO");
    assertThat(SchemaValidator.validate(line)).isEmpty();
  }

  @Test
  void chineseTextIsEscapedToAsciiAndRoundTrips() {
    String message = "委托已受理：客户 张三 买入 IF2612 2 手";

    String line = LogRecordFormat.toJson(complete(message).build());

    assertThat(line).contains("\\u59D4\\u6258");
    assertThat(line.chars().allMatch(c -> c < 0x80)).isTrue();
    assertThat(LogRecordFormat.parse(line).message()).isEqualTo(message);
  }

  @Property(tries = 300)
  void anyTextRoundTripsAsOneAsciiLine(
      @ForAll @StringLength(max = 200) String message,
      @ForAll @StringLength(max = 50) String attr) {
    LogRecord record = complete(message).attr("free", attr).build();

    String line = LogRecordFormat.toJson(record);

    assertThat(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    LogRecord parsed = LogRecordFormat.parse(line);
    assertThat(parsed.message()).isEqualTo(message);
    assertThat(parsed.attrs().get("free")).isEqualTo(attr);
  }

  @Property(tries = 2000)
  void fastTimestampParsingAgreesWithTheJdkParser(
      @ForAll @net.jqwik.api.constraints.LongRange(min = -30_000_000_000L, max = 250_000_000_000L)
          long epochSecond,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 999_999) int micros,
      @ForAll @net.jqwik.api.constraints.IntRange(min = -18 * 3600, max = 18 * 3600)
          int offsetSeconds) {
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetSeconds / 60 * 60);
    OffsetDateTime ts =
        OffsetDateTime.ofInstant(
            java.time.Instant.ofEpochSecond(epochSecond, micros * 1000L), offset);
    String text = LogRecordFormat.formatTimestamp(ts);

    assertThat(LogRecordFormat.parseTimestamp(text)).isEqualTo(OffsetDateTime.parse(text));
  }

  @Property(tries = 2000)
  void corruptedTimestampsAreRefusedExactlyWhenTheJdkRefusesThem(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 31) int position,
      @ForAll @net.jqwik.api.constraints.CharRange(from = ' ', to = '~') char replacement) {
    char[] chars = "2026-11-24T09:30:00.123456+08:00".toCharArray();
    chars[position] = replacement;
    String text = new String(chars);

    Object jdk = outcome(() -> OffsetDateTime.parse(text));
    Object fast = outcome(() -> LogRecordFormat.parseTimestamp(text));

    assertThat(fast).isEqualTo(jdk);
  }

  private static Object outcome(java.util.function.Supplier<OffsetDateTime> parse) {
    try {
      return parse.get();
    } catch (java.time.format.DateTimeParseException e) {
      return "refused";
    }
  }

  @Test
  void timestampKeyValueSerialisesAsTheCanonicalStringForJacksonBasedEncoders() throws Exception {
    // logstash-logback-encoder writes key-values with Jackson: the typed ts must stay a string
    OffsetDateTime ts =
        OffsetDateTime.of(2026, 11, 24, 9, 30, 0, 120_000_000, ZoneOffset.ofHours(8));

    String json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(new dev.stability.core.event.internal.TimestampValue(ts));

    assertThat(json).isEqualTo("\"2026-11-24T09:30:00.120000+08:00\"");
  }

  @Test
  void parseRoundTripsEveryFieldType() {
    LogRecord record =
        complete("m")
            .operator("op1")
            .reviewer("op2")
            .member("****1234")
            .account("****5678")
            .guard("g")
            .interfaceId("i")
            .peer("p")
            .durationMicros(1)
            .outcome(Outcome.SHED)
            .epoch(7)
            .journalSeq(99)
            .error(new IllegalStateException("x"))
            .attr("k", "v")
            .build();
    LogRecord expected =
        record.toBuilder()
            .set(
                LogField.TS,
                OffsetDateTime.of(2026, 11, 24, 9, 30, 0, 123_456_000, ZoneOffset.ofHours(8)))
            .build();

    assertThat(LogRecordFormat.parse(LogRecordFormat.toJson(record))).isEqualTo(expected);
  }

  @Test
  void parseRefusesUnknownFieldsWrongTypesAndGarbageNamingTheProblem() {
    String line = LogRecordFormat.toJson(complete("m").build());

    assertThatThrownBy(() -> LogRecordFormat.parse(line.replace("\"msg\"", "\"extra\":1,\"msg\"")))
        .hasMessage("unknown field 'extra' in log line");
    assertThatThrownBy(
            () ->
                LogRecordFormat.parse(
                    line.replace("\"msg\":\"m\"", "\"msg\":\"m\",\"epoch\":\"7\"")))
        .hasMessage("field 'epoch' must be an integer");
    assertThatThrownBy(() -> LogRecordFormat.parse(line.replace("\"INFO\"", "\"LOUD\"")))
        .hasMessageContaining("field 'level' has an invalid value 'LOUD'");
    assertThatThrownBy(() -> LogRecordFormat.parse(line.substring(0, line.length() - 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed log line");
    assertThatThrownBy(() -> LogRecordFormat.parse(line + line))
        .hasMessage("log line has content after the JSON object");
  }
}
