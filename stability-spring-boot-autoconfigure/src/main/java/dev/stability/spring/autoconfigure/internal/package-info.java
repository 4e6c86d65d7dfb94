/** Internal to the auto-configuration: properties mapped to the SDK's settings. Not API. */
package dev.stability.spring.autoconfigure.internal;
