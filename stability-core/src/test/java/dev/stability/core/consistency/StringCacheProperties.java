package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The digest's cache of string hashes: a string hashes the same whether its words came from the
 * cache or were computed, whatever else went through the cache before (other strings in the same
 * slot, another object of the same value, a cache that grew), and the cache stays within its bound.
 */
class StringCacheProperties {

  private static final RecordEncoder<Object> TYPE =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "strings";
        }

        @Override
        public void encodeKey(Object record, CanonicalWriter out) {}

        @Override
        public void encodeValue(Object record, CanonicalWriter out) {}
      };

  /** The two halves of the hash of a record with {@code longsBefore} longs, then {@code value}. */
  private static long[] hash(HashingWriter writer, CharSequence value, int longsBefore) {
    writer.begin(TYPE);
    writer.endKey();
    for (int i = 0; i < longsBefore; i++) {
      writer.putLong("n" + i, i);
    }
    writer.putString("s", value);
    writer.finish();
    return new long[] {writer.high(), writer.low(), writer.keyHash()};
  }

  /** Fails unless the two hashes are equal (cheaper than an assertion per string). */
  private static void requireSameHash(long[] actual, long[] expected, String of) {
    if (!Arrays.equals(actual, expected)) {
      assertThat(actual).as("the hash of %s", of).containsExactly(expected);
    }
  }

  /** A writer only given non-String character sequences, which it never caches. */
  private static final HashingWriter UNCACHED = new HashingWriter();

  /** What the string hashes to without any cache: as a non-String character sequence. */
  private static long[] computed(String value, int longsBefore) {
    return hash(UNCACHED, new StringBuilder(value), longsBefore);
  }

  @Property(tries = 25)
  void aStringHashesTheSameFromTheCacheAsComputed(
      @ForAll @Size(min = 1, max = 300) List<String> strings,
      @ForAll @IntRange(max = 3) int longsBefore) {
    HashingWriter writer = new HashingWriter();
    // Each string in turn, round after round, as it is and (every other round) as another object
    // of the same value, enough rounds to pass several of the cache's windows (where it may grow).
    int rounds = 3 + 3 * HashingWriter.STRING_WINDOW / strings.size();
    for (int round = 0; round < rounds; round++) {
      for (String s : strings) {
        String value = round % 2 == 1 ? new String(s.toCharArray()) : s;
        requireSameHash(hash(writer, value, longsBefore), computed(s, longsBefore), s);
      }
    }
  }

  @Property(tries = 100)
  void stringsThatShareASlotDoNotTakeEachOthersWords(
      @ForAll @IntRange(min = 1, max = 200) int pairs, @ForAll @IntRange(max = 3) int longsBefore) {
    // "Aa" and "BB" have the same hashCode, so do any two strings built from them alike: the same
    // slot at any cache size, and the same hash code stored in it.
    HashingWriter writer = new HashingWriter();
    for (int i = 0; i < pairs; i++) {
      String a = "Aa" + i;
      String b = "BB" + i;
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
      for (String s : List.of(a, b, a, b)) {
        requireSameHash(hash(writer, s, longsBefore), computed(s, longsBefore), s);
      }
    }
  }

  @Example
  void everyLengthHashesAsComputedInLatin1AndBeyond() {
    // Lengths across several 8-character blocks and past the writer's 64-character array (longer
    // strings take the per-character path), in Latin-1 and with characters beyond it.
    HashingWriter writer = new HashingWriter();
    for (int length = 0; length <= 140; length++) {
      StringBuilder latin = new StringBuilder();
      StringBuilder wide = new StringBuilder();
      for (int i = 0; i < length; i++) {
        latin.append((char) ('a' + i % 26));
        wide.append(i % 3 == 0 ? '\u4e2d' : (char) ('0' + i % 10));
      }
      for (String s : List.of(latin.toString(), wide.toString())) {
        for (int longsBefore = 0; longsBefore < 2; longsBefore++) {
          requireSameHash(hash(writer, s, longsBefore), computed(s, longsBefore), s);
        }
      }
    }
  }

  @Example
  void theCacheGrowsWhenMostStringsMissAndStopsAtItsBound() {
    HashingWriter writer = new HashingWriter();
    assertThat(writer.stringSlots()).isEqualTo(HashingWriter.STRING_SLOTS_AT_FIRST);
    List<String> book = new ArrayList<>();
    for (int i = 0; i < 4 * HashingWriter.STRING_SLOTS_AT_MOST; i++) {
      book.add("IF" + (2_000_000 + i));
    }
    // One pass writes 16 windows, each of distinct strings: enough for every doubling.
    for (String s : book) {
      hash(writer, s, 0);
    }
    assertThat(writer.stringSlots()).isEqualTo(HashingWriter.STRING_SLOTS_AT_MOST);
    // And it still gives every string its own words.
    for (String s : book.subList(0, 1000)) {
      assertThat(hash(writer, s, 1)).containsExactly(computed(s, 1));
    }
  }

  @Example
  void aCacheThatHoldsTheStringsInUseDoesNotGrow() {
    HashingWriter writer = new HashingWriter();
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      accounts.add(String.format("A%07d", i));
    }
    for (int round = 0; round < 1000; round++) {
      for (String s : accounts) {
        hash(writer, s, 0);
      }
    }
    assertThat(writer.stringSlots()).isEqualTo(HashingWriter.STRING_SLOTS_AT_FIRST);
  }

  @Example
  void aBookOfFourThousandPositionsGetsAFittingCache() {
    // The benchmark's case: 4096 instrument codes and 500 account numbers, every record its own
    // String objects. The cache grows until most lookups hit, and no further than its bound.
    HashingWriter writer = new HashingWriter();
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 4096; i++) {
        hash(writer, String.format("A%07d", 12_000 + i % 500), 0);
        hash(writer, "IF" + (2_000_000 + i), 0);
      }
    }
    assertThat(writer.stringSlots())
        .isGreaterThan(HashingWriter.STRING_SLOTS_AT_FIRST)
        .isLessThanOrEqualTo(HashingWriter.STRING_SLOTS_AT_MOST);
  }
}
