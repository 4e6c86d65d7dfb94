package dev.stability.examples.trading;

import dev.stability.api.annotation.CriticalPath;
import dev.stability.api.annotation.Deterministic;
import dev.stability.examples.trading.Execution.Reject;
import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The heterogeneous standby's implementation, deliberately built another way than {@link
 * MapTradingCore}: funds and positions in primitive arrays indexed by account and instrument,
 * orders in slot arrays linked into doubly linked FIFO lists, one list per price tick between
 * today's limits (the limits bound the price range, so every level is an array cell), the best
 * price kept as an index, and the risk check as one inline pass over precomputed per-instrument
 * tables.
 */
@Deterministic
public final class ArrayTradingCore extends TradingCore {

  private static final int NONE = -1;

  private final int instruments;
  private final long[] lower;
  private final long[] upper;
  private final long[] marginPerTickLot; // tick value x margin bp: margin = price x this / 10000
  private final long[] positionMargin;

  private final long[] balance;
  private final long[] frozen;
  private final long[] margin;
  private final long[] longQty; // [account x instruments + instrument]
  private final long[] shortQty;

  // Order slots.
  private long[] orderId = new long[1024];
  private long[] orderAccount = new long[1024];
  private int[] orderInstrument = new int[1024];
  private byte[] orderSide = new byte[1024];
  private long[] orderPrice = new long[1024];
  private long[] orderRemaining = new long[1024];
  private int[] next = new int[1024];
  private int[] prev = new int[1024];
  private int freeSlot = NONE;
  private int usedSlots;
  private int openCount;
  private final Map<Long, Integer> slotById = new HashMap<>();

  // Levels: [instrument][side] -> head/tail slot per tick offset from the lower limit.
  private final int[][][] head;
  private final int[][][] tail;
  private final int[][] best; // tick offset of the best level, or NONE
  private final int[][] count; // orders resting on that side

  /** A core over {@code market}, every account at its opening balance. */
  public ArrayTradingCore(Market market) {
    super(market, 64);
    this.instruments = market.instruments().size();
    this.lower = new long[instruments];
    this.upper = new long[instruments];
    this.marginPerTickLot = new long[instruments];
    this.positionMargin = new long[instruments];
    this.head = new int[instruments][2][];
    this.tail = new int[instruments][2][];
    this.best = new int[instruments][2];
    this.count = new int[instruments][2];
    for (int i = 0; i < instruments; i++) {
      Market.Instrument instrument = market.instrument(i);
      lower[i] = instrument.lowerLimit();
      upper[i] = instrument.upperLimit();
      marginPerTickLot[i] = instrument.tickValueCents() * instrument.marginBp();
      positionMargin[i] = instrument.settleTicks() * marginPerTickLot[i] / 10_000;
      int levels = (int) (upper[i] - lower[i] + 1);
      for (int s = 0; s < 2; s++) {
        head[i][s] = new int[levels];
        tail[i][s] = new int[levels];
      }
    }
    int accounts = market.accountCount();
    this.balance = new long[accounts];
    this.frozen = new long[accounts];
    this.margin = new long[accounts];
    this.longQty = new long[accounts * instruments];
    this.shortQty = new long[accounts * instruments];
    clearBooks();
    Arrays.fill(balance, market.openingBalanceCents());
    for (int a = 0; a < accounts; a++) {
      digest.add(rows.funds(), fundsRow(a));
    }
  }

  @Override
  public String name() {
    return "array-book";
  }

  private void clearBooks() {
    for (int i = 0; i < instruments; i++) {
      for (int s = 0; s < 2; s++) {
        Arrays.fill(head[i][s], NONE);
        Arrays.fill(tail[i][s], NONE);
        best[i][s] = NONE;
        count[i][s] = 0;
      }
    }
  }

