package dev.stability.testkit.arch;

import dev.stability.api.annotation.CriticalPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small violating and complying samples for {@link StabilityRulesTest}. */
final class Samples {
  private Samples() {}

  static final class SleepsOnCriticalPath {
    @CriticalPath("order entry")
    void accept() throws InterruptedException {
      Thread.sleep(1);
    }
  }

  static final class SynchronizedOnCriticalPath {
    private int orders;

    @CriticalPath
    synchronized void accept() {
      orders++;
    }
  }

  @CriticalPath("every method of the matching engine")
  static final class ReadsFilesOnCriticalPath {
    byte[] accept(Path file) throws IOException {
      return Files.readAllBytes(file);
    }
  }

  static final class NonBlockingCriticalPath {
    private long orders;

    @CriticalPath
    long accept(long quantity) {
      orders += quantity;
      return orders;
    }

    void housekeeping() throws InterruptedException {
      Thread.sleep(1); // not on the critical path: allowed
    }
  }

  static final class WritesToConsole {
    void report() {
      System.out.println("order accepted");
    }
  }

  static final class UsesJavaUtilLogging {
    private static final java.util.logging.Logger LOG =
        java.util.logging.Logger.getLogger("orders");

    void report() {
      LOG.info("order accepted");
    }
  }

  static final class UsesSlf4j {
    private static final Logger LOG = LoggerFactory.getLogger(UsesSlf4j.class);

    void report() {
      LOG.info("order accepted");
    }
  }
}
