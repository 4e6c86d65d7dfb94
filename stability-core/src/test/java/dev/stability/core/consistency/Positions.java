package dev.stability.core.consistency;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import java.math.BigDecimal;

/** Two shapes of the same position record, as two different implementations would hold it. */
final class Positions {
  private Positions() {}

  /** The primary's shape: a record with a BigDecimal price. */
  record Position(
      String account,
      String instrument,
      long longQty,
      long shortQty,
      BigDecimal avgPrice,
      boolean frozen) {

    String key() {
      return account + "|" + instrument;
    }
  }

  /** The standby's shape: a mutable row with the price as a long of 1/10000. */
  static final class Row implements Comparable<Row> {
    final String account;
    final String instrument;
    long longQty;
    long shortQty;
    long avgPrice4;
    boolean frozen;

    Row(
        String account,
        String instrument,
        long longQty,
        long shortQty,
        long avgPrice4,
        boolean frozen) {
      this.account = account;
      this.instrument = instrument;
      this.longQty = longQty;
      this.shortQty = shortQty;
      this.avgPrice4 = avgPrice4;
      this.frozen = frozen;
    }

    Row copy() {
      return new Row(account, instrument, longQty, shortQty, avgPrice4, frozen);
    }

    @Override
    public int compareTo(Row other) {
      int c = account.compareTo(other.account);
      return c != 0 ? c : instrument.compareTo(other.instrument);
    }
  }

  static final RecordEncoder<Position> POSITION =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(Position p, CanonicalWriter out) {
          out.putString("account", p.account());
          out.putString("instrument", p.instrument());
        }

        @Override
        public void encodeValue(Position p, CanonicalWriter out) {
          out.putLong("long_qty", p.longQty());
          out.putLong("short_qty", p.shortQty());
          out.putDecimal("avg_price", p.avgPrice());
          out.putBoolean("frozen", p.frozen());
        }
      };

  static final RecordEncoder<Row> ROW =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "position";
        }

        @Override
        public void encodeKey(Row r, CanonicalWriter out) {
          out.putString("account", r.account);
          out.putString("instrument", r.instrument);
        }

        @Override
        public void encodeValue(Row r, CanonicalWriter out) {
          out.putLong("long_qty", r.longQty);
          out.putLong("short_qty", r.shortQty);
          out.putDecimal("avg_price", r.avgPrice4, 4);
          out.putBoolean("frozen", r.frozen);
        }
      };

  static Row toRow(Position p) {
    return new Row(
        p.account(),
        p.instrument(),
        p.longQty(),
        p.shortQty(),
        p.avgPrice().movePointRight(4).longValueExact(),
        p.frozen());
  }
}