  @Override
  @CriticalPath
  public void execute(OrderInput in, Consumer<Execution> out) {
    if (in.type() == OrderInput.CANCEL) {
      cancel(in, out);
      return;
    }
    Reject reason = risk(in);
    if (reason != null) {
      out.accept(Execution.rejected(in.orderId(), reason));
      return;
    }
    int a = market.accountIndex(in.account());
    int i = in.instrument();
    int s = in.side();
    FundsRow before = fundsRow(a);
    frozen[a] += in.priceTicks() * marginPerTickLot[i] / 10_000 * in.qty();
    digest.replace(rows.funds(), before, fundsRow(a));
    out.accept(Execution.accepted(in.orderId()));

    long remaining = in.qty();
    int o = 1 - s;
    while (remaining > 0 && best[i][o] != NONE) {
      long price = lower[i] + best[i][o];
      if (s == OrderInput.BUY ? price > in.priceTicks() : price < in.priceTicks()) {
        break;
      }
      int maker = head[i][o][best[i][o]];
      long fill = Math.min(remaining, orderRemaining[maker]);
      out.accept(Execution.trade(in.orderId(), orderId[maker], price, fill));
      OrderRow makerBefore = orderRow(maker);
      orderRemaining[maker] -= fill;
      remaining -= fill;
      int makerAccount = market.accountIndex(orderAccount[maker]);
      settle(makerAccount, i, orderSide[maker], orderPrice[maker], fill);
      settle(a, i, s, in.priceTicks(), fill);
      if (orderRemaining[maker] == 0) {
        digest.remove(rows.orders(), makerBefore);
        unlink(maker);
        release(maker);
      } else {
        digest.replace(rows.orders(), makerBefore, orderRow(maker));
      }
    }
    if (remaining > 0) {
      int slot = allocate();
      orderId[slot] = in.orderId();
      orderAccount[slot] = in.account();
      orderInstrument[slot] = i;
      orderSide[slot] = (byte) s;
      orderPrice[slot] = in.priceTicks();
      orderRemaining[slot] = remaining;
      link(slot);
      digest.add(rows.orders(), orderRow(slot));
    }
  }

  /** The entry rules in one pass, in the specified order. */
  private Reject risk(OrderInput in) {
    if (slotById.containsKey(in.orderId())) {
      return Reject.DUPLICATE_ORDER_ID;
    }
    int a = market.accountIndex(in.account());
    if (a < 0) {
      return Reject.UNKNOWN_ACCOUNT;
    }
    int i = in.instrument();
    if (i < 0 || i >= instruments) {
      return Reject.UNKNOWN_INSTRUMENT;
    }
    if (in.side() != OrderInput.BUY && in.side() != OrderInput.SELL) {
      return Reject.BAD_SIDE;
    }
    if (in.qty() < 1 || in.qty() > market.maxOrderQty()) {
      return Reject.BAD_QUANTITY;
    }
    if (in.priceTicks() < lower[i] || in.priceTicks() > upper[i]) {
      return Reject.PRICE_LIMIT;
    }
    int cell = a * instruments + i;
    long held = in.side() == OrderInput.BUY ? longQty[cell] : shortQty[cell];
    if (held + in.qty() > market.positionLimit()) {
      return Reject.POSITION_LIMIT;
    }
    long required = in.priceTicks() * marginPerTickLot[i] / 10_000 * in.qty();
    if (required > balance[a] - frozen[a] - margin[a]) {
      return Reject.INSUFFICIENT_FUNDS;
    }
    return null;
  }

  private void settle(int a, int i, int side, long orderPriceTicks, long qty) {
    int cell = a * instruments + i;
    PositionRow positionBefore = positionRow(a, i);
    long closed;
    if (side == OrderInput.BUY) {
      closed = Math.min(shortQty[cell], qty);
      shortQty[cell] -= closed;
      longQty[cell] += qty - closed;
    } else {
      closed = Math.min(longQty[cell], qty);
      longQty[cell] -= closed;
      shortQty[cell] += qty - closed;
    }
    FundsRow fundsBefore = fundsRow(a);
    frozen[a] -= orderPriceTicks * marginPerTickLot[i] / 10_000 * qty;
    margin[a] += positionMargin[i] * (qty - closed) - positionMargin[i] * closed;
    digest.replace(rows.funds(), fundsBefore, fundsRow(a));
    PositionRow positionAfter = positionRow(a, i);
    if (positionBefore != null) {
      digest.remove(rows.positions(), positionBefore);
    }
    if (positionAfter != null) {
      digest.add(rows.positions(), positionAfter);
    }
  }

