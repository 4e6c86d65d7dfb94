package dev.stability.examples.spring;

import dev.stability.spring.guard.Guarded;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Last prices from the reference-data service, simulated in memory. Reads are idempotent, so their
 * guard ({@code reference-data}) may retry.
 */
@Component
public class ReferenceData {

  private static final Map<String, BigDecimal> LAST_PRICES =
      Map.of(
          "600519.SH", new BigDecimal("1450.00"),
          "601318.SH", new BigDecimal("52.30"),
          "000001.SZ", new BigDecimal("11.20"));

  /** The instrument's last price, or empty for an unknown instrument. */
  @Guarded("reference-data")
  public Optional<BigDecimal> lastPrice(String symbol) {
    return Optional.ofNullable(LAST_PRICES.get(symbol));
  }
}
