/**
 * One primary across hosts on ZooKeeper (Curator): the role lease, the endpoint registry members
 * follow to the primary, their settings, and an embedded ZooKeeper for tests and demos (R9, R11).
 */
package dev.stability.zookeeper;
