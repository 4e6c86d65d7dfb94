package dev.stability.spring.autoconfigure.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.core.guard.GuardDocuments;
import dev.stability.core.guard.GuardSettings;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Reads {@code stability.guards.*} from the environment as a guard document: every property under
 * the prefix, from whichever source wins (placeholders resolved), written as {@code guards.<name>.
 * <key>=<value>} and parsed by {@link GuardDocuments}. So the keys, the value formats and the
 * messages are the guard document's, with the key named as the user wrote it.
 */
public final class GuardProperties {

  private static final ConfigurationPropertyName PREFIX =
      ConfigurationPropertyName.of("stability.guards");

  private GuardProperties() {}

  /**
   * The guards defined in the environment, in the order they are first written.
   *
   * @throws ConfigurationException naming {@code stability.guards.<name>.<key>}, value and rule
   */
  public static List<GuardSettings> read(Environment environment) {
    Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.stream().filter(PREFIX::isAncestorOf).forEach(names::add);
      }
    }
    if (names.isEmpty()) {
      return List.of();
    }
    Binder binder = Binder.get(environment);
    Properties document = new Properties();
    for (ConfigurationPropertyName name : names) {
      String value = binder.bind(name, Bindable.of(String.class)).orElse("");
      document.setProperty(documentKey(name), value);
    }
    StringWriter text = new StringWriter();
    try {
      document.store(text, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    try {
      return GuardDocuments.parse(text.toString(), GuardDocuments.Format.PROPERTIES);
    } catch (ConfigurationException e) {
      throw PropertySettings.rekeyed(e);
    }
  }

  /** {@code stability.guards.a.ignore-exceptions[0]} as {@code guards.a.ignore-exceptions.0}. */
  private static String documentKey(ConfigurationPropertyName name) {
    StringBuilder key = new StringBuilder("guards");
    for (int i = PREFIX.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
      key.append('.').append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
    }
    return key.toString();
  }
}
