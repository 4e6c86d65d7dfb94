/** Internal to the operations endpoint: its routes, pages and sessions. Not API. */
package dev.stability.ops.internal;
