package dev.stability.core.consistency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mismatch localised to records and fields (R10): for the differing buckets, the keys held by
 * only one side, and for keys on both sides the fields whose canonical values differ, with both
 * values. Immutable; {@link #toJson()} is the report for an operator or a ticket.
 *
 * @param sequence the checkpoint sequence compared
 * @param buckets the buckets that were examined
 * @param onlyInPrimary records the standby lacks
 * @param onlyInStandby records the primary lacks
 * @param differing records with the same key whose fields differ
 */
public record ConsistencyDiff(
    long sequence,
    List<Integer> buckets,
    List<RecordView> onlyInPrimary,
    List<RecordView> onlyInStandby,
    List<RecordDiff> differing) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the lists. */
  public ConsistencyDiff {
    buckets = List.copyOf(buckets);
    onlyInPrimary = List.copyOf(onlyInPrimary);
    onlyInStandby = List.copyOf(onlyInStandby);
    differing = List.copyOf(differing);
  }

  /**
   * A record in canonical form.
   *
   * @param type the record type
   * @param key key fields and their canonical values, in encoder order
   * @param fields the other fields, in encoder order
   */
  public record RecordView(String type, Map<String, String> key, Map<String, String> fields) {}

  /**
   * One field that differs.
   *
   * @param field the field name
   * @param primary the primary's canonical value
   * @param standby the standby's canonical value
   */
  public record FieldDiff(String field, String primary, String standby) {}

  /**
   * A record present on both sides with different fields.
   *
   * @param type the record type
   * @param key the key
   * @param fields the fields that differ
   */
  public record RecordDiff(String type, Map<String, String> key, List<FieldDiff> fields) {}

  /**
   * Whether the examined buckets hold no difference (the digests differed elsewhere or by race).
   */
  public boolean isEmpty() {
    return onlyInPrimary.isEmpty() && onlyInStandby.isEmpty() && differing.isEmpty();
  }

  /** The diff as an indented JSON document. */
  public String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sequence", sequence);
    body.put("buckets", buckets);
    body.put("only_in_primary", onlyInPrimary);
    body.put("only_in_standby", onlyInStandby);
    body.put("differing", differing);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a consistency diff", e);
    }
  }
}
