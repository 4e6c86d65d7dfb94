package dev.stability.core.capacity;

import dev.stability.core.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * What the capacity tests share: their unit of work, one second of an indicator's units on a manual
 * clock, and stores in the earlier format {@code stability-capacity/1}.
 */
final class CapacityFixtures {

  private CapacityFixtures() {}

  /** Records {@code units}, moves {@code clock} a second and takes the sample that closes it. */
  static void second(
      ManualClock clock, Capacity capacity, CapacityIndicator indicator, long units) {
    indicator.record(units);
    clock.advance(Duration.ofSeconds(1));
    capacity.sample();
  }

  /**
   * Writes a store of format {@code stability-capacity/1} holding {@code indicators} (a JSON
   * object) with a valid checksum.
   */
  static void writeFormat1(Path store, String indicators) throws Exception {
    CRC32C crc = new CRC32C();
    crc.update(indicators.getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        store,
        "{\"format\":\"stability-capacity/1\",\"indicators\":"
            + indicators
            + ",\"crc32c\":\""
            + String.format("%08x", crc.getValue())
            + "\"}");
  }
}
