/**
 * Spring Boot Actuator integration: the SDK's health as health indicators and probe groups, and the
 * trading-readiness endpoint.
 */
package dev.stability.spring.actuate;
