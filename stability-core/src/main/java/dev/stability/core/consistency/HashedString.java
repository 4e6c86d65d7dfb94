package dev.stability.core.consistency;

import java.util.Objects;

/**
 * A string whose canonical hash is computed once, when it is made, for string fields that a state
 * digest hashes on every mutation: account numbers, instrument codes, order references. Written
 * with {@link dev.stability.api.consistency.CanonicalWriter#putString putString}, it hashes exactly
 * as a {@link String} of the same characters does (so a primary that keeps {@code String} fields
 * and a standby that keeps {@code HashedString} fields hold equal digests), but the digest reads
 * its two precomputed words instead of looking the string up in its cache of recent strings. That
 * cache (256 slots by {@code hashCode}, growing to 16,384 when most lookups miss) misses when a
 * state holds more distinct strings than it has slots, or two strings that share a slot, and a miss
 * hashes the characters again; in a book of thousands of string keys even a hit reads more memory
 * than a {@code HashedString} does.
 *
 * <p>Make one per distinct value where it enters the system (reference data, a new account), keep
 * it in the records and reuse it; making one hashes its characters once and takes about 48 bytes
 * beside the string (56 without compressed references).
 *
 * <pre>{@code
 * record Position(HashedString account, HashedString instrument, long qty) {}
 *
 * HashedString instrument = HashedString.of("IF2612"); // once, from reference data
 * out.putString("instrument", position.instrument());   // in the RecordEncoder
 * }</pre>
 *
 * <p>Immutable and thread-safe. Equal, with an equal {@link #hashCode()}, to another {@code
 * HashedString} of the same characters, never to a {@code String}; ordered by characters as {@link
 * String#compareTo} orders them.
 */
public final class HashedString implements CharSequence, Comparable<HashedString> {

  private final String text;

  /*
   * The two words of the canonical hash, each through MurmurHash3's input mixing for either place
   * in a block, as HashingWriter caches a String's.
   */
  final long firstAsFirst;
  final long firstAsSecond;
  final long secondAsFirst;
  final long secondAsSecond;

  private HashedString(String text) {
    this.text = text;
    long[] mixed = new long[4];
    HashingWriter.mixedStringWords(text, mixed, 0);
    firstAsFirst = mixed[0];
    firstAsSecond = mixed[1];
    secondAsFirst = mixed[2];
    secondAsSecond = mixed[3];
  }

  /**
   * The characters of {@code text}, with their canonical hash.
   *
   * @throws NullPointerException if {@code text} is null (a missing value is written with {@code
   *     putNull}, or as a null field, which {@code putString} writes as {@code putNull})
   */
  public static HashedString of(CharSequence text) {
    Objects.requireNonNull(text, "a HashedString needs characters, got null");
    return text instanceof HashedString h ? h : new HashedString(text.toString());
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public char charAt(int index) {
    return text.charAt(index);
  }

  /** The characters from {@code start} to {@code end}, as a {@link String}. */
  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  /** The characters, as a {@link String}. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HashedString h && text.equals(h.text);
  }

  /** The {@link String#hashCode()} of the characters. */
  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public int compareTo(HashedString other) {
    return text.compareTo(other.text);
  }
}
