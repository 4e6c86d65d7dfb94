package dev.stability.api.consistency;

import java.util.HexFormat;

/**
 * A digest of a set of records at one moment: how many there are and a 128-bit order-independent
 * hash of their canonical forms. Equal sets of records give equal values (R10). Immutable.
 *
 * @param count how many records
 * @param high the high 64 bits of the hash
 * @param low the low 64 bits of the hash
 */
public record DigestValue(long count, long high, long low) {

  /** The digest of no records. */
  public static final DigestValue EMPTY = new DigestValue(0, 0, 0);

  /** The hash as 32 hex digits. */
  public String hex() {
    return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
  }

  /** The digest of the union of two disjoint record sets. */
  public DigestValue plus(DigestValue other) {
    return new DigestValue(count + other.count, high + other.high, low + other.low);
  }

  @Override
  public String toString() {
    return count + "/" + hex();
  }
}