  private void cancel(OrderInput in, Consumer<Execution> out) {
    Integer found = slotById.get(in.orderId());
    if (found == null) {
      out.accept(Execution.rejected(in.orderId(), Reject.UNKNOWN_ORDER));
      return;
    }
    int slot = found;
    if (orderAccount[slot] != in.account()) {
      out.accept(Execution.rejected(in.orderId(), Reject.NOT_OWNER));
      return;
    }
    long qty = orderRemaining[slot];
    int a = market.accountIndex(orderAccount[slot]);
    int i = orderInstrument[slot];
    digest.remove(rows.orders(), orderRow(slot));
    FundsRow before = fundsRow(a);
    frozen[a] -= orderPrice[slot] * marginPerTickLot[i] / 10_000 * qty;
    digest.replace(rows.funds(), before, fundsRow(a));
    unlink(slot);
    release(slot);
    out.accept(Execution.cancelled(in.orderId(), qty));
  }

  // ---- slots and levels

  private int allocate() {
    int slot;
    if (freeSlot != NONE) {
      slot = freeSlot;
      freeSlot = next[slot];
    } else {
      if (usedSlots == orderId.length) {
        int size = orderId.length * 2;
        orderId = Arrays.copyOf(orderId, size);
        orderAccount = Arrays.copyOf(orderAccount, size);
        orderInstrument = Arrays.copyOf(orderInstrument, size);
        orderSide = Arrays.copyOf(orderSide, size);
        orderPrice = Arrays.copyOf(orderPrice, size);
        orderRemaining = Arrays.copyOf(orderRemaining, size);
        next = Arrays.copyOf(next, size);
        prev = Arrays.copyOf(prev, size);
      }
      slot = usedSlots++;
    }
    return slot;
  }

  private void release(int slot) {
    next[slot] = freeSlot;
    freeSlot = slot;
  }

  /** Appends the slot to its level's FIFO and indexes it. */
  private void link(int slot) {
    int i = orderInstrument[slot];
    int s = orderSide[slot];
    int level = (int) (orderPrice[slot] - lower[i]);
    int last = tail[i][s][level];
    prev[slot] = last;
    next[slot] = NONE;
    if (last == NONE) {
      head[i][s][level] = slot;
    } else {
      next[last] = slot;
    }
    tail[i][s][level] = slot;
    if (best[i][s] == NONE || (s == OrderInput.BUY ? level > best[i][s] : level < best[i][s])) {
      best[i][s] = level;
    }
    count[i][s]++;
    openCount++;
    slotById.put(orderId[slot], slot);
  }

  /** Takes the slot out of its level and, if that emptied the best level, finds the next one. */
  private void unlink(int slot) {
    int i = orderInstrument[slot];
    int s = orderSide[slot];
    int level = (int) (orderPrice[slot] - lower[i]);
    if (prev[slot] == NONE) {
      head[i][s][level] = next[slot];
    } else {
      next[prev[slot]] = next[slot];
    }
    if (next[slot] == NONE) {
      tail[i][s][level] = prev[slot];
    } else {
      prev[next[slot]] = prev[slot];
    }
    count[i][s]--;
    openCount--;
    slotById.remove(orderId[slot]);
    if (head[i][s][level] == NONE && best[i][s] == level) {
      best[i][s] = NONE;
      if (count[i][s] > 0) {
        int step = s == OrderInput.BUY ? -1 : 1;
        for (int l = level + step; l >= 0 && l < head[i][s].length; l += step) {
          if (head[i][s][l] != NONE) {
            best[i][s] = l;
            break;
          }
        }
      }
    }
  }

  // ---- rows

  private FundsRow fundsRow(int a) {
    return new FundsRow(market.account(a), balance[a], frozen[a], margin[a]);
  }

