package dev.stability.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that repeating an operation has the same effect as doing it once, which is what makes a
 * retry safe. Retrying a non-idempotent operation (sending an order) creates a duplicate, so the
 * SDK and the testkit's ArchUnit rules allow retries only where this is declared.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Idempotent {
  /** Why repeating is safe (e.g. "keyed by client order id, the venue drops duplicates"). */
  String value() default "";
}
