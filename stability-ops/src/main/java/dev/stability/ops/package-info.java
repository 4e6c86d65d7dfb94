/**
 * The operations endpoint and console over HTTP (Jetty): health, readiness, guards, dual-control
 * operations, capacity, the operation log and switchover, behind bearer tokens and TLS (R15).
 */
package dev.stability.ops;
