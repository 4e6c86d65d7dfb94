package dev.stability.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code on the latency-critical order path (R14). The testkit's ArchUnit rules check that such
 * code does not block (no sleeps, blocking I/O, {@code synchronized} or {@code Object.wait}) and
 * calls outbound clients only through a guard. It has no effect at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface CriticalPath {
  /** Why this code is critical, for the reader and for rule violation messages. */
  String value() default "";
}
