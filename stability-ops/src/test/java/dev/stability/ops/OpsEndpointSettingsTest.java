package dev.stability.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings fail when built, naming the key, the value and the rule. */
class OpsEndpointSettingsTest {

  @Test
  void theDefaultsAreTheDocumentedLimits() {
    OpsEndpointSettings settings = OpsEndpointSettings.builder().build();
    assertThat(settings.address().isLoopbackAddress()).isTrue();
    assertThat(settings.maxFieldLength()).isEqualTo(512);
    assertThat(settings.maxParameters()).isEqualTo(32);
    assertThat(settings.maxBodyBytes()).isEqualTo(16 * 1024);
    assertThat(settings.maxHeaderBytes()).isEqualTo(8 * 1024);
    assertThat(settings.maxConnections()).isEqualTo(1024);
    assertThat(settings.requestReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.tls()).isEmpty();
  }

  @Test
  void aReadTimeoutLongerThanTheIdleTimeoutIsRefused() {
    assertThatThrownBy(
            () ->
                OpsEndpointSettings.builder()
                    .idleTimeout(Duration.ofSeconds(5))
                    .requestReadTimeout(Duration.ofSeconds(6))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "ops.request-read-timeout = PT6S: must not be longer than ops.idle-timeout (PT5S)");
  }

  @Test
  void limitsOutsideTheirRangeAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> OpsEndpointSettings.builder().maxConnections(2).build())
        .hasMessage("ops.max-connections = 2: must be between 8 and 100000");
    assertThatThrownBy(() -> OpsEndpointSettings.builder().maxFieldLength(100_000).build())
        .hasMessage("ops.max-field-length = 100000: must be between 16 and 8192");
    assertThatThrownBy(() -> OpsEndpointSettings.builder().maxBodyBytes(-1).build())
        .hasMessage("ops.max-body-bytes = -1: must be between 0 and 1048576");
    assertThatThrownBy(() -> OpsEndpointSettings.builder().idleTimeout(Duration.ZERO).build())
        .hasMessage("ops.idle-timeout = PT0S: must be a positive duration");
    assertThatThrownBy(() -> OpsEndpointSettings.builder().action("Bad Name", null, p -> p).build())
        .hasMessageStartingWith("ops.actions = 'Bad Name'");
  }

  @Test
  void aLoopbackAddressNeedsNoTlsButAnyOtherDoes() throws Exception {
    assertThat(
            OpsEndpointSettings.builder()
                .address(InetAddress.getByName("127.0.0.2"))
                .build()
                .address()
                .isLoopbackAddress())
        .isTrue();
    assertThatThrownBy(
            () -> OpsEndpointSettings.builder().address(InetAddress.getByName("10.0.0.1")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("ops.tls = '10.0.0.1': an endpoint bound beyond loopback");
  }

  @Test
  void toStringNamesOperatorsButNeverTokens() {
    String token = "zhang-0123456789abcdef0123456789abcdef";
    String text = OpsEndpointSettings.builder().token("zhang.san", token).build().toString();
    assertThat(text).contains("zhang.san").doesNotContain(token);
  }
}
