/**
 * The SDK's contracts that every module shares: who a process is ({@link
 * dev.stability.api.ServiceIdentity}, {@link dev.stability.api.Site}, {@link
 * dev.stability.api.Role}) and the exception family whose messages name key, value and rule. No
 * run-time dependency.
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.api;

import org.jspecify.annotations.NullMarked;
