package dev.stability.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who is speaking: the identity stamped on every log record, event and metric of a runtime.
 * Immutable and validated on construction; a bad value raises a {@link ConfigurationException}
 * naming the field, the value and the rule.
 *
 * @param systemCode the system code as registered with operations, e.g. {@code OMS}; 1-32 chars of
 *     letters, digits, {@code _ . -}, starting with a letter or digit
 * @param subsystem the component inside the system, e.g. {@code order-entry}; same characters, 1-64
 * @param instanceId this process, unique within the system, e.g. {@code oms-a1}; same characters,
 *     1-64
 * @param site where the instance runs
 * @param role the role the instance starts in
 * @param grade protection grade, 1 (highest) to 4; a grade-1 component that is down makes the whole
 *     service down
 */
public record ServiceIdentity(
    String systemCode, String subsystem, String instanceId, Site site, Role role, int grade) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** Validates every field; see the class description for the rules. */
  public ServiceIdentity {
    checkName("ServiceIdentity.systemCode", systemCode, 32);
    checkName("ServiceIdentity.subsystem", subsystem, 64);
    checkName("ServiceIdentity.instanceId", instanceId, 64);
    if (site == null) {
      throw new ConfigurationException("ServiceIdentity.site", null, "must be set");
    }
    if (site == Site.UNKNOWN) {
      throw new ConfigurationException(
          "ServiceIdentity.site", site, "must be where the instance runs, not UNKNOWN");
    }
    if (role == null) {
      throw new ConfigurationException("ServiceIdentity.role", null, "must be set");
    }
    if (role == Role.UNKNOWN) {
      throw new ConfigurationException(
          "ServiceIdentity.role", role, "must be PRIMARY or STANDBY, not UNKNOWN");
    }
    if (grade < 1 || grade > 4) {
      throw new ConfigurationException(
          "ServiceIdentity.grade", grade, "must be between 1 (highest) and 4");
    }
  }

  /** Starts a builder; {@code site} defaults to PRIMARY_DC, role to PRIMARY, grade to 1. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy of this identity with another role, e.g. for the standby of a pair. */
  public ServiceIdentity withRole(Role newRole) {
    return new ServiceIdentity(systemCode, subsystem, instanceId, site, newRole, grade);
  }

  /** A copy of this identity with another instance id and site. */
  public ServiceIdentity withInstance(String newInstanceId, Site newSite) {
    return new ServiceIdentity(systemCode, subsystem, newInstanceId, newSite, role, grade);
  }

  private static void checkName(String key, String value, int maxLength) {
    if (value == null) {
      throw new ConfigurationException(key, null, "must be set");
    }
    if (value.isEmpty() || value.length() > maxLength) {
      throw new ConfigurationException(key, value, "length must be 1.." + maxLength);
    }
    if (!NAME.matcher(value).matches()) {
      throw new ConfigurationException(
          key,
          value,
          "must contain only letters, digits, '_', '.', '-' and start with a letter or digit");
    }
  }

  /** Builds a {@link ServiceIdentity}; not thread-safe, validation happens in {@link #build()}. */
  public static final class Builder {
    private String systemCode;
    private String subsystem;
    private String instanceId;
    private Site site = Site.PRIMARY_DC;
    private Role role = Role.PRIMARY;
    private int grade = 1;

    private Builder() {}

    /** Sets the system code, e.g. {@code OMS}. */
    public Builder systemCode(String value) {
      this.systemCode = value;
      return this;
    }

    /** Sets the subsystem, e.g. {@code order-entry}. */
    public Builder subsystem(String value) {
      this.subsystem = value;
      return this;
    }

    /** Sets the instance id, e.g. {@code oms-a1}. */
    public Builder instanceId(String value) {
      this.instanceId = value;
      return this;
    }

    /** Sets the site. */
    public Builder site(Site value) {
      this.site = value;
      return this;
    }

    /** Sets the starting role. */
    public Builder role(Role value) {
      this.role = value;
      return this;
    }

    /** Sets the protection grade, 1 (highest) to 4. */
    public Builder grade(int value) {
      this.grade = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ConfigurationException naming the first invalid field
     */
    public ServiceIdentity build() {
      return new ServiceIdentity(systemCode, subsystem, instanceId, site, role, grade);
    }

    @Override
    public String toString() {
      return "ServiceIdentity.Builder[" + Objects.toString(systemCode) + "]";
    }
  }
}
