package dev.stability.core.event.internal;

import dev.stability.api.event.LogRecord;
import java.util.Collections;
import java.util.Iterator;
import org.slf4j.Marker;

/**
 * The SLF4J marker {@code STABILITY_RECORD} on every record the runtime writes through the SLF4J
 * 1.7 API, carrying the rendered record so that the SDK's Logback encoder writes it as it is,
 * without parsing. To any other backend it is a plain marker (usable in filters); the record is
 * never serialized. Immutable; has no references.
 */
public final class RecordMarker implements Marker {

  /** The marker's name. */
  public static final String NAME = "STABILITY_RECORD";

  private static final long serialVersionUID = 1L;

  private final transient LogRecord record;

  RecordMarker(LogRecord record) {
    this.record = record;
  }

  /** The rendered record; null after deserialization. */
  public LogRecord record() {
    return record;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public void add(Marker reference) {
    throw new UnsupportedOperationException("the " + NAME + " marker takes no references");
  }

  @Override
  public boolean remove(Marker reference) {
    return false;
  }

  @Override
  @Deprecated
  public boolean hasChildren() {
    return false;
  }

  @Override
  public boolean hasReferences() {
    return false;
  }

  @Override
  public Iterator<Marker> iterator() {
    return Collections.emptyIterator();
  }

  @Override
  public boolean contains(Marker other) {
    return other != null && NAME.equals(other.getName());
  }

  @Override
  public boolean contains(String name) {
    return NAME.equals(name);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Marker marker && NAME.equals(marker.getName());
  }

  @Override
  public int hashCode() {
    return NAME.hashCode();
  }

  @Override
  public String toString() {
    return NAME;
  }
}
