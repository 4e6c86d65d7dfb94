package dev.stability.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AttrKeyProperties {

  /** The rule as the JSON Schema states it for attrs property names. */
  private static final Pattern SCHEMA_RULE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings()
        .withChars("aZ09_.-/ 中\n")
        .withCharRange('a', 'c')
        .ofMinLength(0)
        .ofMaxLength(70);
  }

  @Property(tries = 3000)
  void isAttrKeyMeansExactlyTheSchemaRule(@ForAll("keys") String key) {
    assertThat(LogRecord.isAttrKey(key)).isEqualTo(SCHEMA_RULE.matcher(key).matches());
  }
}
