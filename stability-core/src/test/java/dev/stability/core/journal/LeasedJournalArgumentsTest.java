package dev.stability.core.journal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import org.junit.jupiter.api.Test;

/**
 * A {@link LeasedJournal} without its journal or its lease is a configuration error of the SDK's
 * family, naming what is missing. Its behaviour on a real lease is tested in stability-zookeeper.
 */
class LeasedJournalArgumentsTest {

  @Test
  void aMissingJournalOrLeaseIsAConfigurationExceptionNamingIt() {
    assertThatThrownBy(() -> LeasedJournal.of(null, null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "LeasedJournal.journal = null: must be set: the journal the primary's input goes to");
    try (StabilityRuntime runtime = TestRuntimes.quiet("a1").build()) {
      Journal journal = runtime.journals().inMemory();
      assertThatThrownBy(() -> LeasedJournal.of(journal, null))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "LeasedJournal.lease = null: must be set: the role lease that gates the appends");
    }
  }
}
