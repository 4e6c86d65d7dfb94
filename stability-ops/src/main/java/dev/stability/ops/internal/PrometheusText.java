package dev.stability.ops.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Optional;

/**
 * Prometheus text exposition through micrometer-registry-prometheus, an optional dependency: the
 * Prometheus types are touched only when the class is on the class path.
 */
final class PrometheusText {

  private static final boolean PRESENT = present();

  private PrometheusText() {}

  private static boolean present() {
    try {
      Class.forName(
          "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
          false,
          PrometheusText.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The scrape of the first Prometheus registry found in {@code registry}, if there is one. */
  static Optional<String> scrape(MeterRegistry registry) {
    return PRESENT ? Scraper.scrape(registry) : Optional.empty();
  }

  /** Loaded only when the Prometheus registry class exists. */
  private static final class Scraper {
    static Optional<String> scrape(MeterRegistry registry) {
      if (registry instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus) {
        return Optional.of(prometheus.scrape());
      }
      if (registry instanceof CompositeMeterRegistry composite) {
        for (MeterRegistry child : composite.getRegistries()) {
          Optional<String> scraped = scrape(child);
          if (scraped.isPresent()) {
            return scraped;
          }
        }
      }
      return Optional.empty();
    }
  }
}
