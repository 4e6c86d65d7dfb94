package dev.stability.examples.spring;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Checks an order against the limits and, when it passes, sends it on to the venue. */
@Service
public class PreTradeRiskCheck {

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final RiskLimits limits;
  private final ReferenceData referenceData;
  private final ExchangeLink link;

  public PreTradeRiskCheck(RiskLimits limits, ReferenceData referenceData, ExchangeLink link) {
    this.limits = limits;
    this.referenceData = referenceData;
    this.link = link;
  }

  /** Checks the order and, when no limit is breached, sends it. */
  public OrderResult submit(Order order) throws IOException {
    Optional<String> breach = breach(order);
    if (breach.isPresent()) {
      return OrderResult.rejected(order, breach.get());
    }
    return link.send(order);
  }

  private Optional<String> breach(Order order) {
    if (order.clientOrderId() == null || order.account() == null || order.side() == null) {
      return Optional.of("clientOrderId, account and side are required");
    }
    if (order.quantity() <= 0 || order.price() == null || order.price().signum() <= 0) {
      return Optional.of("quantity and price must be positive");
    }
    if (order.quantity() > limits.maxQuantity()) {
      return Optional.of("quantity " + order.quantity() + " over " + limits.maxQuantity());
    }
    if (order.notional().compareTo(limits.maxNotional()) > 0) {
      return Optional.of(
          "notional " + order.notional().toPlainString() + " over " + limits.maxNotional());
    }
    Optional<BigDecimal> last = referenceData.lastPrice(order.symbol());
    if (last.isEmpty()) {
      return Optional.of("unknown symbol " + order.symbol());
    }
    BigDecimal deviation =
        order
            .price()
            .subtract(last.get())
            .abs()
            .multiply(HUNDRED)
            .divide(last.get(), 2, RoundingMode.HALF_UP);
    if (deviation.compareTo(limits.priceBandPercent()) > 0) {
      return Optional.of(
          "price "
              + order.price().toPlainString()
              + " is "
              + deviation.toPlainString()
              + "% from last "
              + last.get().toPlainString()
              + ", band "
              + limits.priceBandPercent()
              + "%");
    }
    return Optional.empty();
  }
}
