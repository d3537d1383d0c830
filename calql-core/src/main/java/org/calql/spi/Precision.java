package org.calql.spi;

/**
 * The arithmetic of a network's matrix products. Parameters, gradients, Adam moments and everything calql-core
 * computes stay float32/float64 in both.
 */
public enum Precision {
    /** Float32 products (the default; every backend runs it). */
    FP32,
    /**
     * Mixed precision: every matrix product of the forward and backward passes (weight-gradient products
     * included) rounds its two inputs to bfloat16 (8 significant bits, round to nearest even, relative error at
     * most 2⁻⁹ ≈ 2.0e-3 per input) and accumulates in float32. Needs a backend that implements it (the ND4J
     * backend, on a CPU with AMX-BF16 or AVX512-BF16); see {@link Backend#withPrecision(Precision)}.
     */
    BF16
}
