/**
 * Serving a trained policy: {@link org.calql.serving.ServedPolicy}, the deterministic action on the host
 * (plain Java, no per-call native overhead, thread-safe, allocation-free once warm), written and read as a
 * policy-only artifact ({@link org.calql.serving.PolicyArtifact}) with calql-core alone on the class path, and
 * {@link org.calql.serving.NpyFile}, the NumPy {@code .npy} arrays batch scoring reads and writes.
 *
 * <p><b>Which path to serve on.</b> {@code agent.policy().act} runs on the backend that trains the agent; on ND4J
 * one observation pays its per-call overhead (measured earlier at about 145 µs, against about 5 µs on the host).
 * To serve, take a snapshot: {@code ServedPolicy.of(agent)} in the same process, or
 * {@code PolicyArtifact.write(agent, path)} then {@code ServedPolicy.load(path)} in another. The snapshot does not
 * follow later training; take a new one after it.
 */
package org.calql.serving;
