package dev.stability.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The Aeron media driver and client a process replicates through: one per process, shared by its
 * publishers and receivers. Embedded by default, which needs nothing installed:
 *
 * <pre>{@code
 * try (AeronMedia media = AeronMedia.start(AeronMediaSettings.lowCpu().build())) { ... }
 * }</pre>
 *
 * <p>or connected to an external driver ({@code AeronMediaSettings.lowCpu().external(dir)}).
 * Thread-safe; {@link #close()} closes the client and stops an embedded driver (deleting its
 * directory).
 */
public final class AeronMedia implements AutoCloseable {

  private final AeronMediaSettings settings;
  private final MediaDriver driver;
  private final Aeron aeron;

  private AeronMedia(AeronMediaSettings settings, MediaDriver driver, Aeron aeron) {
    this.settings = settings;
    this.driver = driver;
    this.aeron = aeron;
  }

  /**
   * Starts an embedded driver (or connects to an external one) and an Aeron client on it.
   *
   * @throws UncheckedIOException if the driver's directory cannot be made
   * @throws IllegalStateException if no driver answers (external) within Aeron's driver timeout
   */
  public static AeronMedia start(AeronMediaSettings settings) {
    return start(settings, context -> {});
  }

  /**
   * As {@link #start(AeronMediaSettings)}, with a last say on the embedded driver's context: for
   * tests that inject packet loss with Aeron's own debug channel endpoints.
   */
  static AeronMedia start(AeronMediaSettings settings, Consumer<MediaDriver.Context> customizer) {
    MediaDriver driver = null;
    String directory;
    if (settings.embedded()) {
      Path dir = settings.directory();
      try {
        dir = dir != null ? dir : Files.createTempDirectory("stability-aeron-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a directory for the Aeron media driver", e);
      }
      boolean lowCpu = settings.idle() == AeronMediaSettings.Idle.LOW_CPU;
      MediaDriver.Context context =
          new MediaDriver.Context()
              .aeronDirectoryName(dir.resolve("driver").toString())
              .dirDeleteOnStart(true)
              .dirDeleteOnShutdown(true)
              .termBufferSparseFile(true)
              .publicationTermBufferLength(settings.termLength())
              .ipcTermBufferLength(settings.termLength())
              .mtuLength(settings.mtu())
              .threadingMode(lowCpu ? ThreadingMode.SHARED : ThreadingMode.DEDICATED);
      if (settings.socketBufferBytes() > 0) {
        context.socketSndbufLength(settings.socketBufferBytes());
        context.socketRcvbufLength(settings.socketBufferBytes());
      }
      if (lowCpu) {
        context.sharedIdleStrategy(idle(settings));
      } else {
        context.conductorIdleStrategy(idle(settings));
        context.senderIdleStrategy(new BusySpinIdleStrategy());
        context.receiverIdleStrategy(new BusySpinIdleStrategy());
      }
      customizer.accept(context);
      driver = MediaDriver.launch(context);
      directory = driver.aeronDirectoryName();
    } else {
      directory = settings.directory().toString();
    }
    try {
      Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory));
      return new AeronMedia(settings, driver, aeron);
    } catch (RuntimeException e) {
      if (driver != null) {
        driver.close();
      }
      throw new IllegalStateException(
          "cannot connect to the Aeron media driver in " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The settings this media runs with. */
  public AeronMediaSettings settings() {
    return settings;
  }

  /** The driver's directory: what an external process's client connects to. */
  public String directory() {
    return aeron.context().aeronDirectoryName();
  }

  Aeron aeron() {
    return aeron;
  }

  /** The idle strategy the SDK's own replication threads use under these settings. */
  static IdleStrategy idle(AeronMediaSettings settings) {
    return settings.idle() == AeronMediaSettings.Idle.LOW_CPU
        ? new BackoffIdleStrategy(
            10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1))
        : new BusySpinIdleStrategy();
  }

  /** Closes the client, then an embedded driver. */
  @Override
  public void close() {
    aeron.close();
    if (driver != null) {
      driver.close();
    }
  }

  @Override
  public String toString() {
    return "AeronMedia[" + directory() + (driver != null ? ", embedded" : ", external") + "]";
  }
}
