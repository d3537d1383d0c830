/**
 * The plain-Java reference backend ({@code java}): fully connected ReLU networks computed in
 * {@code double} on primitive arrays, with PyTorch semantics throughout. It always exists, needs no
 * native library, and is the oracle every other backend is tested against.
 *
 * <ul>
 *   <li>{@link org.calql.nn.JavaBackendProvider} registers the backend with {@link java.util.ServiceLoader};
 *       {@link org.calql.nn.JavaBackend} creates its networks.</li>
 *   <li>{@link org.calql.nn.ParameterInitializer} draws initial parameters the way the Cal-QL reference
 *       code does ({@code init_module_weights} in CORL), for any backend.</li>
 *   <li>{@link org.calql.nn.Gaussian} draws standard normal numbers from a {@link java.util.SplittableRandom},
 *       reproducibly.</li>
 * </ul>
 *
 * <p>Networks keep their weights in the exported layout ({@code [out, in]}, row-major) and a transposed
 * copy that forward passes read, so every hot loop is a contiguous {@code y += a·x} over primitive arrays.
 */
package org.calql.nn;
