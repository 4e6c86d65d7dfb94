package dev.stability.api.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogRecordTest {

  @Test
  void ofSetsCodeCategoryAndDefaultLevel() {
    LogRecord record = LogRecord.builder(StabilityEventCode.GUARD_CIRCUIT_OPENED).build();

    assertThat(record.code()).isEqualTo("GUARD_CIRCUIT_OPENED");
    assertThat(record.category()).isEqualTo(Category.SYSTEM);
    assertThat(record.level()).isEqualTo(Level.WARN);
  }

  @Test
  void missingRequiredListsWhatTheRuntimeMustStamp() {
    LogRecord record = LogRecord.builder(StabilityEventCode.APP_LOG).message("hello").build();

    assertThat(record.missingRequired())
        .containsExactly(
            LogField.TS,
            LogField.SYSTEM,
            LogField.INSTANCE,
            LogField.SITE,
            LogField.ROLE,
            LogField.SEQ);
  }

  @Test
  void wrongValueTypeIsRefusedNamingTheField() {
    assertThatThrownBy(() -> LogRecord.builder().set(LogField.DURATION_US, "12"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("field 'duration_us' needs a Long, got java.lang.String");
  }

  @Test
  void negativeDurationIsRefused() {
    assertThatThrownBy(() -> LogRecord.builder().durationMicros(-1))
        .hasMessage("field 'duration_us' must be >= 0, got -1");
  }

  @Test
  void invalidAttributeKeyIsRefused() {
    assertThatThrownBy(() -> LogRecord.builder().attr("bad key", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad key'");
  }

  @Test
  void recordIsImmutableAndBuilderCopiesAreIndependent() {
    LogRecord.Builder builder = LogRecord.builder(StabilityEventCode.APP_LOG).attr("a", "1");
    LogRecord first = builder.build();
    builder.attr("b", "2").message("changed");

    assertThat(first.attrs()).isEqualTo(Map.of("a", "1"));
    assertThat(first.message()).isNull();
    assertThatThrownBy(() -> first.attrs().put("c", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(first.toBuilder().build()).isEqualTo(first);
  }

  @Test
  void errorSetsTypeAndMessage() {
    LogRecord record =
        LogRecord.builder(StabilityEventCode.APP_LOG)
            .error(new IllegalStateException("boom"))
            .build();

    assertThat(record.text(LogField.ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
    assertThat(record.text(LogField.ERROR_MESSAGE)).isEqualTo("boom");
  }
}
