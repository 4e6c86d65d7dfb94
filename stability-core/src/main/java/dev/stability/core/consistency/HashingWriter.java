package dev.stability.core.consistency;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * Streams a record's canonical form, as 64-bit little-endian words, through MurmurHash3 x64 128
 * (seed 0), without buffering or allocating (except for decimals outside the fixed form, below).
 * The word sequence:
 *
 * <ul>
 *   <li>the type block: the two output words of MurmurHash3 x64 128 (seed 0) of the type name's
 *       UTF-16LE bytes;
 *   <li>per field: a long or a double, its 64 bits (a double's {@code -0.0} as {@code 0.0}); a
 *       decimal, its value in units of 10^-8 when it is a whole number of such units that fits a
 *       long ({@code 3999.85} is 399 985 000 000, whatever its scale or class), otherwise its
 *       normalised scale and the bytes of its unscaled value; a string, the two output words of
 *       MurmurHash3 x64 128 (seed 0) of its UTF-16LE code units; a {@code null}, a zero word; a
 *       boolean, no word;
 *   <li>a signature word that encodes the sequence of field kinds, with a boolean's value and the
 *       length of a decimal's bytes (so {@code null}, {@code false}, 0, 0.0 and {@code ""} all
 *       differ, and a fixed-form decimal differs from a long);
 *   <li>a zero word if needed to make the stream a whole number of 16-byte blocks.
 * </ul>
 *
 * <p>Each word is mixed in as soon as it is written (MurmurHash3's first half-block step needs only
 * the first word of the block), so no word is held back; the stream never ends in a partial block,
 * so MurmurHash3's tail step is never needed. A separate cheap hash of the state after the key
 * picks the bucket. Small caches keep work out of the common case: the hash state after the type
 * block, per encoder (the last one, then a few keyed on identity, so a call site that feeds several
 * record types does not call {@code type()} each time) and per type name (keyed on the name's
 * identity), and the two words of a string, per string (slot by {@code hashCode}, checked by
 * identity, then by the slot's hash code and content), kept already through MurmurHash3's input
 * mixing for either place in a block, so that a cached string's words cost only the block step. The
 * string cache starts with {@value #STRING_SLOTS_AT_FIRST} slots and doubles, up to {@value
 * #STRING_SLOTS_AT_MOST}, when a quarter of the strings of a window of {@value #STRING_WINDOW} had
 * to be hashed (a state with more distinct strings than slots); a string it does not hold is hashed
 * from its characters copied into a reused array. A {@link HashedString} carries the same four
 * values, computed when it was made, and needs no lookup. Reused; not thread-safe: each digest has
 * its own writer and cache, nothing is shared between digests or threads.
 */
final class HashingWriter implements CanonicalWriter {

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Decimals are written as whole multiples of 10^-8 when they can be. */
  private static final int FIXED_SCALE = 8;

  /** 10^k, by k, for k = 0 to 8. */
  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L
  };

  private static final int LONG = 1;
  private static final int BOOLEAN = 2;
  private static final int DECIMAL = 3;
  private static final int BIG_DECIMAL = 4;
  private static final int DOUBLE = 5;
  private static final int STRING = 6;
  private static final int NULL = 7;

  /** Type names whose state after the type block is cached: slot by hash code, identity keyed. */
  private static final int TYPE_SLOTS = 8;

  /** The string cache's slots at first. */
  static final int STRING_SLOTS_AT_FIRST = 256;

  /**
   * The most slots the string cache grows to: 40 bytes a slot with its words and hash code (about
   * 640 KB, with compressed references), reached only by a state with thousands of distinct
   * strings.
   */
  static final int STRING_SLOTS_AT_MOST = 16384;

  /** Strings written between two looks at the cache's miss rate. */
  static final int STRING_WINDOW = 4096;

  /** Misses in a window that make the cache grow (a quarter of the strings written). */
  static final int STRING_MISSES_TO_GROW = STRING_WINDOW / 4;

  private final String[] cachedTypes = new String[TYPE_SLOTS];

  /** Strings whose hash is cached: slot by hash code, checked by identity, then by content. */
  private String[] cachedStrings = new String[STRING_SLOTS_AT_FIRST];

  /** Per slot, the {@code hashCode} of the string whose words it holds. */
  private int[] cachedStringHashes = new int[STRING_SLOTS_AT_FIRST];

  /**
   * Per slot, the string's two hash words already put through MurmurHash3's input mixing, for a
   * block's first and for its second word: first word as first, as second; second word as first, as
   * second. So a cached string's words cost the block step only.
   */
  private long[] cachedStringMixes = new long[4 * STRING_SLOTS_AT_FIRST];

  private int stringMask = STRING_SLOTS_AT_FIRST - 1;
  private int stringsWritten;
  private int stringMisses;

  /** The characters of a string whose words are computed, reused (longer strings go by charAt). */
  private final char[] chars = new char[64];

  private final long[] scratch = new long[2];
  private final long[] cachedStates = new long[2 * TYPE_SLOTS];
  private final RecordEncoder<?>[] cachedEncoders = new RecordEncoder<?>[TYPE_SLOTS];
  private final long[] encoderStates = new long[2 * TYPE_SLOTS];
  private RecordEncoder<?> lastEncoder;
  private long lastH1;
  private long lastH2;

  private long h1;
  private long h2;
  private long words;
  private long signature;
  private long keyHash;

  /** The two halves of the last finished record's hash. */
  private long resultHigh;

  private long resultLow;

  /** Starts a record of {@code encoder}'s type. */
  public void begin(RecordEncoder<?> encoder) {
    if (encoder == lastEncoder) {
      h1 = lastH1;
      h2 = lastH2;
    } else {
      beginOther(encoder);
    }
    words = 2;
    signature = 1;
  }

  /** Another encoder than the last one: from the per-encoder cache, filled on a miss. */
  private void beginOther(RecordEncoder<?> encoder) {
    int e = System.identityHashCode(encoder) & (TYPE_SLOTS - 1);
    if (cachedEncoders[e] != encoder) {
      cacheEncoder(encoder, e);
    }
    h1 = lastH1 = encoderStates[2 * e];
    h2 = lastH2 = encoderStates[2 * e + 1];
    lastEncoder = encoder;
  }

  /**
   * Reads {@code encoder}'s type once and keeps the state after its type block in slot {@code e}.
   */
  private void cacheEncoder(RecordEncoder<?> encoder, int e) {
    String type = encoder.type();
    int slot = type.hashCode() & (TYPE_SLOTS - 1);
    if (cachedTypes[slot] != type) {
      cacheType(type, slot);
    }
    encoderStates[2 * e] = cachedStates[2 * slot];
    encoderStates[2 * e + 1] = cachedStates[2 * slot + 1];
    cachedEncoders[e] = encoder;
  }

  /** Computes the hash state after {@code type}'s block and keeps it in {@code slot}. */
  private void cacheType(String type, int slot) {
    murmur3Utf16(type, cachedStates, 2 * slot);
    long a = mixH1(0, 0, cachedStates[2 * slot]);
    long b = mixH2(a, 0, cachedStates[2 * slot + 1]);
    cachedStates[2 * slot] = a;
    cachedStates[2 * slot + 1] = b;
    cachedTypes[slot] = type;
  }

  /** Ends the key: what was written so far decides the bucket. */
  public void endKey() {
    // The state after the key words (and the key's signature) is the same in every implementation.
    keyHash = (h1 ^ Long.rotateLeft(h2, 23)) + signature * C1 + words;
  }

  /** Finishes the record; its hash is then in {@link #high()} and {@link #low()}. */
  public void finish() {
    word(signature);
    if ((words & 1) != 0) {
      word(0);
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

  /** MurmurHash3's block step for the first word of a block: needs only that word and h2. */
  private static long mixH1(long h1, long h2, long k1) {
    return stepH1(h1, h2, inputH1(k1));
  }

  /** MurmurHash3's block step for the second word of a block (after the first one's). */
  private static long mixH2(long h1, long h2, long k2) {
    return stepH2(h1, h2, inputH2(k2));
  }

  /** MurmurHash3's mixing of a block's first word before it meets the state. */
  private static long inputH1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  /** MurmurHash3's mixing of a block's second word before it meets the state. */
  private static long inputH2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  /** The rest of the block step for a first word, given its mixed input. */
  private static long stepH1(long h1, long h2, long mixed) {
    h1 ^= mixed;
    h1 = Long.rotateLeft(h1, 27);
    h1 += h2;
    return h1 * 5 + 0x52dce729;
  }

  /** The rest of the block step for a second word, given its mixed input. */
  private static long stepH2(long h1, long h2, long mixed) {
    h2 ^= mixed;
    h2 = Long.rotateLeft(h2, 31);
    h2 += h1;
    return h2 * 5 + 0x38495ab5;
  }

  private void word(long w) {
    long n = words;
    words = n + 1;
    if ((n & 1) == 0) {
      h1 = mixH1(h1, h2, w);
    } else {
      h2 = mixH2(h1, h2, w);
    }
  }

  /**
   * A word whose input mixing was done ahead: {@code asFirst} if it is a block's first word, {@code
   * asSecond} otherwise (the same as {@link #word} of the word they were made from).
   */
  private void mixedWord(long asFirst, long asSecond) {
    long n = words;
    words = n + 1;
    if ((n & 1) == 0) {
      h1 = stepH1(h1, h2, asFirst);
    } else {
      h2 = stepH2(h1, h2, asSecond);
    }
  }

  /**
   * MurmurHash3 x64 128 (seed 0) of the UTF-16LE bytes of {@code s}, its first and second output
   * words stored at {@code out[at]} and {@code out[at + 1]}: once per type name, and per string the
   * cache does not hold.
   */
  private static void murmur3Utf16(CharSequence s, long[] out, int at) {
    int length = s.length();
    long a = 0;
    long b = 0;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      a = mixH1(a, b, chars4(s, i, 4));
      b = mixH2(a, b, chars4(s, i + 4, 4));
    }
    int rest = length - i;
    if (rest > 4) {
      b ^= inputH2(chars4(s, i + 4, rest - 4));
    }
    if (rest > 0) {
      a ^= inputH1(chars4(s, i, Math.min(rest, 4)));
    }
    long bytes = 2L * length;
    a ^= bytes;
    b ^= bytes;
    a += b;
    b += a;
    a = fmix64(a);
    b = fmix64(b);
    a += b;
    b += a;
    out[at] = a;
    out[at + 1] = b;
  }

  /** {@link #murmur3Utf16(CharSequence, long[], int)} of the first {@code length} of {@code c}. */
  private static void murmur3Utf16(char[] c, int length, long[] out, int at) {
    long a = 0;
    long b = 0;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      a = mixH1(a, b, chars4(c, i));
      b = mixH2(a, b, chars4(c, i + 4));
    }
    int rest = length - i;
    if (rest > 0) {
      // The tail, zero-padded: the characters after the string's end must not count.
      long low = 0;
      long high = 0;
      for (int j = 0; j < rest; j++) {
        long unit = c[i + j];
        if (j < 4) {
          low |= unit << (16 * j);
        } else {
          high |= unit << (16 * (j - 4));
        }
      }
      if (rest > 4) {
        b ^= inputH2(high);
      }
      a ^= inputH1(low);
    }
    long bytes = 2L * length;
    a ^= bytes;
    b ^= bytes;
    a += b;
    b += a;
    a = fmix64(a);
    b = fmix64(b);
    a += b;
    b += a;
    out[at] = a;
    out[at + 1] = b;
  }

  /** Four UTF-16 units of {@code c} from {@code from}, little-endian. */
  private static long chars4(char[] c, int from) {
    return c[from] | (long) c[from + 1] << 16 | (long) c[from + 2] << 32 | (long) c[from + 3] << 48;
  }

  /** Up to four UTF-16 units from {@code from}, little-endian. */
  private static long chars4(CharSequence s, int from, int count) {
    long w = 0;
    for (int j = 0; j < count; j++) {
      w |= (long) s.charAt(from + j) << (16 * j);
    }
    return w;
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
    kind(LONG, 0);
    word(value);
  }

  @Override
  public void putBoolean(String field, boolean value) {
    kind(BOOLEAN, value ? 1 : 0);
  }

  @Override
  public void putDecimal(String field, long unscaled, int scale) {
    if (scale > FIXED_SCALE) {
      // More than 8 decimal places: only trailing zeros (at most 18) can bring it into the fixed
      // form.
      if (unscaled == 0) {
        scale = 0;
      }
      while (scale > FIXED_SCALE && unscaled % 10 == 0) {
        unscaled /= 10;
        scale--;
      }
    }
    if (scale >= 0 && scale <= FIXED_SCALE) {
      long factor = POW10[FIXED_SCALE - scale];
      long units = unscaled * factor;
      if (Math.multiplyHigh(unscaled, factor) == (units >> 63)) {
        kind(DECIMAL, 0);
        word(units);
        return;
      }
    }
    putDecimalRare(field, BigDecimal.valueOf(unscaled, scale));
  }

  @Override
  public void putDecimal(String field, @Nullable BigDecimal value) {
    if (value == null) {
      putNull(field);
      return;
    }
    int scale = value.scale();
    if (scale >= 0 && value.precision() <= 18) {
      // The unscaled value as a long without making a BigInteger: move the point to the end.
      putDecimal(field, value.scaleByPowerOfTen(scale).longValueExact(), scale);
    } else {
      putDecimalRare(field, value);
    }
  }

  /**
   * A decimal outside the fast path: in the fixed form if it is a whole number of 10^-8 units that
   * fits a long, as every fast-path value is, otherwise as its normalised scale and the bytes of
   * its unscaled value. Allocates.
   */
  private void putDecimalRare(String field, BigDecimal value) {
    BigDecimal units;
    try {
      units = value.scaleByPowerOfTen(FIXED_SCALE).stripTrailingZeros();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "decimal field '" + field + "' has a scale out of range: " + value.scale(), e);
    }
    // A long has at most 19 digits: test that before making a BigInteger of a huge value.
    if (units.scale() <= 0 && units.precision() - units.scale() <= 19) {
      BigInteger whole = units.toBigIntegerExact();
      if (whole.bitLength() <= 63) {
        kind(DECIMAL, 0);
        word(whole.longValue());
        return;
      }
    }
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
    kind(DOUBLE, 0);
    word(value == 0.0 ? 0L : Double.doubleToLongBits(value));
  }

  @Override
  public void putString(String field, @Nullable CharSequence value) {
    if (value instanceof String s) {
      if (++stringsWritten == STRING_WINDOW) {
        endStringWindow(); // before the lookup: it may replace the cache
      }
      int hash = s.hashCode();
      int slot = hash & stringMask;
      if (cachedStrings[slot] != s) {
        cacheString(s, hash, slot);
      }
      kind(STRING, 0);
      long[] mixes = cachedStringMixes;
      int at = 4 * slot;
      mixedWord(mixes[at], mixes[at + 1]);
      mixedWord(mixes[at + 2], mixes[at + 3]);
    } else if (value instanceof HashedString h) {
      // The same words as the String of the same characters, mixed when it was made: no lookup.
      kind(STRING, 0);
      mixedWord(h.firstAsFirst, h.firstAsSecond);
      mixedWord(h.secondAsFirst, h.secondAsSecond);
    } else {
      putOtherString(field, value);
    }
  }

  /**
   * Makes {@code slot} hold {@code s}: the same words if the string there has the same characters
   * (another object of the same value), new ones otherwise. The slot's hash code is compared first,
   * so that a slot held by another value is replaced without reading that string's characters. Kept
   * out of {@link #putString} so that it stays small to inline.
   */
  private void cacheString(String s, int hash, int slot) {
    if (cachedStringHashes[slot] != hash || !s.equals(cachedStrings[slot])) {
      stringMisses++;
      stringWords(s, cachedStringMixes, 4 * slot);
      cachedStringHashes[slot] = hash;
    }
    cachedStrings[slot] = s;
  }

  /**
   * Every {@link #STRING_WINDOW} strings: if a quarter or more of them had to be hashed, the state
   * holds more distinct strings than the cache has slots, and the cache doubles (from {@value
   * #STRING_SLOTS_AT_FIRST} up to {@value #STRING_SLOTS_AT_MOST} slots, empty again). A cache that
   * is large enough stays as it is.
   */
  private void endStringWindow() {
    if (stringMisses >= STRING_MISSES_TO_GROW && cachedStrings.length < STRING_SLOTS_AT_MOST) {
      int slots = 2 * cachedStrings.length;
      cachedStrings = new String[slots];
      cachedStringHashes = new int[slots];
      cachedStringMixes = new long[4 * slots];
      stringMask = slots - 1;
    }
    stringsWritten = 0;
    stringMisses = 0;
  }

  /** How many slots the string cache has now (for tests). */
  int stringSlots() {
    return cachedStrings.length;
  }

  /**
   * {@link #mixedStringWords} of a {@link String}, its characters copied into a reused array first
   * (one bulk copy instead of a call per character) when they fit in it.
   */
  private void stringWords(String s, long[] out, int at) {
    int length = s.length();
    if (length > chars.length) {
      mixedStringWords(s, out, at);
      return;
    }
    s.getChars(0, length, chars, 0);
    murmur3Utf16(chars, length, out, at);
    premix(out, at);
  }

  /**
   * The two words of {@code s}'s canonical hash, each through MurmurHash3's input mixing for a
   * block's first and for its second place, into {@code out[at]} to {@code out[at + 3]}: first word
   * as first, as second; second word as first, as second.
   */
  static void mixedStringWords(CharSequence s, long[] out, int at) {
    murmur3Utf16(s, out, at);
    premix(out, at);
  }

  /** The two words at {@code out[at]}, {@code out[at + 1]} through the input mixing, in place. */
  private static void premix(long[] out, int at) {
    long first = out[at];
    long second = out[at + 1];
    out[at] = inputH1(first);
    out[at + 1] = inputH2(first);
    out[at + 2] = inputH1(second);
    out[at + 3] = inputH2(second);
  }

  /** A {@code null} or another {@link CharSequence}: never cached. */
  private void putOtherString(String field, CharSequence value) {
    if (value == null) {
      putNull(field);
      return;
    }
    kind(STRING, 0);
    murmur3Utf16(value, scratch, 0);
    word(scratch[0]);
    word(scratch[1]);
  }

  @Override
  public void putNull(String field) {
    kind(NULL, 0);
    word(0);
  }
}
