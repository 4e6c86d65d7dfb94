package dev.stability.aeron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings fail when set, naming the key, the value and the rule. */
class SettingsValidationTest {

  @Test
  void badReplicationSettingsAreNamed() {
    assertThatThrownBy(() -> ReplicationSettings.builder("Orders"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("replication.name = 'Orders': must be 1-48 lower-case");
    ReplicationSettings.Builder builder = ReplicationSettings.builder("orders");
    assertThatThrownBy(() -> builder.udp("standby-host", "primary:20122"))
        .hasMessage("replication.standby-endpoint = 'standby-host': must be host:port");
    assertThatThrownBy(() -> builder.udp("standby:70000", "primary:20122"))
        .hasMessage("replication.standby-endpoint = 'standby:70000': port must be 1..65535");
    assertThatThrownBy(() -> builder.streams(7, 7))
        .hasMessage("replication.streams = '7/7': must be two different positive ids");
    assertThatThrownBy(() -> builder.confirmTimeout(Duration.ZERO))
        .hasMessage("replication.confirm-timeout = PT0S: must be from 1 ms to 1 min");
    assertThatThrownBy(() -> builder.maxLag(0)).hasMessage("replication.max-lag = 0: must be >= 1");
    assertThatThrownBy(() -> builder.heartbeat(Duration.ofSeconds(11)))
        .hasMessage("replication.heartbeat = PT11S: must be from 1 ms to 10 s");
    // nothing half-set: the builder still builds what it had
    ReplicationSettings settings = builder.build();
    assertThat(settings.dataChannel()).isEqualTo("aeron:ipc");
    assertThat(settings.dataStream()).isEqualTo(1001);
    assertThatThrownBy(() -> builder.replayStream(0))
        .hasMessage("replication.replay-stream = 0: must be positive");
    assertThatThrownBy(() -> ReplicationSettings.builder("orders").replayStream(1001).build())
        .hasMessage(
            "replication.replay-stream = 1001: must differ from the data (1001) and control (1002)"
                + " stream ids");
  }

  @Test
  void badWarmStandbyStreamsAndIntervalsAreNamed() {
    ReplicationSettings.Builder builder = ReplicationSettings.builder("orders");
    assertThatThrownBy(() -> builder.warmStreams(5, 5))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("replication.warm-streams = '5/5': must be two different positive ids");
    assertThatThrownBy(() -> builder.warmStreams(0, 6))
        .hasMessage("replication.warm-streams = '0/6': must be two different positive ids");
    assertThat(builder.build().warmStream()).as("nothing half-set").isEqualTo(1004);
    assertThatThrownBy(() -> ReplicationSettings.builder("orders").warmStreams(1001, 1006).build())
        .hasMessage(
            "replication.warm-streams = '1001/1006': must differ from the data (1001), control"
                + " (1002) and replay (1003) stream ids");
    ReplicationSettings settings = ReplicationSettings.builder("orders").build();
    // refused before anything is opened: no runtime or media is needed to see the message
    assertThatThrownBy(() -> AeronWarmLink.standby(null, null, settings, Duration.ofMillis(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("warm-standby.interval = PT0.001S: must be from 10 ms to 10 s");
    assertThatThrownBy(
            () -> AeronWarmLink.primary(null, () -> 1, null, settings, Duration.ofSeconds(11)))
        .hasMessage("warm-standby.interval = PT11S: must be from 10 ms to 10 s");
  }

  @Test
  void archiveSettingsThatDoNotFitTogetherAreNamed() {
    assertThatThrownBy(() -> AeronMediaSettings.lowCpu().archive(null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("aeron.archive.directory = null: an embedded archive needs a directory");
    assertThatThrownBy(() -> AeronMediaSettings.lowCpu().archiveSegmentLength(1000))
        .hasMessage(
            "aeron.archive.segment-length = 1000: must be a power of two from 65536 to 1073741824");
    assertThatThrownBy(() -> AeronMediaSettings.lowCpu().archiveKeepBytes(-1))
        .hasMessage("aeron.archive.keep-bytes = -1: must be >= 0 (0 keeps everything)");
    assertThatThrownBy(
            () ->
                AeronMediaSettings.lowCpu()
                    .external(Path.of("/dev/shm/aeron"))
                    .archive(Path.of("rec"))
                    .build())
        .hasMessageStartingWith(
            "aeron.archive.directory = rec: an embedded archive needs the embedded driver");
    assertThatThrownBy(() -> AeronMediaSettings.lowCpu().externalArchive().build())
        .hasMessage(
            "aeron.archive.external = true: an external archive needs an external driver"
                + " (external(directory))");
    assertThatThrownBy(
            () ->
                AeronMediaSettings.lowCpu()
                    .termLength(1 << 20)
                    .archiveSegmentLength(1 << 16)
                    .archive(Path.of("rec"))
                    .build())
        .hasMessage(
            "aeron.archive.segment-length = 65536: must be at least the term length (1048576)");
    AeronMediaSettings archived =
        AeronMediaSettings.lowCpu().archive(Path.of("rec")).archiveKeepBytes(1 << 30).build();
    assertThat(archived.archived()).isTrue();
    assertThat(archived.archiveKeepBytes()).isEqualTo(1 << 30);
    assertThat(AeronMediaSettings.lowCpu().build().archived()).isFalse();
  }

  @Test
  void maxIdleBoundsHowLongTheLowCpuThreadsParkAndIsRefusedOutOfRangeOrWithBusySpin() {
    assertThat(AeronMediaSettings.lowCpu().build().maxIdle()).isEqualTo(Duration.ofMillis(1));
    assertThat(AeronMediaSettings.lowLatency().build().maxIdle()).isEqualTo(Duration.ZERO);
    AeronMediaSettings short50 =
        AeronMediaSettings.lowCpu().maxIdle(Duration.ofNanos(50_000)).build();
    assertThat(short50.maxIdle()).isEqualTo(Duration.ofNanos(50_000));
    // the SDK's replication threads (and the embedded driver's shared thread) use this bound
    assertThat(AeronMedia.idle(short50).toString()).contains("maxParkPeriodNs=50000");
    assertThatThrownBy(() -> AeronMediaSettings.lowCpu().maxIdle(Duration.ofNanos(999)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("aeron.max-idle = PT0.000000999S: must be from 1 µs to 100 ms");
    assertThatThrownBy(() -> AeronMediaSettings.lowCpu().maxIdle(Duration.ofMillis(101)))
        .hasMessage("aeron.max-idle = PT0.101S: must be from 1 µs to 100 ms");
    assertThatThrownBy(() -> AeronMediaSettings.lowCpu().maxIdle(null))
        .hasMessage("aeron.max-idle = null: must be from 1 µs to 100 ms");
    assertThatThrownBy(() -> AeronMediaSettings.lowLatency().maxIdle(Duration.ofMillis(1)))
        .hasMessage(
            "aeron.max-idle = PT0.001S: applies to the low-CPU preset only (busy-spin never"
                + " parks)");
  }

  @Test
  void badMediaSettingsAreNamed() {
    AeronMediaSettings.Builder builder = AeronMediaSettings.lowCpu();
    assertThatThrownBy(() -> builder.termLength(100_000))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("aeron.term-length = 100000: must be a power of two from 65536 to 1073741824");
    assertThatThrownBy(() -> builder.mtu(1000))
        .hasMessage("aeron.mtu = 1000: must be a multiple of 32 from 1024 to 65504");
    assertThatThrownBy(() -> builder.socketBufferBytes(-1))
        .hasMessage("aeron.socket-buffer-bytes = -1: must be >= 0");
    assertThatThrownBy(() -> builder.external(null))
        .hasMessage("aeron.directory = null: an external driver needs its directory");
    AeronMediaSettings settings = builder.build();
    assertThat(settings.termLength()).isEqualTo(16 * 1024 * 1024);
    assertThat(settings.embedded()).isTrue();
  }
}
