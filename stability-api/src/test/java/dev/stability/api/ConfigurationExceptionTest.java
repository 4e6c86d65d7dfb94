package dev.stability.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigurationExceptionTest {

  @Test
  void theMessageNamesKeyValueAndRuleAndQuotesTextValues() {
    assertThat(new ConfigurationException("a.b", 7, "must be < 5"))
        .hasMessage("a.b = 7: must be < 5");
    assertThat(new ConfigurationException("a.b", "x", "must be a number"))
        .hasMessage("a.b = 'x': must be a number");
    assertThat(new ConfigurationException("a.b", null, "must be set"))
        .hasMessage("a.b = null: must be set");
  }

  @Test
  void forKeyKeepsTheValueAsRenderedAndTheRuleUnderTheNewKey() {
    ConfigurationException number = new ConfigurationException("x.rate", 150.0, "must be <= 100");
    ConfigurationException moved = number.forKey("guards.g.x.rate");
    assertThat(moved).hasMessage("guards.g.x.rate = 150.0: must be <= 100");
    assertThat(moved.key()).isEqualTo("guards.g.x.rate");
    assertThat(moved.value()).isEqualTo("150.0");
    assertThat(moved.rule()).isEqualTo("must be <= 100");
    assertThat(new ConfigurationException("k", "a: b", "r").forKey("p.k"))
        .hasMessage("p.k = 'a: b': r");
  }
}
