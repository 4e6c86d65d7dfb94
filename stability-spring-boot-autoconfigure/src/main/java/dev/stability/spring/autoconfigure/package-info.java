/**
 * Spring Boot auto-configuration of a {@code StabilityRuntime} from {@code stability.*} properties,
 * its customizer hook and the failure analyzer that shows a configuration error's key, value and
 * rule.
 */
package dev.stability.spring.autoconfigure;
