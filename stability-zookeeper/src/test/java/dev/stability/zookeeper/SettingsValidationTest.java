package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every documented setting error fails at build time and names the key, the value and the rule. */
class SettingsValidationTest {

  @Test
  void defaultsAreTenSecondSessionsUnderSlashStability() {
    ZooKeeperSettings settings = ZooKeeperSettings.builder("zk1:2181,zk2:2181").build();
    assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.root()).isEqualTo("/stability");
    assertThat(settings.authScheme()).isEmpty();
  }

  @Test
  void refusesAConnectStringThatIsNotHostsAndPorts() {
    assertThatThrownBy(() -> ZooKeeperSettings.builder("zk1:2181,zk2").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "zookeeper.connect-string = 'zk1:2181,zk2': must be host:port[,host:port...] (zk2 is"
                + " not)");
    assertThatThrownBy(() -> ZooKeeperSettings.builder(" ").build())
        .hasMessageStartingWith("zookeeper.connect-string");
  }

  @Test
  void refusesSessionTimeoutsOutOfRangeAndBadRoots() {
    assertThatThrownBy(
            () ->
                ZooKeeperSettings.builder("zk:2181").sessionTimeout(Duration.ofMillis(50)).build())
        .hasMessage("zookeeper.session-timeout = PT0.05S: must be from 100 ms to 10 min");
    assertThatThrownBy(() -> ZooKeeperSettings.builder("zk:2181").root("stability").build())
        .hasMessageStartingWith("zookeeper.root = 'stability': must be an absolute path");
    assertThatThrownBy(() -> ZooKeeperSettings.builder("zk:2181").root("/a//b").build())
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void authorizationNeedsBothPartsAndNeverPrintsTheSecret() {
    assertThatThrownBy(
            () -> ZooKeeperSettings.builder("zk:2181").authorization("digest", "").build())
        .hasMessage(
            "zookeeper.authorization = 'digest:***': must give both a scheme and credentials, or"
                + " neither");
    ZooKeeperSettings settings =
        ZooKeeperSettings.builder("zk:2181").authorization("digest", "ops:secret").build();
    assertThat(settings.toString()).contains("digest:***").doesNotContain("secret");
  }

  @Test
  void leaseSettingsNameTheirKey() {
    assertThatThrownBy(() -> RoleLeaseSettings.of("OMS/x", "a1"))
        .hasMessage("lease.system = 'OMS/x': must be a name of letters, digits, '.', '_' and '-'");
    assertThatThrownBy(() -> RoleLeaseSettings.of("OMS", "a\nb"))
        .hasMessageStartingWith("lease.participant");
    assertThatThrownBy(
            () ->
                RoleLeaseSettings.of("OMS", "a1")
                    .withTiming(Duration.ofMillis(100), Duration.ofMillis(100)))
        .hasMessage("lease.heartbeat = PT0.1S: must be shorter than lease.margin (PT0.1S)");
    assertThatThrownBy(
            () -> RoleLeaseSettings.of("OMS", "a1").withTiming(Duration.ZERO, Duration.ofMillis(1)))
        .hasMessage("lease.margin = PT0S: must be positive");
  }

  @Test
  void leaseTimingDefaultsToFractionsOfTheGrantedSessionAndIsCheckedAgainstIt() {
    RoleLeaseSettings settings = RoleLeaseSettings.of("OMS", "a1");
    assertThat(settings.marginFor(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(4));
    assertThat(settings.heartbeatFor(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.checkAgainst(Duration.ofSeconds(10))).isEmpty();
    assertThat(
            settings
                .withTiming(Duration.ofSeconds(9), Duration.ofSeconds(1))
                .checkAgainst(Duration.ofSeconds(10)))
        .hasValueSatisfying(
            rule -> assertThat(rule).contains("session - margin must be at least two heartbeats"));
  }
}