  /** The position's row, or null when it is flat (flat positions are not records). */
  private PositionRow positionRow(int a, int i) {
    int cell = a * instruments + i;
    if (longQty[cell] == 0 && shortQty[cell] == 0) {
      return null;
    }
    return new PositionRow(market.account(a), i, longQty[cell], shortQty[cell]);
  }

  private OrderRow orderRow(int slot) {
    return new OrderRow(
        orderId[slot],
        orderAccount[slot],
        orderInstrument[slot],
        orderSide[slot],
        orderPrice[slot],
        orderRemaining[slot]);
  }

  @Override
  public StateImage image() {
    List<FundsRow> funds = new ArrayList<>();
    List<PositionRow> positions = new ArrayList<>();
    for (int a = 0; a < market.accountCount(); a++) {
      funds.add(fundsRow(a));
      for (int i = 0; i < instruments; i++) {
        PositionRow row = positionRow(a, i);
        if (row != null) {
          positions.add(row);
        }
      }
    }
    List<OrderRow> orders = new ArrayList<>();
    for (int i = 0; i < instruments; i++) {
      int levels = head[i][0].length;
      for (int l = levels - 1; l >= 0; l--) { // bids, highest first
        for (int slot = head[i][0][l]; slot != NONE; slot = next[slot]) {
          orders.add(orderRow(slot));
        }
      }
      for (int l = 0; l < levels; l++) { // asks, lowest first
        for (int slot = head[i][1][l]; slot != NONE; slot = next[slot]) {
          orders.add(orderRow(slot));
        }
      }
    }
    return new StateImage(lastApplied(), funds, positions, orders);
  }

  @Override
  protected void load(StateImage image) {
    clearBooks();
    slotById.clear();
    freeSlot = NONE;
    usedSlots = 0;
    openCount = 0;
    Arrays.fill(balance, 0);
    Arrays.fill(frozen, 0);
    Arrays.fill(margin, 0);
    Arrays.fill(longQty, 0);
    Arrays.fill(shortQty, 0);
    digest.clear();
    for (FundsRow row : image.funds()) {
      int a = indexOf(row.account());
      balance[a] = row.balance();
      frozen[a] = row.frozen();
      margin[a] = row.margin();
      digest.add(rows.funds(), row);
    }
    for (PositionRow row : image.positions()) {
      int cell = indexOf(row.account()) * instruments + row.instrument();
      longQty[cell] = row.longQty();
      shortQty[cell] = row.shortQty();
      digest.add(rows.positions(), row);
    }
    for (OrderRow row : image.orders()) {
      int slot = allocate();
      orderId[slot] = row.orderId();
      orderAccount[slot] = row.account();
      orderInstrument[slot] = row.instrument();
      orderSide[slot] = row.side();
      orderPrice[slot] = row.priceTicks();
      orderRemaining[slot] = row.remaining();
      link(slot);
      digest.add(rows.orders(), row);
    }
  }

  private int indexOf(long account) {
    int a = market.accountIndex(account);
    if (a < 0) {
      throw new IllegalArgumentException(
          "the snapshot names account " + account + ", not in the market");
    }
    return a;
  }

  @Override
  public PositionRow position(long account, int instrument) {
    int a = indexOf(account);
    PositionRow row = positionRow(a, instrument);
    return row == null ? new PositionRow(account, instrument, 0, 0) : row;
  }

  @Override
  public FundsRow funds(long account) {
    return fundsRow(indexOf(account));
  }

  @Override
  public int openOrders() {
    return openCount;
  }

  /**
   * Fault injection for drills and the demo: adds {@code lots} to an account's long position
   * without an input, as a bug or a bit flip in the standby would. The digest follows the changed
   * record (as the standby's own code would digest its own wrong state), so the next audit finds
   * the difference; {@link #restore} from the primary's snapshot repairs it.
   */
  public void damagePosition(long account, int instrument, long lots) {
    int a = indexOf(account);
    int cell = a * instruments + instrument;
    PositionRow before = positionRow(a, instrument);
    longQty[cell] += lots;
    if (before != null) {
      digest.remove(rows.positions(), before);
    }
    PositionRow after = positionRow(a, instrument);
    if (after != null) {
      digest.add(rows.positions(), after);
    }
  }
}
