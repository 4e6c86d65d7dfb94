package dev.stability.spring.autoconfigure;

import dev.stability.api.Role;
import dev.stability.api.Site;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code stability.*} properties the starter builds its {@code StabilityRuntime} from. Each
 * group maps to one of the SDK's settings ({@code ServiceIdentity}, {@code HealthSettings}, {@code
 * CapacitySettings}, {@code OperationSettings}, {@code OpsEndpointSettings}) and is validated by
 * it, so a bad value fails startup with the SDK's message under the property's full key. Guards
 * ({@code stability.guards.*}) are not bound here: they are read as a guard document (see {@link
 * GuardPropertiesMetadata}). Unset values take the SDK's defaults. Immutable.
 *
 * @param enabled whether the starter builds a runtime at all
 * @param identity who the service is
 * @param health how health checks run and whether they join Actuator's probe groups
 * @param capacity key business indicators and their store (R1)
 * @param operations trading calendar, change window and operation log (R4-R6)
 * @param ops the SDK's own ops endpoint (off by default; Actuator is the usual way in)
 * @param logging the JSON log encoder
 */
@ConfigurationProperties("stability")
public record StabilityProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue Identity identity,
    @DefaultValue Health health,
    @DefaultValue Capacity capacity,
    @DefaultValue Operations operations,
    @DefaultValue Ops ops,
    @DefaultValue Logging logging) {

  /**
   * The service's identity ({@code ServiceIdentity}).
   *
   * @param systemCode the system code as registered with operations, e.g. OMS; required
   * @param subsystem the component inside the system, e.g. order-entry; required
   * @param instanceId this process, unique within the system, e.g. oms-a1; required
   * @param site where the instance runs; PRIMARY_DC by default
   * @param role the role the instance starts in; PRIMARY by default
   * @param grade protection grade, 1 (highest, the default) to 4
   */
  public record Identity(
      String systemCode,
      String subsystem,
      String instanceId,
      Site site,
      Role role,
      Integer grade) {}

  /**
   * How health checks run ({@code HealthSettings}).
   *
   * @param timeout how long a check may take before it is DOWN, 1 ms to 60 s; 1 s by default
   * @param cacheFor how long an answer is reused (0 = always run), up to 1 hour; 1 s by default
   * @param pollEvery how often every check runs on its own (0 = never); 10 s by default
   * @param builtInChecks whether the runtime registers its own checks (jvm, events, guards,
   *     capacity); true by default
   * @param probeGroups whether the SDK's liveness and readiness checks join Actuator's liveness and
   *     readiness health groups (when those groups exist)
   */
  public record Health(
      Duration timeout,
      Duration cacheFor,
      Duration pollEvery,
      Boolean builtInChecks,
      @DefaultValue("true") boolean probeGroups) {}

  /**
   * Key business indicators ({@code CapacitySettings}, R1).
   *
   * @param indicators indicator names, lower case (orders, md.messages), unique
   * @param store the file keeping per-day peaks and tested capacity; in memory when unset
   * @param requiredHeadroom the multiple of the historical peak the capacity must reach for
   *     indicators without their own, 1 to 100; 3 by default
   * @param requiredMultiples per indicator, its own required multiple ({@code
   *     stability.capacity.required-multiples.bandwidth=2}; a name with dots in brackets: {@code
   *     required-multiples[md.messages]=2})
   * @param provisioned per indicator, the capacity provisioned for it in units per second, used
   *     while no pressure test has recorded one ({@code stability.capacity.provisioned.bandwidth=
   *     125000000} for a 1 Gbit/s link counted in bytes)
   * @param peakWindow how far back the historical peak looks ({@code 12m}, {@code P1Y}); 12 months
   *     by default
   * @param calendar {@code china-equities} to count peaks only inside its sessions, per trading
   *     day; unset counts every second by calendar date
   * @param interfaceCounters per indicator, a network interface of this host whose bytes received
   *     plus sent feed it, read from Linux's /proc/net/dev once a second ({@code
   *     stability.capacity.interface-counters.bandwidth=eth0})
   * @param interfaceCountersFile where the interface counters are read, {@code /proc/net/dev} by
   *     default (a container reading its host's counters mounts them elsewhere)
   */
  public record Capacity(
      List<String> indicators,
      Path store,
      Double requiredHeadroom,
      Map<String, Double> requiredMultiples,
      Map<String, Double> provisioned,
      Period peakWindow,
      String calendar,
      Map<String, String> interfaceCounters,
      Path interfaceCountersFile) {}

  /**
   * Operations control ({@code OperationSettings}, R4-R6).
   *
   * @param calendar the trading calendar: china-equities, or unset for none (no change window is
   *     enforced)
   * @param changeWindowMargin how long before a session opens and after it closes risky changes are
   *     refused too; 0 by default
   * @param maxFrozenBreak breaks between sessions up to this long are frozen too; 2 h by default
   * @param logFile the operation log (hash-chained JSON lines); records go only to the event output
   *     when unset
   * @param retention how long rolled log files are kept, at least 365 days; 366 days by default
   * @param approvalTimeout how long requests and approvals stay valid, 10 s to 24 h; 15 min by
   *     default
   * @param chainKey a secret of at least 32 bytes (UTF-8) that makes the chain an HMAC; plain
   *     SHA-256 when unset
   */
  public record Operations(
      String calendar,
      Duration changeWindowMargin,
      Duration maxFrozenBreak,
      Path logFile,
      Duration retention,
      Duration approvalTimeout,
      String chainKey) {}

  /**
   * The SDK's ops endpoint ({@code OpsEndpointSettings}, R15), started beside the runtime when
   * enabled.
   *
   * @param enabled whether to start it; false by default
   * @param address where it listens; loopback by default
   * @param port the port; 0 (a free one) by default
   * @param tokens bearer tokens by operator name, each at least 32 characters
   * @param maxFailedAttempts failed authentications that lock a client out; 5 by default
   * @param failureWindow the window failures are counted in; 1 min by default
   * @param lockout how long a locked-out client is refused; 5 min by default
   */
  public record Ops(
      @DefaultValue("false") boolean enabled,
      String address,
      Integer port,
      Map<String, String> tokens,
      Integer maxFailedAttempts,
      Duration failureWindow,
      Duration lockout) {}

  /**
   * Log output.
   *
   * @param json whether Logback's appenders write the SDK's canonical JSON line
   *     (StabilityJsonEncoder) instead of their own pattern; the MDC trace id becomes seq
   */
  public record Logging(@DefaultValue("false") boolean json) {}
}
