/** {@code @Guarded}: a Spring bean's method called through a named guard. */
package dev.stability.spring.guard;
