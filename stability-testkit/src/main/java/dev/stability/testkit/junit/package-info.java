/**
 * JUnit 5 integration: {@code @StabilityTest} with an isolated runtime per test, event and metric
 * expectations, {@code @InjectFault}, and the evidence collector.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.testkit.junit;

import org.jspecify.annotations.NullMarked;
