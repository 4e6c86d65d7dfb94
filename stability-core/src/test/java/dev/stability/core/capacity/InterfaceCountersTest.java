package dev.stability.core.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stability.api.ConfigurationException;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.internal.InterfaceCounters;
import dev.stability.core.fixtures.RuntimeUnderTest;
import dev.stability.core.health.CheckResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * R1's bandwidth from the host's interface counters: Linux's {@code /proc/net/dev} read once a
 * second, its byte deltas fed to the indicator, a missing interface refused at start and a failed
 * read reported by the capacity check, never silently counted as zero traffic.
 */
class InterfaceCountersTest {

  private static final String HEADER =
      "Inter-|   Receive                                                |  Transmit\n"
          + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets"
          + " errs drop fifo colls carrier compressed\n";

  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC);
  @TempDir Path dir;
  @RegisterExtension final RuntimeUnderTest test = new RuntimeUnderTest();

  /** One interface line: {@code received} and {@code sent} bytes, the other counters zero. */
  private static String line(String name, long received, long sent) {
    return String.format("%6s: %d 10 0 0 0 0 0 0 %d 10 0 0 0 0 0 0%n", name, received, sent);
  }

  private Path counters(String lines) throws IOException {
    Path file = dir.resolve("net-dev");
    Files.writeString(file, HEADER + lines);
    return file;
  }

  private StabilityRuntime start(Path file, String networkInterface) {
    return test.start(
        b ->
            b.clock(clock)
                .capacity(
                    CapacitySettings.builder()
                        .indicators("orders", "bandwidth")
                        .requiredMultiple("bandwidth", 2)
                        .provisionedCapacity("bandwidth", 125_000_000)
                        .interfaceCounters("bandwidth", networkInterface)
                        .interfaceCountersFile(file)
                        .build()));
  }

  @Test
  void parsesReceivedPlusSentBytesPerInterfaceInTheFilesOrder() throws IOException {
    Map<String, Long> bytes =
        InterfaceCounters.parse(
            HEADER + line("lo", 1_000, 1_000) + line("eth0", 5_000_000, 3_000_000), "net-dev");
    assertThat(bytes).containsExactly(Map.entry("lo", 2_000L), Map.entry("eth0", 8_000_000L));
  }

  @Test
  void refusesTextThatIsNotInProcNetDevsFormatNamingTheLine() {
    assertThatThrownBy(() -> InterfaceCounters.parse("eth0: 1 2 3\n", "f"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("f does not start with the two header lines");
    assertThatThrownBy(() -> InterfaceCounters.parse(HEADER + "eth0 1 2 3\n", "f"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("f line 3 is not 'interface: 16 counters': 'eth0 1 2 3'");
    assertThatThrownBy(
            () -> InterfaceCounters.parse(HEADER + "eth0: x 1 0 0 0 0 0 0 7 1 0 0 0 0 0 0\n", "f"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("f line 3 has a byte counter that is not a number");
  }

  @Test
  void feedsTheIndicatorWithTheInterfacesBytesSinceTheLastSecond() throws IOException {
    Path file = counters(line("lo", 10, 10) + line("eth0", 1_000_000, 400_000));
    StabilityRuntime runtime = start(file, "eth0");
    Capacity capacity = runtime.capacity();
    CapacityIndicator bandwidth = capacity.indicator("bandwidth");

    Files.writeString(file, HEADER + line("lo", 10, 10) + line("eth0", 3_000_000, 900_000));
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();

    // 2,000,000 received + 500,000 sent in the second; what came before start is not counted.
    assertThat(bandwidth.total()).isEqualTo(2_500_000);
    assertThat(bandwidth.rate()).isEqualTo(2_500_000.0);
    assertThat(bandwidth.historicalPeak()).isEqualTo(2_500_000.0);
    assertThat(bandwidth.headroom()).isEqualTo(50.0); // 125 MB/s provisioned
    assertThat(runtime.health().check("capacity").details())
        .containsEntry("bandwidth.source", "interface eth0");
  }

  @Test
  void aCounterThatGoesDownStartsANewBaselineInsteadOfCountingNegativeTraffic() throws IOException {
    Path file = counters(line("eth0", 5_000_000, 0));
    Capacity capacity = start(file, "eth0").capacity();
    CapacityIndicator bandwidth = capacity.indicator("bandwidth");

    Files.writeString(file, HEADER + line("eth0", 1_000, 0)); // the interface was re-created
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    assertThat(bandwidth.total()).isZero();

    Files.writeString(file, HEADER + line("eth0", 4_000, 0));
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    assertThat(bandwidth.total()).isEqualTo(3_000);
  }

  @Test
  void aFailedReadMakesTheCapacityCheckDegradedNamingItAndCountingRestartsWhenTheCountersAreBack()
      throws IOException {
    Path file = counters(line("eth0", 0, 0));
    StabilityRuntime runtime = start(file, "eth0");
    Capacity capacity = runtime.capacity();
    CapacityIndicator bandwidth = capacity.indicator("bandwidth");

    Files.delete(file);
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    CheckResult unreadable = runtime.health().check("capacity");
    assertThat(unreadable.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(unreadable.reason())
        .startsWith("bandwidth is not measured (interface counters could not be read: ")
        .contains(file.toString());

    Files.writeString(file, HEADER + line("wlan0", 0, 0));
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    assertThat(runtime.health().check("capacity").reason())
        .startsWith("bandwidth is not measured (interface eth0 is no longer in " + file + ")");

    Files.writeString(file, HEADER + line("eth0", 700, 300));
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    CheckResult back = runtime.health().check("capacity");
    assertThat(back.reason()).doesNotContain("not measured");
    assertThat(back.status()).isNotEqualTo(HealthStatus.DEGRADED);
    // The 1,000 bytes of the outage are not put into one second (a false peak): a new baseline.
    assertThat(bandwidth.total()).isZero();
    Files.writeString(file, HEADER + line("eth0", 1_200, 300));
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    assertThat(bandwidth.total()).isEqualTo(500);
  }

  @Test
  void refusesToStartWithAnInterfaceTheHostDoesNotHaveListingTheOnesItHas() throws IOException {
    Path file = counters(line("lo", 0, 0) + line("eth0", 0, 0));
    assertThatThrownBy(() -> start(file, "eth9"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "capacity.interface-counters.bandwidth = 'eth9': is not a network interface of this"
                + " host; "
                + file
                + " lists: [lo, eth0]");
    assertThatThrownBy(() -> start(dir.resolve("absent"), "eth0"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("needs the host's interface counters, which could not be read");
  }

  @Test
  void refusesAnUndeclaredIndicatorAnInvalidOrMissingInterfaceOrNoCountersFile() {
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .indicators("orders")
                    .interfaceCounters("bandwidth", "eth0")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "capacity.interface-counters.bandwidth = 'eth0': is not a declared indicator;"
                + " declared: [orders]");
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .indicators("bandwidth")
                    .interfaceCounters("bandwidth", "eth0/../x")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("must name a network interface");
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .indicators("bandwidth")
                    .interfaceCounters("bandwidth", null)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("capacity.interface-counters.bandwidth = null: must be set");
    assertThatThrownBy(
            () ->
                CapacitySettings.builder()
                    .indicators("bandwidth")
                    .interfaceCounters("bandwidth", "eth0")
                    .interfaceCountersFile(null)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("capacity.interface-counters-file = null: must be set");
  }

  @Test
  void countsRealLoopbackTrafficFromThisHostsProcNetDev() throws Exception {
    Path proc = CapacitySettings.DEFAULT_INTERFACE_COUNTERS_FILE;
    assumeTrue(
        Files.isReadable(proc) && Files.readString(proc).contains("lo:"),
        "skipped: this host has no Linux /proc/net/dev with a loopback interface; the parsing and"
            + " feeding are covered by the tests on files in its format");
    Capacity capacity = start(proc, "lo").capacity();
    CapacityIndicator bandwidth = capacity.indicator("bandwidth");
    int megabyte = 1 << 20;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Long> read =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  return in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
          OutputStream out = client.getOutputStream()) {
        out.write(new byte[megabyte]);
      }
      assertThat(read.get()).isEqualTo(megabyte);
    }
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
    // Loopback counts each byte as received and as sent; other traffic on lo only adds.
    assertThat(bandwidth.total()).isGreaterThanOrEqualTo(2L * megabyte);
  }
}
