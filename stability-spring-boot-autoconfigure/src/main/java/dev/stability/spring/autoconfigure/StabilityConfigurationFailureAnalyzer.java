package dev.stability.spring.autoconfigure;

import dev.stability.api.ConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Shows a startup that failed on an SDK {@link ConfigurationException} the way Spring Boot shows
 * its own configuration errors: the SDK's message (key, value, rule) as the description, and the
 * key to change as the action. Registered in {@code META-INF/spring.factories}.
 */
public class StabilityConfigurationFailureAnalyzer
    extends AbstractFailureAnalyzer<ConfigurationException> {

  /** Creates the analyzer; Spring Boot instantiates it. */
  public StabilityConfigurationFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
    String description = "Invalid Stability SDK configuration:\n\n    " + cause.getMessage() + "\n";
    String action =
        cause.key().startsWith("stability.")
            ? "Change '"
                + cause.key()
                + "' in the application's configuration (application.yml, application.properties,"
                + " the environment) so that it "
                + cause.rule()
                + "."
            : "Change the setting '" + cause.key() + "' so that it " + cause.rule() + ".";
    return new FailureAnalysis(description, action, cause);
  }
}
