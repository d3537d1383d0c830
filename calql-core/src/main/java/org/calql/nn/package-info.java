/**
 * The plain-Java reference backend ({@code java}): fully connected networks of any {@link org.calql.spi.NetworkSpec}
 * (ReLU, tanh, ELU or SiLU; optional LayerNorm) computed in
 * {@code double} on primitive arrays, with PyTorch semantics throughout. It always exists, needs no
 * native library, and is the oracle every other backend is tested against.
 *
 * <ul>
 *   <li>{@link org.calql.nn.JavaBackendProvider} registers the backend with {@link java.util.ServiceLoader};
 *       {@link org.calql.nn.JavaBackend} creates its networks.</li>
 * </ul>
 *
 * <p>Networks keep their weights in the exported layout ({@code [out, in]}, row-major) and a transposed
 * copy that forward passes read, so every hot loop is a contiguous {@code y += a·x} over primitive arrays.
 */
package org.calql.nn;
