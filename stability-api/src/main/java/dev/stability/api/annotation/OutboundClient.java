package dev.stability.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a client of another system (exchange link, risk service, database): the testkit's ArchUnit
 * rules check that {@link CriticalPath} code calls it only through a guard (R14), i.e. from a
 * lambda handed to the guard rather than directly.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OutboundClient {}
