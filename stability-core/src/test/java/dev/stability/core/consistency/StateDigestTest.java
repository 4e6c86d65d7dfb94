package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.core.consistency.internal.HashingWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;
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

  @Test
  void theRecordHashIsMurmurHash3X64Of128BitsOverTheCanonicalWords() {
    // Canonical words of type "t" with one long field 5 and no key: type word, 5, signature.
    RecordEncoder<Object> encoder =
        new RecordEncoder<>() {
          @Override
          public String type() {
            return "t";
          }

          @Override
          public void encodeKey(Object record, CanonicalWriter out) {}

          @Override
          public void encodeValue(Object record, CanonicalWriter out) {
            out.putLong("v", 5);
          }
        };
    HashingWriter writer = new HashingWriter();
    writer.begin(encoder);
    writer.endKey();
    encoder.encodeValue(null, writer);
    writer.finish();

    long typeWord = (1L << 32) | ("t".hashCode() & 0xffffffffL);
    long signature = 0x9E3779B97F4A7C15L + 1; // 1 * GOLDEN + LONG: one long field
    ByteBuffer bytes = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(typeWord).putLong(5).putLong(signature);
    HashCode reference = Hashing.murmur3_128(0).hashBytes(bytes.array());
    ByteBuffer ref = ByteBuffer.wrap(reference.asBytes()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(writer.high()).isEqualTo(ref.getLong());
    assertThat(writer.low()).isEqualTo(ref.getLong());
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
