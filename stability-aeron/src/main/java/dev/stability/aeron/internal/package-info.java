/** Internal to the Aeron module: the wire format and thread helpers. Not API. */
package dev.stability.aeron.internal;
