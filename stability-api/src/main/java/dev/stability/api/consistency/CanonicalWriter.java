package dev.stability.api.consistency;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link RecordEncoder} writes a record's fields, in a fixed order, so that two
 * implementations that hold the same record in different shapes produce the same canonical form
 * (R10). The canonical rules:
 *
 * <ul>
 *   <li>every field is written, in the order the encoder defines, with its name (names are used in
 *       diffs, not in the digest);
 *   <li>integers of any width are one 64-bit value; booleans are 0 or 1;
 *   <li>decimals are compared by value: {@code 1.50}, {@code 1.5} and {@code 15 x 10^-1} are equal,
 *       whatever the scale or class they are given in; prefer {@link #putDecimal(String, long,
 *       int)}, which allocates nothing for a value with at most 8 decimal places (after trailing
 *       zeros) and a magnitude below about 9.2 x 10^10, the range of prices, quantities and amounts
 *       (other decimals are correct too, and allocate);
 *   <li>doubles are compared by value with {@code -0.0} equal to {@code 0.0} and one NaN; use them
 *       only where both implementations compute bit-identical results;
 *   <li>strings are their UTF-16 code units; enums should be written by {@code name()}, never by
 *       ordinal;
 *   <li>an absent value is {@link #putNull}, which differs from every value, including 0 and "".
 * </ul>
 *
 * <p>Implementations are reused and not thread-safe; the hashing one allocates nothing except for
 * decimals outside the range above.
 */
public interface CanonicalWriter {

  /** A 64-bit integer (also for int, short, byte, char and epoch timestamps). */
  void putLong(String field, long value);

  /** A boolean. */
  void putBoolean(String field, boolean value);

  /**
   * A decimal given as unscaled value and scale ({@code 39998, 1} is 3999.8); no allocation in the
   * range given above.
   */
  void putDecimal(String field, long unscaled, int scale);

  /**
   * A decimal; allocates nothing in the range given above when the value's unscaled digits fit a
   * long (precision of 18 or less), and may allocate otherwise; {@code null} is written as {@link
   * #putNull}.
   */
  void putDecimal(String field, @Nullable BigDecimal value);

  /** A double, for values both implementations compute identically. */
  void putDouble(String field, double value);

  /**
   * A string (or an enum's {@code name()}); {@code null} is written as {@link #putNull}. Any {@link
   * CharSequence} of the same characters gives the same canonical form. The SDK's digest hashes a
   * {@code String}'s characters and keeps the hash for the strings it saw last (a lookup per field,
   * and a new hash when the string is not among them); stability-core's {@code HashedString}
   * carries its hash and costs neither, for string fields on a hot path.
   */
  void putString(String field, @Nullable CharSequence value);

  /** An absent value. */
  void putNull(String field);
}
