package dev.stability.core.event.log4j2;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * A JsonTemplateLayout resolver, {@code {"$resolver": "contextLong", "key": "duration_us"}}, used
 * by the SDK's Log4j2 template ({@code dev/stability/log4j2/StabilityJsonLayout.json}) for the
 * integer fields of the schema. {@code log4j-slf4j2-impl} turns every SLF4J key-value into a string
 * in the context data, and no stock resolver turns a string back into a JSON number; this one
 * writes a value that is a decimal long as a JSON integer, any other value as a string, and nothing
 * when the key is absent. Discovered by Log4j's plugin system; users never call it. Stateless and
 * thread-safe.
 */
// Its signatures use the backend's types, and this module reads the backend only if the
// application has it (requires static, not transitive: no one else should need it to compile).
@SuppressWarnings("exports")
@Plugin(name = "ContextLongResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class ContextLongResolverFactory implements EventResolverFactory {

  private static final ContextLongResolverFactory INSTANCE = new ContextLongResolverFactory();

  private ContextLongResolverFactory() {}

  /** Log4j plugin factory. */
  @PluginFactory
  public static ContextLongResolverFactory getInstance() {
    return INSTANCE;
  }

  @Override
  public String getName() {
    return "contextLong";
  }

  @Override
  public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
    String key = config.getString("key");
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("contextLong needs a key: " + config);
    }
    return new EventResolver() {
      @Override
      public boolean isResolvable(LogEvent event) {
        return event.getContextData().getValue(key) != null;
      }

      @Override
      public void resolve(LogEvent event, JsonWriter writer) {
        Object value = event.getContextData().getValue(key);
        if (value instanceof Number number) {
          writer.writeNumber(number.longValue());
          return;
        }
        String text = String.valueOf(value);
        try {
          writer.writeNumber(Long.parseLong(text));
        } catch (NumberFormatException notANumber) {
          writer.writeString(text);
        }
      }
    };
  }
}
