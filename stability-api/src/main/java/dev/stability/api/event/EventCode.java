package dev.stability.api.event;

import java.util.regex.Pattern;

/**
 * A documented event code: what the record means, its category and default level. The SDK's own
 * codes are the closed enum {@link StabilityEventCode}; applications declare theirs by implementing
 * this interface with their own enum, so their records share the schema and the catalog format.
 * Implementations must be immutable.
 */
public interface EventCode {

  /** Codes are upper-case words joined by underscores, 2 to 64 characters. */
  Pattern CODE_PATTERN = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

  /** The stable code written to the {@code code} field; never changes once published. */
  String code();

  /** The log category records with this code belong to. */
  Category category();

  /** The default level; a record may override it. */
  Level level();

  /** One line saying what happened and, where it helps, what to do. */
  String meaning();

  /**
   * What a code means: category, default level and a one-line meaning. Immutable.
   *
   * @param category the log category
   * @param level the default level
   * @param meaning one line saying what happened
   */
  record Spec(Category category, Level level, String meaning) {
    /** Checks that nothing is missing. */
    public Spec {
      if (category == null || level == null || meaning == null || meaning.isBlank()) {
        throw new IllegalArgumentException(
            "an event code needs a category, a level and a one-line meaning, got "
                + category
                + ", "
                + level
                + ", "
                + meaning);
      }
    }
  }

  /**
   * An event code declared as an enum constant: the code is the constant's name, the rest comes
   * from its {@link Spec}.
   */
  interface OfEnum extends EventCode {
    /** What this code means. */
    Spec spec();

    /** The enum constant's name; implemented by {@link Enum#name()}. */
    String name();

    @Override
    default String code() {
      return name();
    }

    @Override
    default Category category() {
      return spec().category();
    }

    @Override
    default Level level() {
      return spec().level();
    }

    @Override
    default String meaning() {
      return spec().meaning();
    }
  }
}
