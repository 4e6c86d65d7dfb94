package dev.stability.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code whose results must depend only on its inputs, such as a state machine that a standby
 * replays from the journal (R10): the testkit's ArchUnit rules check that it reads neither the wall
 * clock nor a random source directly (it receives a {@code Clock} or a seed instead).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Deterministic {}
