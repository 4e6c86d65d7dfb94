package com.example.app;

import dev.stability.core.internal.SdkMeters;

/** Violating sample: an application reaching into the SDK's internals. */
final class UsesSdkInternals {
  SdkMeters meters;
}
