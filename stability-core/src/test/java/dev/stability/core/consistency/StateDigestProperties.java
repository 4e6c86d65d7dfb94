package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.core.consistency.Positions.Position;
import dev.stability.core.consistency.Positions.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The algebra of the state digest (R10), for any records and any sequence of mutations. */
class StateDigestProperties {

  @Provide
  Arbitrary<Position> positions() {
    return Combinators.combine(
            Arbitraries.of("A001", "A002", "A003", "A004", "B777"),
            Arbitraries.of("IF2612", "IC2612", "T2603", "AU2612"),
            Arbitraries.longs().between(0, 500),
            Arbitraries.longs().between(0, 500),
            Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("9999")).ofScale(2),
            Arbitraries.of(true, false))
        .as(Position::new);
  }

  /** Positions with distinct keys, as a state holds them. */
  @Provide
  Arbitrary<List<Position>> states() {
    return positions()
        .list()
        .ofMaxSize(20)
        .map(
            list -> {
              Map<String, Position> byKey = new LinkedHashMap<>();
              list.forEach(p -> byKey.putIfAbsent(p.key(), p));
              return new ArrayList<>(byKey.values());
            });
  }

  private static DigestValue digestOf(List<Position> records, int buckets) {
    StateDigest digest = StateDigests.create(buckets);
    records.forEach(p -> digest.add(Positions.POSITION, p));
    return digest.value();
  }

  @Property
  void theSameRecordsInAnyOrderGiveTheSameDigest(
      @ForAll("states") List<Position> state, @ForAll long seed) {
    List<Position> shuffled = new ArrayList<>(state);
    Collections.shuffle(shuffled, new Random(seed));
    assertThat(digestOf(shuffled, 16)).isEqualTo(digestOf(state, 16));
  }

  @Property
  void addingThenRemovingARecordRestoresTheDigest(
      @ForAll("states") List<Position> state, @ForAll("positions") Position extra) {
    StateDigest digest = StateDigests.create(8);
    state.forEach(p -> digest.add(Positions.POSITION, p));
    DigestValue before = digest.value();
    List<DigestValue> bucketsBefore = digest.buckets();
    digest.add(Positions.POSITION, extra);
    assertThat(digest.value()).isNotEqualTo(before);
    digest.remove(Positions.POSITION, extra);
    assertThat(digest.value()).isEqualTo(before);
    assertThat(digest.buckets()).isEqualTo(bucketsBefore);
  }

  @Property
  void replaceIsRemoveThenAdd(
      @ForAll("states") List<Position> state,
      @ForAll("positions") Position before,
      @ForAll("positions") Position after) {
    StateDigest replaced = StateDigests.create(8);
    StateDigest removedAndAdded = StateDigests.create(8);
    for (StateDigest d : List.of(replaced, removedAndAdded)) {
      state.forEach(p -> d.add(Positions.POSITION, p));
      d.add(Positions.POSITION, before);
    }
    replaced.replace(Positions.POSITION, before, after);
    removedAndAdded.remove(Positions.POSITION, before);
    removedAndAdded.add(Positions.POSITION, after);
    assertThat(replaced.value()).isEqualTo(removedAndAdded.value());
    assertThat(replaced.buckets()).isEqualTo(removedAndAdded.buckets());
  }

  @Provide
  Arbitrary<List<Position>> mutations() {
    return positions().list().ofMinSize(1).ofMaxSize(200);
  }

  /**
   * A HashMap store of immutable records that uses replace, and a sorted-array store of mutable
   * rows with another price representation that uses remove and add: after the same operations (an
   * operation with zero quantities deletes the position) they hold the same digest, in total and
   * per bucket.
   */
  @Property
  void twoDifferentStoresAgreeAfterTheSameOperations(
      @ForAll("mutations") List<Position> operations) {
    MapStore a = new MapStore();
    SortedArrayStore b = new SortedArrayStore();
    for (Position op : operations) {
      a.apply(op);
      b.apply(op);
    }
    assertThat(b.size()).isEqualTo(a.size());
    assertThat(b.digest.value()).isEqualTo(a.digest.value());
    assertThat(b.digest.buckets()).isEqualTo(a.digest.buckets());
  }

  @Property
  void oneChangedFieldChangesTheDigestAndOnlyThatKeysBucket(
      @ForAll("states") List<Position> state, @ForAll int which, @ForAll long delta) {
    if (state.isEmpty() || delta == 0) {
      return;
    }
    StateDigest original = StateDigests.create(32);
    StateDigest changed = StateDigests.create(32);
    state.forEach(p -> original.add(Positions.POSITION, p));
    Position target = state.get(Math.floorMod(which, state.size()));
    Position edited =
        new Position(
            target.account(),
            target.instrument(),
            target.longQty() + delta,
            target.shortQty(),
            target.avgPrice(),
            target.frozen());
    state.forEach(p -> changed.add(Positions.POSITION, p == target ? edited : p));

    assertThat(changed.value()).isNotEqualTo(original.value());
    int bucket = original.bucketOf(Positions.POSITION, target);
    assertThat(changed.bucketOf(Positions.POSITION, edited)).isEqualTo(bucket);
    for (int b = 0; b < 32; b++) {
      if (b == bucket) {
        assertThat(changed.bucket(b)).isNotEqualTo(original.bucket(b));
      } else {
        assertThat(changed.bucket(b)).isEqualTo(original.bucket(b));
      }
    }
  }

  /** Primary-like store: immutable records in a HashMap, updates through replace. */
  static final class MapStore {
    final Map<String, Position> byKey = new HashMap<>();
    final StateDigest digest = StateDigests.create(16);

    void apply(Position op) {
      Position old = byKey.get(op.key());
      boolean delete = op.longQty() == 0 && op.shortQty() == 0;
      if (delete) {
        if (old != null) {
          byKey.remove(op.key());
          digest.remove(Positions.POSITION, old);
        }
      } else if (old == null) {
        byKey.put(op.key(), op);
        digest.add(Positions.POSITION, op);
      } else {
        byKey.put(op.key(), op);
        digest.replace(Positions.POSITION, old, op);
      }
    }

    int size() {
      return byKey.size();
    }
  }

  /** Standby-like store: mutable rows in a sorted array, updates as remove then add. */
  static final class SortedArrayStore {
    final List<Row> rows = new ArrayList<>();
    final StateDigest digest = StateDigests.create(16);

    void apply(Position op) {
      Row incoming = Positions.toRow(op);
      int at = Collections.binarySearch(rows, incoming);
      boolean delete = op.longQty() == 0 && op.shortQty() == 0;
      if (at >= 0) {
        Row row = rows.get(at);
        digest.remove(Positions.ROW, row);
        if (delete) {
          rows.remove(at);
          return;
        }
        row.longQty = incoming.longQty;
        row.shortQty = incoming.shortQty;
        row.avgPrice4 = incoming.avgPrice4;
        row.frozen = incoming.frozen;
        digest.add(Positions.ROW, row);
      } else if (!delete) {
        rows.add(-at - 1, incoming);
        digest.add(Positions.ROW, incoming);
      }
    }

    int size() {
      return rows.size();
    }
  }

  private static DigestValue decimalDigest(java.util.function.Consumer<CanonicalWriter> field) {
    StateDigest digest = StateDigests.create(1);
    digest.add(
        new RecordEncoder<Object>() {
          @Override
          public String type() {
            return "price";
          }

          @Override
          public void encodeKey(Object record, CanonicalWriter out) {}

          @Override
          public void encodeValue(Object record, CanonicalWriter out) {
            field.accept(out);
          }
        },
        new Object());
    return digest.value();
  }

  @Property
  void aDecimalHashesByItsValueWhateverItsScaleOrClass(
      @ForAll long unscaled,
      @ForAll @net.jqwik.api.constraints.IntRange(min = -6, max = 24) int scale,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 6) int extraZeros) {
    BigDecimal value = BigDecimal.valueOf(unscaled, scale);
    DigestValue expected = decimalDigest(out -> out.putDecimal("d", unscaled, scale));
    assertThat(decimalDigest(out -> out.putDecimal("d", value))).isEqualTo(expected);
    BigDecimal padded = value.setScale(scale + extraZeros);
    assertThat(decimalDigest(out -> out.putDecimal("d", padded))).isEqualTo(expected);
    assertThat(decimalDigest(out -> out.putDecimal("d", value.stripTrailingZeros())))
        .isEqualTo(expected);
    if (padded.precision() <= 18) {
      long paddedUnscaled = padded.unscaledValue().longValueExact();
      assertThat(decimalDigest(out -> out.putDecimal("d", paddedUnscaled, scale + extraZeros)))
          .isEqualTo(expected);
    }
    // One unit in the last place more is another value, with another digest.
    BigDecimal next = value.add(BigDecimal.ONE.scaleByPowerOfTen(-scale));
    assertThat(decimalDigest(out -> out.putDecimal("d", next))).isNotEqualTo(expected);
  }

  @Property
  void aHashedStringHashesAsTheStringOfItsCharacters(
      @ForAll String text, @ForAll @net.jqwik.api.constraints.IntRange(max = 3) int longsBefore) {
    // 0 to 3 longs before it, so that the string's words fall on either place in a block.
    java.util.function.BiFunction<CanonicalWriter, CharSequence, Void> write =
        (out, value) -> {
          for (int i = 0; i < longsBefore; i++) {
            out.putLong("n" + i, i);
          }
          out.putString("s", value);
          return null;
        };
    DigestValue expected = decimalDigest(out -> write.apply(out, text));
    assertThat(decimalDigest(out -> write.apply(out, HashedString.of(text)))).isEqualTo(expected);
    assertThat(decimalDigest(out -> write.apply(out, new StringBuilder(text)))).isEqualTo(expected);
    // One more character is another string, with another digest.
    assertThat(decimalDigest(out -> write.apply(out, HashedString.of(text + "x"))))
        .isNotEqualTo(expected);
  }
}
