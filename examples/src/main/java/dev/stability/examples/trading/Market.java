package dev.stability.examples.trading;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reference data both implementations share: instruments with their price limits and margin, the
 * accounts with their opening balance, and the order and position limits. Reference data is
 * configuration, not state: it is loaded before the trading day and never changes during it, so
 * sharing it does not weaken the heterogeneity of the two cores. Immutable.
 *
 * <p>All amounts are integers: prices in ticks of the instrument, money in cents (fen). A lot's
 * margin is {@code priceTicks * tickValueCents * marginBp / 10000}, computed per lot so that
 * releasing a partial fill's margin adds up exactly to what was frozen.
 */
public final class Market {

  /**
   * One futures contract.
   *
   * @param code the instrument code, e.g. {@code IF2612}
   * @param tickSize the minimum price step, e.g. {@code 0.2}
   * @param multiplier the contract multiplier (currency units per price point)
   * @param settleTicks the previous settlement price, in ticks
   * @param limitBp the daily price limit, in basis points of the settlement price
   * @param marginBp the margin rate, in basis points of the notional
   */
  public record Instrument(
      String code,
      BigDecimal tickSize,
      long multiplier,
      long settleTicks,
      int limitBp,
      int marginBp) {

    /** Validates. */
    public Instrument {
      Objects.requireNonNull(code, "code");
      if (tickSize.signum() <= 0) {
        throw new IllegalArgumentException(code + ": tick size must be positive, got " + tickSize);
      }
      BigDecimal tickValue = tickSize.multiply(BigDecimal.valueOf(multiplier * 100));
      if (tickValue.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException(
            code + ": a tick must be worth whole cents, got " + tickValue + " cents");
      }
      if (settleTicks <= 0 || limitBp <= 0 || limitBp >= 10_000 || marginBp <= 0) {
        throw new IllegalArgumentException(
            code
                + ": settlement, limit and margin must be positive (limit < 100%), got "
                + settleTicks
                + ", "
                + limitBp
                + ", "
                + marginBp);
      }
    }

    /** A tick's worth in cents per lot. */
    public long tickValueCents() {
      return tickSize.multiply(BigDecimal.valueOf(multiplier * 100)).longValueExact();
    }

    /** The lowest price accepted today, in ticks. */
    public long lowerLimit() {
      return settleTicks - settleTicks * limitBp / 10_000;
    }

    /** The highest price accepted today, in ticks. */
    public long upperLimit() {
      return settleTicks + settleTicks * limitBp / 10_000;
    }

    /** Margin frozen per lot of an order at {@code priceTicks}, in cents. */
    public long orderMarginPerLot(long priceTicks) {
      return priceTicks * tickValueCents() * marginBp / 10_000;
    }

    /** Margin held per lot of an open position (valued at the settlement price), in cents. */
    public long positionMarginPerLot() {
      return orderMarginPerLot(settleTicks);
    }

    /** A price in ticks as a decimal number of points, e.g. 19500 ticks of 0.2 = 3900.0. */
    public BigDecimal price(long ticks) {
      return tickSize.multiply(BigDecimal.valueOf(ticks));
    }
  }

  private final List<Instrument> instruments;
  private final long[] accounts;
  private final long openingBalanceCents;
  private final long maxOrderQty;
  private final long positionLimit;

  private Market(
      List<Instrument> instruments,
      long[] accounts,
      long openingBalanceCents,
      long maxOrderQty,
      long positionLimit) {
    this.instruments = List.copyOf(instruments);
    this.accounts = accounts.clone();
    Arrays.sort(this.accounts);
    for (int i = 1; i < this.accounts.length; i++) {
      if (this.accounts[i] == this.accounts[i - 1]) {
        throw new IllegalArgumentException("account " + this.accounts[i] + " is listed twice");
      }
    }
    this.openingBalanceCents = openingBalanceCents;
    this.maxOrderQty = maxOrderQty;
    this.positionLimit = positionLimit;
  }

  /**
   * The demo market: four contracts (equity index, bond and gold futures) and {@code accounts}
   * accounts numbered from 10000001, each opening with 50 million yuan; at most 100 lots an order
   * and 60 lots a side per account and contract.
   */
  public static Market demo(int accounts) {
    if (accounts < 1) {
      throw new IllegalArgumentException("accounts must be >= 1, got " + accounts);
    }
    long[] ids = new long[accounts];
    for (int i = 0; i < accounts; i++) {
      ids[i] = 10_000_001L + i;
    }
    return new Market(
        List.of(
            new Instrument("IF2612", new BigDecimal("0.2"), 300, 19_500, 1_000, 1_200),
            new Instrument("IC2612", new BigDecimal("0.2"), 200, 29_000, 1_000, 1_200),
            new Instrument("T2603", new BigDecimal("0.005"), 10_000, 21_600, 200, 300),
            new Instrument("AU2612", new BigDecimal("0.02"), 1_000, 31_000, 700, 1_000)),
        ids,
        5_000_000_000L,
        100,
        60);
  }

  /** The instruments; an order names one by its index in this list. */
  public List<Instrument> instruments() {
    return instruments;
  }

  /** The instrument at {@code index}, or null if there is none. */
  public Instrument instrument(int index) {
    return index >= 0 && index < instruments.size() ? instruments.get(index) : null;
  }

  /** The account ids, ascending. */
  public long[] accounts() {
    return accounts.clone();
  }

  /** How many accounts there are. */
  public int accountCount() {
    return accounts.length;
  }

  /** The account's position in {@link #accounts()}, or -1 if it is not an account. */
  public int accountIndex(long account) {
    int i = Arrays.binarySearch(accounts, account);
    return i >= 0 ? i : -1;
  }

  /** The account id at {@code index}. */
  public long account(int index) {
    return accounts[index];
  }

  /** Every account's balance at the start of the day, in cents. */
  public long openingBalanceCents() {
    return openingBalanceCents;
  }

  /** The largest quantity one order may have, in lots. */
  public long maxOrderQty() {
    return maxOrderQty;
  }

  /** The largest long or short position an account may hold in one instrument, in lots. */
  public long positionLimit() {
    return positionLimit;
  }
}
