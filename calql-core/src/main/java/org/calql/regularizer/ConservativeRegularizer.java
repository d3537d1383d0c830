package org.calql.regularizer;

/**
 * The conservative term of one critic, as a function of its Q-values.
 *
 * <p>Q-values come per state {@code b} in blocks of {@code 1 + 3N} (see {@link PenaltyInputs#stride()}):
 * <pre>
 *   q[b·(1+3N)]                   Q(s_b, a_data)
 *   q[b·(1+3N) + 1 … N]           Q(s_b, a_rand_j)     uniform random actions
 *   q[b·(1+3N) + N+1 … 2N]        Q(s_b, a_next_j)     policy actions drawn at s'_b
 *   q[b·(1+3N) + 2N+1 … 3N]       Q(s_b, a_cur_j)      policy actions drawn at s_b
 * </pre>
 * An implementation returns the gap {@code value} (which the update step weighs by CQL's α, or by the
 * Lagrange multiplier) and writes {@code d value / d q} for every entry. Implementations must be
 * stateless or otherwise safe to share between agents.
 */
public interface ConservativeRegularizer {
    /**
     * @param inputs log-probabilities and reference values of this batch
     * @param q      the critic's Q-values, {@code [B·(1+3N)]}
     * @param gradQ  receives {@code d value / d q} in the same layout (overwritten)
     * @return the regularizer's value for the batch
     */
    double evaluate(PenaltyInputs inputs, double[] q, double[] gradQ);
}
