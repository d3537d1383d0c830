package org.calql.regularizer;

/**
 * The conservative term of one critic, as a function of its Q-values.
 *
 * <p>The Q-values come in the {@link QLayout} of {@link PenaltyInputs#layout()}: a block of
 * {@link PenaltyInputs#stride()} entries per state. For continuous actions
 * ({@link QLayout#sampledActions}) a block is {@code 1 + 3N} entries:
 * <pre>
 *   q[b·(1+3N)]                   Q(s_b, a_data)
 *   q[b·(1+3N) + 1 … N]           Q(s_b, a_rand_j)     uniform random actions
 *   q[b·(1+3N) + N+1 … 2N]        Q(s_b, a_next_j)     policy actions drawn at s'_b
 *   q[b·(1+3N) + 2N+1 … 3N]       Q(s_b, a_cur_j)      policy actions drawn at s_b
 * </pre>
 * For discrete actions ({@link QLayout#allActions}) a block is {@code Q(s_b, 0) … Q(s_b, |A|−1)} and the data
 * entry is {@code q[b·|A| + a_data_b]}. An implementation returns the gap {@code value} (which the update step
 * weighs by CQL's α, or by the Lagrange multiplier) and writes {@code d value / d q} for every entry. An
 * implementation that serves only some layouts should reject the others with an
 * {@link IllegalArgumentException}. Implementations must be stateless or otherwise safe to share between agents.
 */
public interface ConservativeRegularizer {
    /**
     * @param inputs log-probabilities and reference values of this batch
     * @param q      the critic's Q-values, {@code [B·stride]} in the inputs' layout
     * @param gradQ  receives {@code d value / d q} in the same layout (overwritten)
     * @return the regularizer's value for the batch
     */
    double evaluate(PenaltyInputs inputs, double[] q, double[] gradQ);
}
