package dev.stability.examples.trading;

import dev.stability.api.annotation.CriticalPath;
import dev.stability.api.annotation.Deterministic;
import dev.stability.examples.trading.Execution.Reject;
import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The primary's implementation: objects in hash maps, a sorted map of FIFO queues per price level,
 * and the risk check as a chain of rule objects.
 */
@Deterministic
public final class MapTradingCore extends TradingCore {

  private static final class Account {
    final long id;
    long balance;
    long frozen;
    long margin;

    Account(long id, long balance) {
      this.id = id;
      this.balance = balance;
    }

    FundsRow row() {
      return new FundsRow(id, balance, frozen, margin);
    }
  }

  private static final class Position {
    final long account;
    final int instrument;
    long longQty;
    long shortQty;

    Position(long account, int instrument) {
      this.account = account;
      this.instrument = instrument;
    }

    PositionRow row() {
      return new PositionRow(account, instrument, longQty, shortQty);
    }
  }

  private record PositionKey(long account, int instrument) {}

  private static final class Order {
    final long id;
    final long account;
    final int instrument;
    final byte side;
    final long price;
    long remaining;

    Order(OrderInput in) {
      this.id = in.orderId();
      this.account = in.account();
      this.instrument = in.instrument();
      this.side = in.side();
      this.price = in.priceTicks();
      this.remaining = in.qty();
    }

    Order(OrderRow row) {
      this.id = row.orderId();
      this.account = row.account();
      this.instrument = row.instrument();
      this.side = row.side();
      this.price = row.priceTicks();
      this.remaining = row.remaining();
    }

    OrderRow row() {
      return new OrderRow(id, account, instrument, side, price, remaining);
    }
  }

  private static final class Book {
    final NavigableMap<Long, ArrayDeque<Order>> bids = new TreeMap<>(Comparator.reverseOrder());
    final NavigableMap<Long, ArrayDeque<Order>> asks = new TreeMap<>();

    NavigableMap<Long, ArrayDeque<Order>> side(byte side) {
      return side == OrderInput.BUY ? bids : asks;
    }
  }

  /** What a risk rule looks at. */
  private record Check(OrderInput in, Account account, Market.Instrument instrument) {}

  /** One rule of the chain: null when it passes. */
  private interface Rule {
    Reject check(Check c);
  }

  private final Map<Long, Account> accounts = new HashMap<>();
  private final Map<PositionKey, Position> positions = new HashMap<>();
  private final Map<Long, Order> open = new HashMap<>();
  private final Book[] books;
  private final List<Rule> entryRules;

  /** A core over {@code market}, every account at its opening balance. */
  public MapTradingCore(Market market) {
    super(market, 64);
    this.books = new Book[market.instruments().size()];
    for (int i = 0; i < books.length; i++) {
      books[i] = new Book();
    }
    this.entryRules =
        List.of(
            c ->
                c.in().side() != OrderInput.BUY && c.in().side() != OrderInput.SELL
                    ? Reject.BAD_SIDE
                    : null,
            c ->
                c.in().qty() < 1 || c.in().qty() > market.maxOrderQty()
                    ? Reject.BAD_QUANTITY
                    : null,
            c ->
                c.in().priceTicks() < c.instrument().lowerLimit()
                        || c.in().priceTicks() > c.instrument().upperLimit()
                    ? Reject.PRICE_LIMIT
                    : null,
            c -> {
              Position p = positions.get(new PositionKey(c.in().account(), c.in().instrument()));
              long held = p == null ? 0 : c.in().side() == OrderInput.BUY ? p.longQty : p.shortQty;
              return held + c.in().qty() > market.positionLimit() ? Reject.POSITION_LIMIT : null;
            },
            c -> {
              long required = c.instrument().orderMarginPerLot(c.in().priceTicks()) * c.in().qty();
              long available = c.account().balance - c.account().frozen - c.account().margin;
              return required > available ? Reject.INSUFFICIENT_FUNDS : null;
            });
    for (long id : market.accounts()) {
      Account account = new Account(id, market.openingBalanceCents());
      accounts.put(id, account);
      digest.add(rows.funds(), account.row());
    }
  }

