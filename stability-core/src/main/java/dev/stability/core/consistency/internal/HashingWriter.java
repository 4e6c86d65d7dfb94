package dev.stability.core.consistency.internal;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import java.math.BigDecimal;

/**
 * Streams a record's canonical form, as 64-bit little-endian words, through MurmurHash3 x64 128
 * (seed 0), without buffering or allocating (except for {@code BigDecimal} values that need
 * normalising). The word sequence is: the type word, then each field's words, then a signature word
 * that encodes the sequence of field kinds (so {@code null} differs from 0 and a decimal from a
 * long). A separate cheap hash of the key's words picks the bucket. Reused; not thread-safe.
 */
public final class HashingWriter implements CanonicalWriter {

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long BIG_FROM = 1_000_000_000_000_000_000L; // 10^18: 19 digits

  private static final int LONG = 1;
  private static final int BOOLEAN = 2;
  private static final int DECIMAL = 3;
  private static final int BIG_DECIMAL = 4;
  private static final int DOUBLE = 5;
  private static final int STRING = 6;
  private static final int NULL = 7;

  private long h1;
  private long h2;
  private long pending;
  private boolean hasPending;
  private long words;
  private long signature;
  private long keyHash;

  /** The two halves of the last finished record's hash. */
  private long resultHigh;

  private long resultLow;

  /** Starts a record of {@code encoder}'s type. */
  public void begin(RecordEncoder<?> encoder) {
    h1 = 0;
    h2 = 0;
    hasPending = false;
    words = 0;
    signature = 1;
    String type = encoder.type();
    // String.hashCode is specified and cached in the string: a free, stable type word.
    word(((long) type.length() << 32) | (type.hashCode() & 0xffffffffL));
  }

  /** Ends the key: what was written so far decides the bucket. */
  public void endKey() {
    // The state after the key words (and the key's signature) is the same in every implementation.
    keyHash =
        (h1 ^ Long.rotateLeft(h2, 23))
            + (hasPending ? pending * GOLDEN : 0)
            + signature * C1
            + words;
  }

  /** Finishes the record; its hash is then in {@link #high()} and {@link #low()}. */
  public void finish() {
    word(signature);
    long k1 = 0;
    if (hasPending) {
      k1 = pending;
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      h1 ^= k1;
    }
    long length = words * 8;
    long a = h1 ^ length;
    long b = h2 ^ length;
    a += b;
    b += a;
    a = fmix64(a);
    b = fmix64(b);
    a += b;
    b += a;
    resultHigh = a;
    resultLow = b;
  }

  /** High half of the last record's hash (MurmurHash3's first output word). */
  public long high() {
    return resultHigh;
  }

  /** Low half of the last record's hash. */
  public long low() {
    return resultLow;
  }

  /** A well-mixed hash of the last record's type and key words, for its bucket. */
  public long keyHash() {
    return fmix64(keyHash);
  }

  private void word(long w) {
    words++;
    if (!hasPending) {
      pending = w;
      hasPending = true;
      return;
    }
    hasPending = false;
    long k1 = pending;
    long k2 = w;
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    k1 *= C2;
    h1 ^= k1;
    h1 = Long.rotateLeft(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    k2 *= C1;
    h2 ^= k2;
    h2 = Long.rotateLeft(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }

  private void kind(int kind) {
    signature = signature * GOLDEN + kind;
  }

  /** A kind with a small part (length, scale, boolean) folded into the signature. */
  private void kind(int kind, long part) {
    signature = signature * GOLDEN + (kind + (part << 3));
  }

  static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  @Override
  public void putLong(String field, long value) {
    kind(LONG);
    word(value);
  }

  @Override
  public void putBoolean(String field, boolean value) {
    kind(BOOLEAN, value ? 1 : 0);
  }

  @Override
  public void putDecimal(String field, long unscaled, int scale) {
    if (unscaled == 0) {
      scale = 0;
    } else {
      while (unscaled % 10 == 0) {
        unscaled /= 10;
        scale--;
      }
      if (unscaled >= BIG_FROM || unscaled <= -BIG_FROM) {
        // 19 digits: the same form as a BigDecimal of that size (rare; allocates).
        putBigDecimal(BigDecimal.valueOf(unscaled, scale));
        return;
      }
    }
    kind(DECIMAL, scale);
    word(unscaled);
  }

  @Override
  public void putDecimal(String field, BigDecimal value) {
    if (value == null) {
      putNull(field);
      return;
    }
    if (value.signum() == 0) {
      putDecimal(field, 0, 0);
      return;
    }
    BigDecimal normal = value.stripTrailingZeros();
    if (normal.precision() <= 18) {
      // No BigInteger: a compact decimal's unscaled value as a long, by moving the point.
      kind(DECIMAL, normal.scale());
      word(normal.scaleByPowerOfTen(normal.scale()).longValueExact());
      return;
    }
    putBigDecimal(normal);
  }

  /** Decimals of 19 digits or more: scale and magnitude bytes. */
  private void putBigDecimal(BigDecimal value) {
    BigDecimal normal = value.stripTrailingZeros();
    byte[] bytes = normal.unscaledValue().toByteArray();
    kind(BIG_DECIMAL, bytes.length);
    word(normal.scale());
    long w = 0;
    for (int i = 0; i < bytes.length; i++) {
      w |= (bytes[i] & 0xffL) << ((i & 7) * 8);
      if ((i & 7) == 7) {
        word(w);
        w = 0;
      }
    }
    if ((bytes.length & 7) != 0) {
      word(w);
    }
  }

  @Override
  public void putDouble(String field, double value) {
    kind(DOUBLE);
    word(value == 0.0 ? 0L : Double.doubleToLongBits(value));
  }

  @Override
  public void putString(String field, CharSequence value) {
    if (value == null) {
      putNull(field);
      return;
    }
    int length = value.length();
    kind(STRING, length);
    int i = 0;
    for (; i + 4 <= length; i += 4) {
      word(
          value.charAt(i)
              | (long) value.charAt(i + 1) << 16
              | (long) value.charAt(i + 2) << 32
              | (long) value.charAt(i + 3) << 48);
    }
    if (i < length) {
      long w = 0;
      for (int shift = 0; i < length; i++, shift += 16) {
        w |= (long) value.charAt(i) << shift;
      }
      word(w);
    }
  }

  @Override
  public void putNull(String field) {
    kind(NULL);
    word(0);
  }
}
