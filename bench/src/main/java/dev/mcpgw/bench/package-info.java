/**
 * JMH benchmarks of the gateway's hot paths (run from {@code bench/target/benchmarks.jar}); each class says what it
 * measures and how to run it.
 */
package dev.mcpgw.bench;
