package dev.stability.examples.trading;

import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A core's state in a form both implementations write and read, so the standby can be rebuilt from
 * the primary's snapshot (and the other way round). Open orders are listed book by book
 * (instrument, then buy before sell, best price first, oldest first within a price), so restoring
 * them in list order keeps their time priority. Immutable.
 *
 * @param lastApplied the journal sequence of the last input in the state
 * @param funds every account's funds
 * @param positions every non-flat position
 * @param orders every open order, in book priority order
 */
public record StateImage(
    long lastApplied, List<FundsRow> funds, List<PositionRow> positions, List<OrderRow> orders) {

  private static final int MAGIC = 0x54434931; // "TCI1"

  /** Copies. */
  public StateImage {
    funds = List.copyOf(funds);
    positions = List.copyOf(positions);
    orders = List.copyOf(orders);
  }

  /** The image as bytes. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeLong(lastApplied);
      out.writeInt(funds.size());
      for (FundsRow f : funds) {
        out.writeLong(f.account());
        out.writeLong(f.balance());
        out.writeLong(f.frozen());
        out.writeLong(f.margin());
      }
      out.writeInt(positions.size());
      for (PositionRow p : positions) {
        out.writeLong(p.account());
        out.writeInt(p.instrument());
        out.writeLong(p.longQty());
        out.writeLong(p.shortQty());
      }
      out.writeInt(orders.size());
      for (OrderRow o : orders) {
        out.writeLong(o.orderId());
        out.writeLong(o.account());
        out.writeInt(o.instrument());
        out.writeByte(o.side());
        out.writeLong(o.priceTicks());
        out.writeLong(o.remaining());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads an image.
   *
   * @throws IllegalArgumentException if the bytes are not a whole image
   */
  public static StateImage fromBytes(byte[] snapshot) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(
            "not a trading core snapshot (magic " + Integer.toHexString(magic) + ")");
      }
      long lastApplied = in.readLong();
      List<FundsRow> funds = new ArrayList<>();
      for (int i = count(in, "funds"); i > 0; i--) {
        funds.add(new FundsRow(in.readLong(), in.readLong(), in.readLong(), in.readLong()));
      }
      List<PositionRow> positions = new ArrayList<>();
      for (int i = count(in, "position"); i > 0; i--) {
        positions.add(new PositionRow(in.readLong(), in.readInt(), in.readLong(), in.readLong()));
      }
      List<OrderRow> orders = new ArrayList<>();
      for (int i = count(in, "order"); i > 0; i--) {
        orders.add(
            new OrderRow(
                in.readLong(),
                in.readLong(),
                in.readInt(),
                in.readByte(),
                in.readLong(),
                in.readLong()));
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException(
            "a trading core snapshot has " + in.available() + " bytes after its end");
      }
      return new StateImage(lastApplied, funds, positions, orders);
    } catch (IOException e) {
      throw new IllegalArgumentException("a trading core snapshot is cut short", e);
    }
  }

  /** Reads a row count; a negative one is corruption, not an empty list. */
  private static int count(DataInputStream in, String rows) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new IllegalArgumentException(
          "a trading core snapshot has a negative count of " + rows + " rows: " + count);
    }
    return count;
  }
}
