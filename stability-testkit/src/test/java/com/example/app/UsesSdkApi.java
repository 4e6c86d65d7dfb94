package com.example.app;

import dev.stability.core.StabilityRuntime;

/** Complying sample: an application using the SDK's public API. */
final class UsesSdkApi {
  StabilityRuntime runtime;
}
