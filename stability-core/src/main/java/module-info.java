/**
 * The SDK's implementation: {@code StabilityRuntime} and every subsystem behind it. Exports its
 * public packages only; the {@code internal} packages are not exported, so on the module path an
 * application cannot compile against them or reach them by reflection. One internal package, {@code
 * dev.stability.core.internal} (the meter factory of the catalog, validation rules, daemon
 * threads), is exported to the SDK's own integration modules only, by name.
 *
 * <p>On the class path (Spring Boot, most applications) a module declaration has no effect: there
 * the SDK's ArchUnit rule is what keeps applications off the internal packages.
 *
 * <p>Micrometer and Resilience4j have no module declaration; the names required here are the {@code
 * Automatic-Module-Name}s of their manifests, which are stable. Logback and Log4j2 are optional
 * ({@code requires static}): the encoder and the resolver for them are used only when the
 * application has them. Jackson's YAML and properties modules are optional too: the guard document
 * reader finds them by name when it needs them (on the module path they are resolved as providers
 * of Jackson's services).
 */
@SuppressWarnings({
  // Micrometer and Resilience4j are automatic modules, with stable names from their manifests.
  "requires-automatic",
  "requires-transitive-automatic",
  // The integration modules are not observable when this module compiles (they are built after it).
  "module"
})
module dev.stability.core {
  requires transitive dev.stability.api;
  requires transitive micrometer.core;
  requires org.slf4j;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.annotation;
  requires io.github.resilience4j.core;
  requires io.github.resilience4j.bulkhead;
  requires io.github.resilience4j.ratelimiter;
  requires java.management;
  // Not transitive: a module that reads this one would then need them to compile.
  requires static ch.qos.logback.classic;
  requires static ch.qos.logback.core;
  requires static org.apache.logging.log4j;
  requires static org.apache.logging.log4j.core;
  requires static org.apache.logging.log4j.layout.template.json;

  exports dev.stability.core;
  exports dev.stability.core.capacity;
  exports dev.stability.core.consistency;
  exports dev.stability.core.event;
  exports dev.stability.core.event.log4j2;
  exports dev.stability.core.event.logback;
  exports dev.stability.core.guard;
  exports dev.stability.core.health;
  exports dev.stability.core.journal;
  exports dev.stability.core.operations;
  exports dev.stability.core.standby;
  exports dev.stability.core.switchover;
  exports dev.stability.log4j2;

  // What the SDK's own integration modules share with the core; no one else can read it.
  exports dev.stability.core.internal to
      dev.stability.aeron,
      dev.stability.ops,
      dev.stability.zookeeper;

  // The Log4j2 template is a resource of this package: Log4j2 reads it by its class path URI.
  opens dev.stability.log4j2;
  // TimestampValue is written by its @JsonValue method by Jackson-based encoders (logstash-logback-
  // encoder) that are handed the SDK's key-values.
  opens dev.stability.core.event.internal to
      com.fasterxml.jackson.databind;
}
