package dev.stability.api.consistency;

/**
 * The application's canonical form of one record type (R10): which fields identify a record (the
 * key, which decides its bucket) and which fields hold its state, each written in a fixed order.
 * Both the primary's and the standby's implementation use the same encoder on their own record
 * classes (or one encoder per class that writes the same fields), so equal records give equal
 * digests whatever the classes, maps or {@code BigDecimal} scales behind them. Stateless and
 * thread-safe; keep one instance per type as a constant.
 *
 * <pre>{@code
 * static final RecordEncoder<Position> POSITION = new RecordEncoder<>() {
 *   public String type() { return "position"; }
 *   public void encodeKey(Position p, CanonicalWriter out) {
 *     out.putString("account", p.account());
 *     out.putString("instrument", p.instrument());
 *   }
 *   public void encodeValue(Position p, CanonicalWriter out) {
 *     out.putLong("long_qty", p.longQty());
 *     out.putLong("short_qty", p.shortQty());
 *     out.putDecimal("avg_price", p.avgPriceUnscaled(), 2);
 *   }
 * };
 * }</pre>
 *
 * @param <R> the record class
 */
public interface RecordEncoder<R> {

  /**
   * The record type's stable name, such as {@code position}; part of every record's hash (the whole
   * name: two types never share a hash because their names do). Return a constant: a digest reads
   * it once per encoder instance and caches its work, so an encoder whose name changed later would
   * go on hashing under its first name.
   */
  String type();

  /** Writes the fields that identify the record (they decide its bucket). */
  void encodeKey(R record, CanonicalWriter out);

  /** Writes the record's other fields. */
  void encodeValue(R record, CanonicalWriter out);
}
