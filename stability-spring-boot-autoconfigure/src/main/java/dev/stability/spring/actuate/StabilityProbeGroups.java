package dev.stability.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * Adds the SDK's health indicators to Actuator's probe groups: {@code stabilityLiveness} to {@code
 * liveness} and {@code stabilityReadiness} to {@code readiness}, so a grade-1 SDK check going DOWN
 * takes the probe DOWN (HTTP 503). Groups that do not exist (probes off) are left alone; everything
 * else about a group (its own members, status mapping, paths) is unchanged.
 *
 * <p>A bean post-processor of the {@link HealthEndpointGroups} bean rather than one of Actuator's
 * group post-processors: Actuator adds the probe groups in a group post-processor of the lowest
 * precedence, which its own bean post-processor applies; this one is registered after that (its
 * auto-configuration comes after Actuator's health endpoint), so it sees the probe groups.
 */
public class StabilityProbeGroups implements BeanPostProcessor {

  private final Map<String, String> memberByGroup;

  /** Adds {@code member} to each group named by a key of {@code memberByGroup}. */
  public StabilityProbeGroups(Map<String, String> memberByGroup) {
    this.memberByGroup = Map.copyOf(memberByGroup);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    return bean instanceof HealthEndpointGroups groups ? withMembers(groups) : bean;
  }

  /** The groups with the SDK's members added. */
  public HealthEndpointGroups withMembers(HealthEndpointGroups groups) {
    Map<String, HealthEndpointGroup> out = new LinkedHashMap<>();
    boolean changed = false;
    for (String name : groups.getNames()) {
      HealthEndpointGroup group = groups.get(name);
      String member = memberByGroup.get(name);
      if (member != null) {
        group = new WithMember(group, member);
        changed = true;
      }
      out.put(name, group);
    }
    return changed ? HealthEndpointGroups.of(groups.getPrimary(), out) : groups;
  }

  private record WithMember(HealthEndpointGroup group, String member)
      implements HealthEndpointGroup {

    @Override
    public boolean isMember(String name) {
      return member.equals(name) || group.isMember(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return group.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return group.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return group.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return group.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return group.getAdditionalPath();
    }
  }
}
