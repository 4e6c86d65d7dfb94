package dev.stability.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MaskingPolicyTest {

  private final MaskingPolicy policy = MaskingPolicy.defaults();

  @Test
  void memberAndAccountKeepOnlyTheirLastFourCharacters() {
    LogRecord masked =
        policy.apply(
            LogRecord.builder(StabilityEventCode.APP_BUSINESS)
                .member("M0012345")
                .account("6222021234567890")
                .order("O-77")
                .build());

    assertThat(masked.text(LogField.MEMBER)).isEqualTo("****2345");
    assertThat(masked.text(LogField.ACCOUNT)).isEqualTo("************7890");
    assertThat(masked.text(LogField.ORDER)).isEqualTo("O-77");
  }

  @Test
  void shortValuesAreMaskedCompletely() {
    assertThat(policy.mask("1234")).isEqualTo("****");
    assertThat(policy.mask("12")).isEqualTo("**");
  }

  @Test
  void identityAndPhoneAttributesAreMaskedCaseInsensitively() {
    LogRecord masked =
        policy.apply(
            LogRecord.builder(StabilityEventCode.APP_BUSINESS)
                .attr("ID_NUMBER", "11010519491231002X")
                .attr("phone", "13800138000")
                .attr("venue", "CFFEX")
                .build());

    assertThat(masked.attrs())
        .containsEntry("ID_NUMBER", "**************002X")
        .containsEntry("phone", "*******8000")
        .containsEntry("venue", "CFFEX");
  }

  @Test
  void longDigitRunsInMessagesAreMaskedButShortNumbersAndCodesAreNot() {
    String message =
        "client 13800138000 id 11010519491231002X card 6222021234567890 qty 100 price 3999.8"
            + " order ORD12345678901";

    String masked =
        policy
            .apply(LogRecord.builder(StabilityEventCode.APP_LOG).message(message).build())
            .message();

    assertThat(masked)
        .isEqualTo(
            "client *******8000 id **************002X card ************7890 qty 100 price 3999.8"
                + " order ORD12345678901");
  }

  @Test
  void namedSensitiveValuesInMessagesAreMaskedWhateverTheirLength() {
    String message =
        "position {account=10000001, instrument=IF2612} long 1 vs 8; Member=M00123 phone=1380013"
            + " account_type=margin accounts=3";

    String masked =
        policy
            .apply(LogRecord.builder(StabilityEventCode.APP_LOG).message(message).build())
            .message();

    assertThat(masked)
        .isEqualTo(
            "position {account=****0001, instrument=IF2612} long 1 vs 8; Member=**0123"
                + " phone=***0013 account_type=margin accounts=3");
  }

  @Test
  void namedValuesAreLeftAloneWhenMessageScanningIsOff() {
    String message = "position {account=10000001, instrument=IF2612}";

    String kept =
        MaskingPolicy.builder()
            .scanMessages(false)
            .build()
            .apply(LogRecord.builder(StabilityEventCode.APP_LOG).message(message).build())
            .message();

    assertThat(kept).isEqualTo(message);
  }

  @Test
  void recordWithoutSensitiveValuesIsReturnedUnchanged() {
    LogRecord record = LogRecord.builder(StabilityEventCode.APP_LOG).message("qty 100").build();

    assertThat(policy.apply(record)).isSameAs(record);
  }

  @Test
  void noneMasksNothing() {
    LogRecord record =
        LogRecord.builder(StabilityEventCode.APP_LOG)
            .account("6222021234567890")
            .message("13800138000")
            .build();

    assertThat(MaskingPolicy.none().apply(record)).isSameAs(record);
  }

  @Test
  void configurableKeepLastAndExtraFields() {
    MaskingPolicy custom = MaskingPolicy.builder().keepLast(2).maskField(LogField.OPERATOR).build();

    LogRecord masked =
        custom.apply(
            LogRecord.builder(StabilityEventCode.APP_OPERATION).operator("zhangsan").build());

    assertThat(masked.text(LogField.OPERATOR)).isEqualTo("******an");
  }

  @Test
  void badConfigurationNamesKeyValueAndRule() {
    assertThatThrownBy(() -> MaskingPolicy.builder().keepLast(9))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("MaskingPolicy.keepLast = 9: must be 0..8");
    assertThatThrownBy(() -> MaskingPolicy.builder().maskField(LogField.CODE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("MaskingPolicy.fields = CODE: must be one of");
  }

  @Property(tries = 500)
  void maskingIsIdempotentAndNeverLengthensText(@ForAll String message) {
    LogRecord once =
        policy.apply(LogRecord.builder(StabilityEventCode.APP_LOG).message(message).build());
    LogRecord twice = policy.apply(once);

    assertThat(twice.message()).isEqualTo(once.message());
    assertThat(once.message()).hasSameSizeAs(message);
  }
}
