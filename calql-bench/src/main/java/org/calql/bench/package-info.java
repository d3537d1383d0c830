/**
 * JMH benchmarks of the calql hot path and the machine's sgemm limit they are measured against.
 *
 * <p>{@link org.calql.bench.BenchMain} runs them and prints the results table; {@link org.calql.bench.EssentialFlops}
 * counts the matrix work one update needs; {@link org.calql.bench.StageBreakdown} times the stages of an update
 * one by one. See {@code calql-bench/README.md}.
 */
package org.calql.bench;