  @Override
  public String name() {
    return "map-book";
  }

  @Override
  @CriticalPath
  public void execute(OrderInput in, Consumer<Execution> out) {
    if (in.type() == OrderInput.CANCEL) {
      cancel(in, out);
      return;
    }
    if (open.containsKey(in.orderId())) {
      out.accept(Execution.rejected(in.orderId(), Reject.DUPLICATE_ORDER_ID));
      return;
    }
    Account account = accounts.get(in.account());
    if (account == null) {
      out.accept(Execution.rejected(in.orderId(), Reject.UNKNOWN_ACCOUNT));
      return;
    }
    Market.Instrument instrument = market.instrument(in.instrument());
    if (instrument == null) {
      out.accept(Execution.rejected(in.orderId(), Reject.UNKNOWN_INSTRUMENT));
      return;
    }
    Check check = new Check(in, account, instrument);
    for (Rule rule : entryRules) {
      Reject reason = rule.check(check);
      if (reason != null) {
        out.accept(Execution.rejected(in.orderId(), reason));
        return;
      }
    }
    FundsRow before = account.row();
    account.frozen += instrument.orderMarginPerLot(in.priceTicks()) * in.qty();
    digest.replace(rows.funds(), before, account.row());
    out.accept(Execution.accepted(in.orderId()));

    Order taker = new Order(in);
    match(taker, instrument, out);
    if (taker.remaining > 0) {
      books[taker.instrument]
          .side(taker.side)
          .computeIfAbsent(taker.price, p -> new ArrayDeque<>())
          .addLast(taker);
      open.put(taker.id, taker);
      digest.add(rows.orders(), taker.row());
    }
  }

  private void match(Order taker, Market.Instrument instrument, Consumer<Execution> out) {
    NavigableMap<Long, ArrayDeque<Order>> opposite =
        books[taker.instrument].side(
            taker.side == OrderInput.BUY ? OrderInput.SELL : OrderInput.BUY);
    while (taker.remaining > 0 && !opposite.isEmpty()) {
      Map.Entry<Long, ArrayDeque<Order>> best = opposite.firstEntry();
      long price = best.getKey();
      if (taker.side == OrderInput.BUY ? price > taker.price : price < taker.price) {
        return;
      }
      ArrayDeque<Order> level = best.getValue();
      Order maker = level.peekFirst();
      long fill = Math.min(taker.remaining, maker.remaining);
      out.accept(Execution.trade(taker.id, maker.id, price, fill));
      OrderRow makerBefore = maker.row();
      maker.remaining -= fill;
      taker.remaining -= fill;
      if (maker.remaining == 0) {
        level.pollFirst();
        open.remove(maker.id);
        digest.remove(rows.orders(), makerBefore);
        if (level.isEmpty()) {
          opposite.pollFirstEntry();
        }
      } else {
        digest.replace(rows.orders(), makerBefore, maker.row());
      }
      fill(maker, fill, instrument);
      fill(taker, fill, instrument);
    }
  }

  /** Settles one side of a fill: frozen margin released, position and position margin moved. */
  private void fill(Order order, long qty, Market.Instrument instrument) {
    Account account = accounts.get(order.account);
    PositionKey key = new PositionKey(order.account, order.instrument);
    Position position = positions.get(key);
    PositionRow positionBefore = position == null ? null : position.row();
    if (position == null) {
      position = new Position(order.account, order.instrument);
      positions.put(key, position);
    }
    long closed;
    if (order.side == OrderInput.BUY) {
      closed = Math.min(position.shortQty, qty);
      position.shortQty -= closed;
      position.longQty += qty - closed;
    } else {
      closed = Math.min(position.longQty, qty);
      position.longQty -= closed;
      position.shortQty += qty - closed;
    }
    FundsRow fundsBefore = account.row();
    account.frozen -= instrument.orderMarginPerLot(order.price) * qty;
    account.margin += instrument.positionMarginPerLot() * (qty - 2 * closed);
    digest.replace(rows.funds(), fundsBefore, account.row());

    boolean flat = position.longQty == 0 && position.shortQty == 0;
    if (positionBefore == null) {
      if (flat) {
        positions.remove(key);
      } else {
        digest.add(rows.positions(), position.row());
      }
    } else if (flat) {
      positions.remove(key);
      digest.remove(rows.positions(), positionBefore);
    } else {
      digest.replace(rows.positions(), positionBefore, position.row());
    }
  }

