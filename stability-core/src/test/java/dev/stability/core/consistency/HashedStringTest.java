package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HashedStringTest {

  /** A record whose only field, its key, is written by {@code key}. */
  private static DigestValue digestOfKey(Consumer<CanonicalWriter> key) {
    StateDigest digest = StateDigests.create(4);
    digest.add(
        new RecordEncoder<Object>() {
          @Override
          public String type() {
            return "account";
          }

          @Override
          public void encodeKey(Object record, CanonicalWriter out) {
            key.accept(out);
          }

          @Override
          public void encodeValue(Object record, CanonicalWriter out) {}
        },
        new Object());
    return digest.value();
  }

  /** A record whose only field is {@code value}, written with putString. */
  private static DigestValue digestOf(CharSequence value) {
    return digestOfKey(out -> out.putString("id", value));
  }

  @Test
  void behavesAsItsCharacters() {
    HashedString code = HashedString.of(new StringBuilder("IF2612"));
    assertThat(code.toString()).isEqualTo("IF2612");
    assertThat(code.length()).isEqualTo(6);
    assertThat(code.charAt(2)).isEqualTo('2');
    assertThat(code.subSequence(2, 4)).hasToString("26");
    assertThat(code.chars().toArray()).isEqualTo("IF2612".chars().toArray());
  }

  @Test
  void isEqualToAnotherOfTheSameCharactersAndOrderedByThem() {
    Object code = HashedString.of("A002");
    assertThat(code)
        .isEqualTo(HashedString.of(new String("A002")))
        .hasSameHashCodeAs(HashedString.of("A002"))
        .hasSameHashCodeAs("A002")
        .isNotEqualTo(HashedString.of("A003"))
        .isNotEqualTo("A002");
    TreeSet<HashedString> sorted = new TreeSet<>();
    for (String s : new String[] {"B1", "A10", "A2", "", "A1"}) {
      sorted.add(HashedString.of(s));
    }
    assertThat(sorted)
        .extracting(HashedString::toString)
        .containsExactly("", "A1", "A10", "A2", "B1");
  }

  @Test
  void makingOneOfAHashedStringReturnsIt() {
    HashedString code = HashedString.of("IF2612");
    assertThat((Object) HashedString.of(code)).isSameAs(code);
  }

  @Test
  void refusesNullWithAMessage() {
    assertThatThrownBy(() -> HashedString.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("HashedString needs characters");
  }

  @Test
  void hashesAsTheStringItWasMadeFromAndNotAsAnother() {
    for (String s : new String[] {"", "A", "IF2612", "A0012345", "caf\u00e9 \u20ac\ud83d\ude00"}) {
      assertThat(digestOf(HashedString.of(s))).as(s).isEqualTo(digestOf(s));
    }
    // "Aa" and "BB" have equal Java hash codes; their canonical hashes differ.
    assertThat(digestOf(HashedString.of("Aa"))).isNotEqualTo(digestOf(HashedString.of("BB")));
    // An absent value is a null field, written as putNull, as for any CharSequence.
    DigestValue absent = digestOfKey(out -> out.putNull("id"));
    assertThat(digestOf(null)).isEqualTo(absent);
    assertThat(digestOf(HashedString.of("null"))).isNotEqualTo(absent);
  }

  @Test
  void aStoreKeyedByStringsAndOneKeyedByHashedStringsAgree() {
    StateDigest withStrings = StateDigests.create(64);
    StateDigest withHashed = StateDigests.create(64);
    RecordEncoder<CharSequence[]> position =
        new RecordEncoder<>() {
          @Override
          public String type() {
            return "position";
          }

          @Override
          public void encodeKey(CharSequence[] p, CanonicalWriter out) {
            // A long first, so that the strings' words fall on a block's second half.
            out.putLong("branch", p[0].length());
            out.putString("account", p[0]);
            out.putString("instrument", p[1]);
          }

          @Override
          public void encodeValue(CharSequence[] p, CanonicalWriter out) {
            out.putLong("qty", p[0].length() * 31L + p[1].length());
          }
        };
    for (int i = 0; i < 2000; i++) {
      String account = "A" + (i % 300);
      String instrument = "IF" + (2600 + i);
      withStrings.add(position, new CharSequence[] {account, instrument});
      withHashed.add(
          position, new CharSequence[] {HashedString.of(account), HashedString.of(instrument)});
    }
    assertThat(withHashed.value()).isEqualTo(withStrings.value());
    assertThat(withHashed.buckets()).isEqualTo(withStrings.buckets());
  }
}
