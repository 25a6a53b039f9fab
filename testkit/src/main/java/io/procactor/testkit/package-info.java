/**
 * Testing actors with JUnit 5: {@link io.procactor.testkit.ProcactorTest} gives each test an
 * {@link io.procactor.ActorSystem} with fast test settings and fails it when a child process
 * outlives it; {@link io.procactor.testkit.TestProbe} expects messages with timeouts;
 * {@link io.procactor.testkit.ProcessFaults} kills, stops and resumes child processes;
 * {@link io.procactor.testkit.Timeouts} scales every bound by {@code -Dprocactor.test.time-factor}.
 * Uses the public API of {@code io.procactor} only.
 */
package io.procactor.testkit;
