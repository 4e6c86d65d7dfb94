package dev.stability.examples.trading;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One input to the trading core as it is journaled: a new limit order or a cancel. The journal
 * payload is a fixed 34-byte little-endian layout: type (1), order id (8), account (8), instrument
 * index (4), side (1), price in ticks (8), quantity in lots (4).
 *
 * @param type {@link #NEW} or {@link #CANCEL}
 * @param orderId the client's order id (a cancel names the order to cancel)
 * @param account the account
 * @param instrument the instrument's index in {@link Market#instruments()}
 * @param side {@link #BUY} or {@link #SELL}
 * @param priceTicks the limit price in ticks
 * @param qty the quantity in lots
 */
public record OrderInput(
    byte type, long orderId, long account, int instrument, byte side, long priceTicks, int qty) {

  /** A new limit order. */
  public static final byte NEW = 1;

  /** A cancel of an open order. */
  public static final byte CANCEL = 2;

  /** Buy (open long or close short). */
  public static final byte BUY = 0;

  /** Sell (open short or close long). */
  public static final byte SELL = 1;

  /** The payload's length in bytes. */
  public static final int LENGTH = 34;

  /** A new limit order. */
  public static OrderInput limit(
      long orderId, long account, int instrument, byte side, long priceTicks, int qty) {
    return new OrderInput(NEW, orderId, account, instrument, side, priceTicks, qty);
  }

  /** A cancel of {@code orderId}, asked for by {@code account}. */
  public static OrderInput cancel(long orderId, long account) {
    return new OrderInput(CANCEL, orderId, account, 0, BUY, 0, 0);
  }

  /** The journal payload. */
  public byte[] encode() {
    return ByteBuffer.allocate(LENGTH)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(type)
        .putLong(orderId)
        .putLong(account)
        .putInt(instrument)
        .put(side)
        .putLong(priceTicks)
        .putInt(qty)
        .array();
  }

  /**
   * Reads a journal payload (from its position, which is left unchanged).
   *
   * @throws IllegalArgumentException if it is not an order input
   */
  public static OrderInput decode(ByteBuffer payload) {
    if (payload.remaining() != LENGTH) {
      throw new IllegalArgumentException(
          "an order input is " + LENGTH + " bytes, got " + payload.remaining());
    }
    ByteBuffer p = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    byte type = p.get();
    if (type != NEW && type != CANCEL) {
      throw new IllegalArgumentException("unknown order input type " + type);
    }
    return new OrderInput(
        type, p.getLong(), p.getLong(), p.getInt(), p.get(), p.getLong(), p.getInt());
  }
}
