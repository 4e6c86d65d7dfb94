package dev.stability.examples.trading;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * A seeded, endless stream of order inputs that exercises every rule: mostly limit orders around
 * each instrument's settlement price (so they trade), cancels of recent orders, and a small share
 * of inputs that break one rule each (unknown account or instrument, bad quantity, a price outside
 * the limits, a duplicate id, a cancel from another account). The same seed gives the same stream.
 * Not thread-safe.
 */
public final class OrderFlow implements Iterator<OrderInput> {

  private static final int RECENT = 4_096;

  private final Market market;
  private final SplittableRandom random;
  private final long[] recentIds = new long[RECENT];
  private final long[] recentAccounts = new long[RECENT];
  private int recentCount;
  private long nextId;

  /** A stream over {@code market} from {@code seed}. */
  public OrderFlow(Market market, long seed) {
    this.market = market;
    this.random = new SplittableRandom(seed);
  }

  /** Always true: the stream does not end. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public OrderInput next() {
    int roll = random.nextInt(1_000);
    if (roll < 150 && recentCount > 0) {
      int r = random.nextInt(Math.min(recentCount, RECENT));
      long account =
          roll < 3 ? market.account(random.nextInt(market.accountCount())) : recentAccounts[r];
      return OrderInput.cancel(recentIds[r], account);
    }
    long id = ++nextId;
    if (roll >= 150 && roll < 152 && recentCount > 0) {
      id = recentIds[random.nextInt(Math.min(recentCount, RECENT))]; // a duplicate id
    }
    long account =
        roll == 160 ? 99_999_999L : market.account(random.nextInt(market.accountCount()));
    int instrument = roll == 161 ? 9 : random.nextInt(market.instruments().size());
    byte side = random.nextBoolean() ? OrderInput.BUY : OrderInput.SELL;
    if (roll == 166) {
      side = 2; // neither buy nor sell
    }
    Market.Instrument spec =
        market.instrument(Math.min(instrument, market.instruments().size() - 1));
    long price = spec.settleTicks() + random.nextInt(-10, 11) + (side == OrderInput.BUY ? -2 : 2);
    if (roll == 162 || roll == 163) {
      price = roll == 162 ? spec.upperLimit() + 1 : spec.lowerLimit() - 1;
    }
    int qty = 1 + random.nextInt(10);
    if (roll == 164) {
      qty = 0;
    } else if (roll == 165) {
      qty = (int) market.maxOrderQty() + 1;
    }
    int slot = recentCount++ % RECENT;
    recentIds[slot] = id;
    recentAccounts[slot] = account;
    return OrderInput.limit(id, account, instrument, side, price, qty);
  }

  /** The next input as a journal payload. */
  public byte[] nextPayload() {
    return next().encode();
  }
}