  private void cancel(OrderInput in, Consumer<Execution> out) {
    Order order = open.get(in.orderId());
    if (order == null) {
      out.accept(Execution.rejected(in.orderId(), Reject.UNKNOWN_ORDER));
      return;
    }
    if (order.account != in.account()) {
      out.accept(Execution.rejected(in.orderId(), Reject.NOT_OWNER));
      return;
    }
    NavigableMap<Long, ArrayDeque<Order>> side = books[order.instrument].side(order.side);
    ArrayDeque<Order> level = side.get(order.price);
    level.remove(order);
    if (level.isEmpty()) {
      side.remove(order.price);
    }
    open.remove(order.id);
    digest.remove(rows.orders(), order.row());
    Account account = accounts.get(order.account);
    FundsRow before = account.row();
    account.frozen -=
        market.instrument(order.instrument).orderMarginPerLot(order.price) * order.remaining;
    digest.replace(rows.funds(), before, account.row());
    out.accept(Execution.cancelled(order.id, order.remaining));
  }

  @Override
  public StateImage image() {
    List<FundsRow> funds = new ArrayList<>();
    accounts.values().forEach(a -> funds.add(a.row()));
    funds.sort(Comparator.comparingLong(FundsRow::account));
    List<PositionRow> held = new ArrayList<>();
    positions.values().forEach(p -> held.add(p.row()));
    held.sort(
        Comparator.comparingLong(PositionRow::account).thenComparingInt(PositionRow::instrument));
    List<OrderRow> orders = new ArrayList<>();
    for (Book book : books) {
      for (ArrayDeque<Order> level : book.bids.values()) {
        level.forEach(o -> orders.add(o.row()));
      }
      for (ArrayDeque<Order> level : book.asks.values()) {
        level.forEach(o -> orders.add(o.row()));
      }
    }
    return new StateImage(lastApplied(), funds, held, orders);
  }

  @Override
  protected void load(StateImage image) {
    accounts.clear();
    positions.clear();
    open.clear();
    for (Book book : books) {
      book.bids.clear();
      book.asks.clear();
    }
    digest.clear();
    for (FundsRow row : image.funds()) {
      Account account = new Account(row.account(), row.balance());
      account.frozen = row.frozen();
      account.margin = row.margin();
      accounts.put(row.account(), account);
      digest.add(rows.funds(), row);
    }
    for (PositionRow row : image.positions()) {
      Position position = new Position(row.account(), row.instrument());
      position.longQty = row.longQty();
      position.shortQty = row.shortQty();
      positions.put(new PositionKey(row.account(), row.instrument()), position);
      digest.add(rows.positions(), row);
    }
    for (OrderRow row : image.orders()) {
      Order order = new Order(row);
      books[order.instrument]
          .side(order.side)
          .computeIfAbsent(order.price, p -> new ArrayDeque<>())
          .addLast(order);
      open.put(order.id, order);
      digest.add(rows.orders(), row);
    }
  }

  @Override
  public PositionRow position(long account, int instrument) {
    Position p = positions.get(new PositionKey(account, instrument));
    return p == null ? new PositionRow(account, instrument, 0, 0) : p.row();
  }

  @Override
  public FundsRow funds(long account) {
    Account a = accounts.get(account);
    if (a == null) {
      throw new IllegalArgumentException("no account " + account);
    }
    return a.row();
  }

  @Override
  public int openOrders() {
    return open.size();
  }
}
