package dev.stability.examples.trading;

import dev.stability.api.annotation.Deterministic;
import dev.stability.api.consistency.RecordSource;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.standby.StateMachine;
import dev.stability.core.consistency.StateDigests;
import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A futures trading core: order entry (limit orders and cancels) with validation and a risk check,
 * price-time matching, positions and funds. It is a {@link StateMachine}, so the SDK's follower can
 * drive a standby with it from the journal, and a {@link RecordSource}, so a digest mismatch can be
 * localised to records and fields.
 *
 * <p>The business rules are the specification both implementations follow:
 *
 * <ol>
 *   <li>A new order is checked in this order, and the first broken rule is the reject reason:
 *       {@link Execution.Reject#DUPLICATE_ORDER_ID} (an open order has this id), unknown account,
 *       unknown instrument, bad side, quantity outside 1..{@link Market#maxOrderQty()}, price
 *       outside today's limits, the position on the order's side plus the quantity above {@link
 *       Market#positionLimit()}, and the order's margin above the available funds (balance minus
 *       frozen minus position margin).
 *   <li>An accepted order freezes its margin, is reported {@code ACCEPTED}, then matches resting
 *       orders of the other side at their price, best price first and oldest first within a price;
 *       each fill is a {@code TRADE} report. What is left rests on the book.
 *   <li>A fill releases the order's frozen margin for the lots traded, closes opposite lots first
 *       and opens the rest, and moves position margin (valued at the settlement price) accordingly.
 *   <li>A cancel removes an open order of the same account and releases its frozen margin; it is
 *       refused with {@code UNKNOWN_ORDER} or {@code NOT_OWNER}.
 * </ol>
 *
 * <p>Not thread-safe: one thread applies inputs; {@link #digest()} may be read by the thread that
 * applies, or by another once it has stopped.
 */
@Deterministic
public abstract class TradingCore implements StateMachine, RecordSource {

  /** The reference data. */
  protected final Market market;

  /** The canonical records and their encoders. */
  protected final StateRows rows;

  /** The digest over orders, positions and funds, kept up to date on every mutation. */
  protected final StateDigest digest;

  private volatile long lastApplied;
  private Consumer<Execution> reports = execution -> {};

  /** A core over {@code market} with a digest of {@code buckets} buckets. */
  protected TradingCore(Market market, int buckets) {
    this.market = Objects.requireNonNull(market, "market");
    this.rows = new StateRows(market);
    this.digest = StateDigests.create(buckets);
  }

  /** A short name for the implementation, e.g. {@code map-book}. */
  public abstract String name();

  /** Processes one input and sends its execution reports to {@code out}. */
  public abstract void execute(OrderInput input, Consumer<Execution> out);

  /** The state in the form both implementations share. */
  public abstract StateImage image();

  /** Replaces the whole state (including the digest) with {@code image}. */
  protected abstract void load(StateImage image);

  /** An account's position in an instrument (zeros if it has none). */
  public abstract PositionRow position(long account, int instrument);

  /** An account's funds. */
  public abstract FundsRow funds(long account);

  /** How many orders rest on the books. */
  public abstract int openOrders();

  /** Where the reports of {@link #apply} go (the default drops them). */
  public final TradingCore reports(Consumer<Execution> value) {
    this.reports = Objects.requireNonNull(value, "reports");
    return this;
  }

  /** Processes one input and returns its reports (for replay comparison and tests). */
  public final List<Execution> process(OrderInput input) {
    List<Execution> out = new ArrayList<>(2);
    execute(input, out::add);
    return out;
  }

  /** The reference data. */
  public final Market market() {
    return market;
  }

  @Override
  public final void apply(long sequence, long epoch, ByteBuffer payload) {
    execute(OrderInput.decode(payload), reports);
    lastApplied = sequence;
  }

  @Override
  public final long lastApplied() {
    return lastApplied;
  }

  @Override
  public final byte[] snapshot() {
    StateImage image = image();
    return new StateImage(lastApplied, image.funds(), image.positions(), image.orders()).toBytes();
  }

  /**
   * Replaces the state with a snapshot's. The snapshot is read and checked against the market whole
   * before anything changes, so a bad one leaves the state as it was.
   *
   * @throws IllegalArgumentException naming what is wrong with the snapshot
   */
  @Override
  public final void restore(byte[] snapshot) {
    StateImage image = StateImage.fromBytes(snapshot);
    check(image);
    load(image);
    lastApplied = image.lastApplied();
  }

  private void check(StateImage image) {
    Set<Long> accounts = new HashSet<>();
    for (FundsRow row : image.funds()) {
      if (market.accountIndex(row.account()) < 0) {
        throw new IllegalArgumentException(
            "the snapshot holds funds of account " + row.account() + ", not in the market");
      }
      if (!accounts.add(row.account())) {
        throw new IllegalArgumentException(
            "the snapshot holds the funds of account " + row.account() + " twice");
      }
    }
    if (accounts.size() != market.accountCount()) {
      throw new IllegalArgumentException(
          "the snapshot holds the funds of "
              + accounts.size()
              + " accounts, the market has "
              + market.accountCount());
    }
    Set<List<Long>> positions = new HashSet<>();
    for (PositionRow row : image.positions()) {
      if (market.accountIndex(row.account()) < 0 || market.instrument(row.instrument()) == null) {
        throw new IllegalArgumentException(
            "the snapshot holds a position of account "
                + row.account()
                + " in instrument "
                + row.instrument()
                + ", not in the market");
      }
      // A core holds no flat position, never a negative one, and never one long and short at once.
      if (row.longQty() < 0
          || row.shortQty() < 0
          || (row.longQty() == 0) == (row.shortQty() == 0)
          || !positions.add(List.of(row.account(), (long) row.instrument()))) {
        throw new IllegalArgumentException(
            "the snapshot holds a position no core can hold (flat, negative, both sides or twice): "
                + row);
      }
    }
    Set<Long> orderIds = new HashSet<>();
    for (OrderRow row : image.orders()) {
      Market.Instrument instrument = market.instrument(row.instrument());
      if (market.accountIndex(row.account()) < 0
          || instrument == null
          || (row.side() != OrderInput.BUY && row.side() != OrderInput.SELL)
          || row.priceTicks() < instrument.lowerLimit()
          || row.priceTicks() > instrument.upperLimit()
          || row.remaining() < 1
          || !orderIds.add(row.orderId())) {
        throw new IllegalArgumentException(
            "the snapshot holds order " + row.orderId() + " that the market cannot hold: " + row);
      }
    }
  }

  @Override
  public final StateDigest digest() {
    return digest;
  }

  @Override
  public final void forEachRecord(RecordVisitor visitor) {
    StateImage image = image();
    for (FundsRow row : image.funds()) {
      visitor.visit(rows.funds(), row);
    }
    for (PositionRow row : image.positions()) {
      visitor.visit(rows.positions(), row);
    }
    for (OrderRow row : image.orders()) {
      visitor.visit(rows.orders(), row);
    }
  }

  @Override
  public String toString() {
    return name() + "@" + lastApplied;
  }
}
