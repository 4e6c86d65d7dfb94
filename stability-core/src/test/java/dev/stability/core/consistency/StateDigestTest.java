package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StateDigestTest {

  private static RecordEncoder<Object> encoder(
      String type, BiConsumer<Object, CanonicalWriter> value) {
    return new RecordEncoder<>() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public void encodeKey(Object record, CanonicalWriter out) {
        out.putString("id", "K1");
      }

      @Override
      public void encodeValue(Object record, CanonicalWriter out) {
        value.accept(record, out);
      }
    };
  }

  private static String digestOf(RecordEncoder<Object> encoder) {
    StateDigest digest = StateDigests.create(4);
    digest.add(encoder, new Object());
    return digest.value().hex();
  }

  /** The record hash of {@code type} with the given value fields and no key, by the writer. */
  private static long[] writerHash(String type, Consumer<CanonicalWriter> value) {
    HashingWriter writer = new HashingWriter();
    RecordEncoder<Object> encoder = encoder(type, (r, out) -> value.accept(out));
    writer.begin(encoder);
    writer.endKey();
    encoder.encodeValue(null, writer);
    writer.finish();
    return new long[] {writer.high(), writer.low()};
  }

  /**
   * Guava's MurmurHash3 x64 128 (seed 0) of the canonical words: the two halves of Guava's hash of
   * the type name in UTF-16LE, then {@code words}, little-endian.
   */
  private static long[] referenceHash(String type, long... words) {
    byte[] typeHash = Hashing.murmur3_128(0).hashString(type, StandardCharsets.UTF_16LE).asBytes();
    ByteBuffer bytes = ByteBuffer.allocate(16 + 8 * words.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.put(typeHash);
    for (long w : words) {
      bytes.putLong(w);
    }
    HashCode reference = Hashing.murmur3_128(0).hashBytes(bytes.array());
    ByteBuffer ref = ByteBuffer.wrap(reference.asBytes()).order(ByteOrder.LITTLE_ENDIAN);
    return new long[] {ref.getLong(), ref.getLong()};
  }

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Guava's MurmurHash3 x64 128 (seed 0) of {@code s}'s UTF-16LE units, as two words. */
  private static long[] murmur(String s) {
    byte[] hash = Hashing.murmur3_128(0).hashString(s, StandardCharsets.UTF_16LE).asBytes();
    ByteBuffer words = ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN);
    return new long[] {words.getLong(), words.getLong()};
  }

  @Test
  void theRecordHashIsMurmurHash3X64Of128BitsOverTheCanonicalWords() {
    // Type "t", one long field 5: type block, 5, signature (1 * GOLDEN + LONG): two whole blocks.
    assertThat(writerHash("t", out -> out.putLong("v", 5)))
        .containsExactly(referenceHash("t", 5, GOLDEN + 1));
    // Two longs: type block, 5, 6, signature and a zero word to complete the last block.
    long twoLongs = (GOLDEN + 1) * GOLDEN + 1;
    assertThat(
            writerHash(
                "position",
                out -> {
                  out.putLong("a", 5);
                  out.putLong("b", 6);
                }))
        .containsExactly(referenceHash("position", 5, 6, twoLongs, 0));
    // A string: the two words of MurmurHash3 x64 128 of its UTF-16LE units; kind 6. A HashedString
    // is the same words. After a long, they fall on a block's second half and the next one's first.
    long[] units = murmur("A001\u20ac345\u00e9");
    for (CharSequence s : List.of("A001\u20ac345\u00e9", HashedString.of("A001\u20ac345\u00e9"))) {
      assertThat(writerHash("order", out -> out.putString("s", s)))
          .as("%s", s.getClass())
          .containsExactly(referenceHash("order", units[0], units[1], GOLDEN + 6, 0));
      assertThat(
              writerHash(
                  "order",
                  out -> {
                    out.putLong("n", 7);
                    out.putString("s", s);
                  }))
          .as("%s after a long", s.getClass())
          .containsExactly(
              referenceHash("order", 7, units[0], units[1], (GOLDEN + 1) * GOLDEN + 6));
    }
    // A decimal: its value in units of 10^-8 (3999.85 = 399 985 000 000), kind 3, whatever the
    // scale it is given in.
    long[] decimal = referenceHash("p", 399_985_000_000L, GOLDEN + 3);
    assertThat(writerHash("p", out -> out.putDecimal("d", 399_985, 2))).containsExactly(decimal);
    assertThat(writerHash("p", out -> out.putDecimal("d", 39_998_500, 4))).containsExactly(decimal);
    assertThat(writerHash("p", out -> out.putDecimal("d", new BigDecimal("3999.8500000000"))))
        .containsExactly(decimal);
    // Type names of every length up to two blocks (MurmurHash3's tail cases).
    String name = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int n = 0; n <= name.length(); n++) {
      String type = name.substring(0, n);
      long v = n;
      assertThat(writerHash(type, out -> out.putLong("v", v)))
          .as("type %s", type)
          .containsExactly(referenceHash(type, v, GOLDEN + 1));
    }
  }

  @Test
  void aStringsHashDependsOnItsCharactersOnlyNotOnItsClass() {
    assertThat(
            digestOf(encoder("p", (r, out) -> out.putString("x", new StringBuilder("caf\u00e9")))))
        .isEqualTo(digestOf(encoder("p", (r, out) -> out.putString("x", "caf\u00e9"))));
  }

  @Test
  void stringsKeepTheirHashesWhateverTheCacheHolds() {
    // More strings than the cache has slots, equal copies of them, and strings whose Java hash
    // codes are equal ("Aa" and "BB" share a slot): each must hash as it does alone.
    StateDigest mixed = StateDigests.create(4);
    DigestValue expected = DigestValue.EMPTY;
    java.util.List<String> strings = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      strings.add("A" + (1_000_000 + i));
    }
    strings.add("Aa");
    strings.add("BB");
    for (int round = 0; round < 3; round++) {
      for (String s : strings) {
        String value = round == 1 ? new String(s) : s; // an equal copy on the second round
        RecordEncoder<Object> encoder = encoder("p", (r, out) -> out.putString("x", value));
        mixed.add(encoder, new Object());
        StateDigest alone = StateDigests.create(4);
        alone.add(encoder(new String("p"), (r, out) -> out.putString("x", s)), new Object());
        expected = expected.plus(alone.value());
      }
    }
    assertThat(mixed.value()).isEqualTo(expected);
    assertThat(digestOf(encoder("p", (r, out) -> out.putString("x", "Aa"))))
        .isNotEqualTo(digestOf(encoder("p", (r, out) -> out.putString("x", "BB"))));
  }

  @Test
  void decimalsAtTheEdgeOfTheFixedFormAgreeInEveryRepresentation() {
    // Long.MAX_VALUE units of 10^-8 is the largest fixed-form decimal; one unit more, more than 8
    // places and negative scales take the general form. Each value must hash alike from a long
    // with any scale and from BigDecimals with or without trailing zeros.
    java.util.List<BigDecimal> values =
        java.util.List.of(
            BigDecimal.valueOf(Long.MAX_VALUE, 8),
            BigDecimal.valueOf(Long.MIN_VALUE, 8),
            BigDecimal.valueOf(Long.MAX_VALUE, 8).add(BigDecimal.valueOf(1, 8)),
            new BigDecimal("0.123456789"),
            new BigDecimal("1E+12"),
            new BigDecimal("-42.00000001"),
            new BigDecimal("123456789012345678901234567890.5"));
    java.util.Set<String> distinct = new java.util.HashSet<>();
    for (BigDecimal value : values) {
      BigDecimal stripped = value.stripTrailingZeros();
      String expected = digestOf(encoder("p", (r, out) -> out.putDecimal("d", stripped)));
      distinct.add(expected);
      BigDecimal padded = stripped.setScale(Math.max(stripped.scale(), 0) + 5);
      assertThat(digestOf(encoder("p", (r, out) -> out.putDecimal("d", padded))))
          .as("%s as %s", value, padded)
          .isEqualTo(expected);
      if (padded.precision() <= 18) {
        long unscaled = padded.unscaledValue().longValueExact();
        int scale = padded.scale();
        assertThat(digestOf(encoder("p", (r, out) -> out.putDecimal("d", unscaled, scale))))
            .as("%s as a long", value)
            .isEqualTo(expected);
      }
    }
    assertThat(distinct).hasSameSizeAs(values);
    assertThat(digestOf(encoder("p", (r, out) -> out.putDecimal("d", 0, Integer.MAX_VALUE))))
        .as("zero with any scale")
        .isEqualTo(digestOf(encoder("p", (r, out) -> out.putDecimal("d", 0, 0))));
  }

  @Test
  void aDecimalWhoseScaleCannotBeNormalisedIsRefusedWithItsFieldName() {
    assertThatThrownBy(
            () ->
                digestOf(
                    encoder("p", (r, out) -> out.putDecimal("price", 7, Integer.MIN_VALUE + 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decimal field 'price' has a scale out of range");
    // Refused before the sums change, and the next record hashes as it does alone.
    StateDigest digest = StateDigests.create(4);
    RecordEncoder<Object> good = encoder("p", (r, out) -> out.putDecimal("price", 39_998, 1));
    digest.add(good, new Object());
    DigestValue before = digest.value();
    assertThatThrownBy(
            () ->
                digest.add(
                    encoder("p", (r, out) -> out.putDecimal("price", 7, Integer.MIN_VALUE + 1)),
                    new Object()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(digest.value()).as("nothing was added or lost").isEqualTo(before);
    digest.remove(good, new Object());
    assertThat(digest.value()).isEqualTo(DigestValue.EMPTY);
  }

  @Test
  void encodersTakenInTurnKeepTheirOwnHashes() {
    // One call site fed by 20 encoder instances in turn (more than the per-encoder cache holds;
    // pairs of instances share a type name), five rounds: every record hashes as it does alone.
    List<RecordEncoder<Object>> encoders = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long value = i;
      encoders.add(encoder("type" + (i / 2), (r, out) -> out.putLong("x", value)));
    }
    StateDigest mixed = StateDigests.create(4);
    DigestValue expected = DigestValue.EMPTY;
    for (int round = 0; round < 5; round++) {
      for (RecordEncoder<Object> encoder : encoders) {
        mixed.add(encoder, new Object());
        StateDigest alone = StateDigests.create(4);
        alone.add(encoder, new Object());
        expected = expected.plus(alone.value());
      }
    }
    assertThat(mixed.value()).isEqualTo(expected);
    assertThat(digestOf(encoders.get(0))).isNotEqualTo(digestOf(encoders.get(2)));
  }

  @Test
  void typeNamesWithEqualJavaHashCodesDiffer() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    assertThat(digestOf(encoder("Aa", (r, out) -> out.putLong("x", 1))))
        .isNotEqualTo(digestOf(encoder("BB", (r, out) -> out.putLong("x", 1))));
    // A type name that is not the same instance each time (the cache is keyed on identity).
    String fresh = digestOf(encoder(new String("order"), (r, out) -> out.putLong("x", 1)));
    assertThat(fresh).isEqualTo(digestOf(encoder("order", (r, out) -> out.putLong("x", 1))));
  }

  @Test
  void manyTypesThroughOneDigestKeepTheirOwnHashes() {
    // More types than the writer's type cache has slots, interleaved: every record keeps its hash.
    StateDigest mixed = StateDigests.create(4);
    DigestValue expected = DigestValue.EMPTY;
    for (int round = 0; round < 3; round++) {
      for (int t = 0; t < 40; t++) {
        RecordEncoder<Object> encoder = encoder("type" + t, (r, out) -> out.putLong("x", 7));
        mixed.add(encoder, new Object());
        StateDigest alone = StateDigests.create(4);
        alone.add(encoder, new Object());
        expected = expected.plus(alone.value());
      }
    }
    assertThat(mixed.value()).isEqualTo(expected);
  }

  @Test
  void keysSpreadEvenlyOverTheBuckets() {
    // Sequential numeric keys and sequential string codes: a chi-square test over 64 buckets.
    int buckets = 64;
    int records = 64_000;
    for (int shape = 0; shape < 3; shape++) {
      int s = shape;
      RecordEncoder<Long> encoder =
          new RecordEncoder<>() {
            @Override
            public String type() {
              return "position";
            }

            @Override
            public void encodeKey(Long id, CanonicalWriter out) {
              if (s == 0) {
                out.putLong("account", id);
              } else if (s == 1) {
                out.putString("account", String.format("A%07d", id));
                out.putString("instrument", "IF2612");
              } else {
                out.putLong("account", id << 32);
                out.putLong("instrument", 2612);
              }
            }

            @Override
            public void encodeValue(Long id, CanonicalWriter out) {
              out.putLong("qty", 1);
            }
          };
      StateDigest digest = StateDigests.create(buckets);
      long[] counts = new long[buckets];
      for (long id = 0; id < records; id++) {
        counts[digest.bucketOf(encoder, id)]++;
      }
      double expected = (double) records / buckets;
      double chiSquare = 0;
      for (long c : counts) {
        chiSquare += (c - expected) * (c - expected) / expected;
      }
      // 63 degrees of freedom: the 99.99th percentile is about 117.
      assertThat(chiSquare).as("shape %d", shape).isLessThan(117);
    }
  }

  @Test
  void decimalsAreNormalisedWhateverTheirScaleOrRepresentation() {
    String a =
        digestOf(encoder("p", (r, out) -> out.putDecimal("price", new BigDecimal("3999.80"))));
    String b = digestOf(encoder("p", (r, out) -> out.putDecimal("price", 39998, 1)));
    String c = digestOf(encoder("p", (r, out) -> out.putDecimal("price", 399980000, 5)));
    String d =
        digestOf(encoder("p", (r, out) -> out.putDecimal("price", new BigDecimal("3999.8000"))));
    assertThat(a).isEqualTo(b).isEqualTo(c).isEqualTo(d);
    assertThat(digestOf(encoder("p", (r, out) -> out.putDecimal("price", new BigDecimal("0.000")))))
        .isEqualTo(digestOf(encoder("p", (r, out) -> out.putDecimal("price", 0, 7))));
    String huge = "123456789012345678901234567890.5";
    assertThat(digestOf(encoder("p", (r, out) -> out.putDecimal("price", new BigDecimal(huge)))))
        .isEqualTo(
            digestOf(
                encoder("p", (r, out) -> out.putDecimal("price", new BigDecimal(huge + "000")))))
        .isNotEqualTo(a);
  }

  @Test
  void kindsOfValuesNeverCollideByAccident() {
    String zero = digestOf(encoder("p", (r, out) -> out.putLong("x", 0)));
    String nul = digestOf(encoder("p", (r, out) -> out.putNull("x")));
    String empty = digestOf(encoder("p", (r, out) -> out.putString("x", "")));
    String no = digestOf(encoder("p", (r, out) -> out.putBoolean("x", false)));
    String zeroDecimal = digestOf(encoder("p", (r, out) -> out.putDecimal("x", 0, 0)));
    assertThat(java.util.Set.of(zero, nul, empty, no, zeroDecimal)).hasSize(5);
    assertThat(digestOf(encoder("order", (r, out) -> out.putLong("x", 1))))
        .as("the record type is part of the hash")
        .isNotEqualTo(digestOf(encoder("trade", (r, out) -> out.putLong("x", 1))));
    assertThat(digestOf(encoder("p", (r, out) -> out.putDouble("x", -0.0))))
        .isEqualTo(digestOf(encoder("p", (r, out) -> out.putDouble("x", 0.0))));
    assertThat(
            digestOf(
                encoder(
                    "p",
                    (r, out) -> {
                      out.putString("a", "ab");
                      out.putString("b", "c");
                    })))
        .as("string boundaries are part of the form")
        .isNotEqualTo(
            digestOf(
                encoder(
                    "p",
                    (r, out) -> {
                      out.putString("a", "a");
                      out.putString("b", "bc");
                    })));
  }

  @Test
  void bucketCountIsValidated() {
    assertThatThrownBy(() -> StateDigests.create(0))
        .hasMessage("a state digest needs 1 to 1048576 buckets, got 0");
  }

  @Test
  void clearForgetsEverything() {
    StateDigest digest = StateDigests.create(4);
    digest.add(encoder("p", (r, out) -> out.putLong("x", 1)), new Object());
    digest.clear();
    assertThat(digest.value()).isEqualTo(dev.stability.api.consistency.DigestValue.EMPTY);
    assertThat(digest.buckets()).containsOnly(dev.stability.api.consistency.DigestValue.EMPTY);
  }
}
