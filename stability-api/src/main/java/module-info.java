/**
 * The SDK's contracts: identity, event codes and the log record schema, the metric catalog,
 * annotations, and the SPIs the core and the integration modules implement. Every package is
 * exported; the two that hold machine-readable resources (the log record's JSON Schema, the event
 * code and metric catalogs) are also open, so that tools and other modules can read those resources
 * on the module path.
 */
module dev.stability.api {
  requires transitive org.jspecify;

  exports dev.stability.api;
  exports dev.stability.api.annotation;
  exports dev.stability.api.consistency;
  exports dev.stability.api.event;
  exports dev.stability.api.guard;
  exports dev.stability.api.health;
  exports dev.stability.api.journal;
  exports dev.stability.api.metric;
  exports dev.stability.api.standby;
  exports dev.stability.api.switchover;

  opens dev.stability.api.event;
  opens dev.stability.api.metric;
}
