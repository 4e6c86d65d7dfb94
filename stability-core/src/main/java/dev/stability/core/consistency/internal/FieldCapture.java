package dev.stability.core.consistency.internal;

import dev.stability.api.consistency.CanonicalWriter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records a record's fields by name as canonical text (decimals normalised, like the hash does),
 * for diffs. Allocates; used only when localising a mismatch.
 */
final class FieldCapture implements CanonicalWriter {

  final Map<String, String> key = new LinkedHashMap<>();
  final Map<String, String> fields = new LinkedHashMap<>();
  private Map<String, String> target = key;

  void endKey() {
    target = fields;
  }

  @Override
  public void putLong(String field, long value) {
    target.put(field, Long.toString(value));
  }

  @Override
  public void putBoolean(String field, boolean value) {
    target.put(field, Boolean.toString(value));
  }

  @Override
  public void putDecimal(String field, long unscaled, int scale) {
    target.put(field, BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString());
  }

  @Override
  public void putDecimal(String field, BigDecimal value) {
    target.put(field, value == null ? null : value.stripTrailingZeros().toPlainString());
  }

  @Override
  public void putDouble(String field, double value) {
    target.put(field, Double.toString(value == 0.0 ? 0.0 : value));
  }

  @Override
  public void putString(String field, CharSequence value) {
    target.put(field, value == null ? null : value.toString());
  }

  @Override
  public void putNull(String field) {
    target.put(field, null);
  }
}
