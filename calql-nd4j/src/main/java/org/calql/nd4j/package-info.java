/**
 * The ND4J backend for calql networks: float32 on ND4J's native CPU library (CUDA by swapping the
 * native artifact, untested). It runs every {@link org.calql.spi.NetworkSpec}: ReLU, tanh, ELU or SiLU
 * after each hidden layer, with or without LayerNorm (whose gain and shift follow each hidden layer's
 * block in the flat parameter buffer).
 *
 * <p>{@link org.calql.nd4j.Nd4jBackendProvider} registers the backend under the name {@code nd4j}
 * with rank 10, so {@link org.calql.spi.Backends#best()} prefers it to the plain-Java one; the native
 * library loads on {@link org.calql.nd4j.Nd4jBackendProvider#create()}, not when the provider is found.
 *
 * <p>How it is fast: all parameters of a network live in one flat float buffer, each layer as an
 * augmented f-order matrix {@code [W | b]} of shape {@code [out, in + 1]}; activations are f-order
 * {@code [rows, width + 1]} with a trailing column of ones, so one {@code Nd4j.gemm} into a
 * preallocated output does a layer's product and bias, and one gemm gives its weight and bias
 * gradients. Plain ReLU networks (the Cal-QL/CQL critics and policy) instead keep activations row by row and
 * multiply on oneDNN with bias and ReLU fused ({@link org.calql.nd4j.Bf16Gemm}; float32 math by default, bfloat16
 * inputs at {@link org.calql.spi.Precision#BF16}); {@code -Dcalql.nd4j.fp32Products=openblas} keeps them on OpenBLAS.
 * Buffers are sized once per {@link org.calql.spi.Workspace}; fewer rows use cached views.
 * Host {@code double[]} arrays are converted at the boundaries through reused {@code float[]} scratch.
 */
package org.calql.nd4j;
