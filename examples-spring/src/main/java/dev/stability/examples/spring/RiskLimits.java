package dev.stability.examples.spring;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pre-trade limits, from {@code risk.limits.*}.
 *
 * @param maxQuantity the largest quantity of one order
 * @param maxNotional the largest price times quantity of one order
 * @param priceBandPercent how far, in percent, a limit price may be from the last price
 */
@ConfigurationProperties("risk.limits")
public record RiskLimits(
    @DefaultValue("100000") long maxQuantity,
    @DefaultValue("5000000") BigDecimal maxNotional,
    @DefaultValue("10") BigDecimal priceBandPercent) {}
