package org.calql.env;

/**
 * A finite set of actions {@code 0, 1, …, n − 1} (Gymnasium's {@code Discrete(n)}). An action travels as a
 * one-element {@code double[]} holding the index, so environments, datasets, replay and batches keep one layout for
 * both kinds of space; {@link #index(double[])} reads it back and refuses anything that is not an index.
 *
 * @param n the number of actions, at least 2
 */
public record DiscreteSpace(int n) implements ActionSpace {
    /** @throws IllegalArgumentException if {@code n < 2} */
    public DiscreteSpace {
        if (n < 2) {
            throw new IllegalArgumentException("a discrete action space needs at least 2 actions, found " + n);
        }
    }

    @Override
    public int dim() {
        return 1;
    }

    /** Whether {@code value} is an action index of this space: integral and in {@code [0, n)}. */
    public boolean contains(double value) {
        return value >= 0 && value < n && value == Math.rint(value);
    }

    /**
     * The index an action array holds.
     *
     * @throws IllegalArgumentException if the array is not of length 1 or its value is not an index in {@code [0, n)}
     */
    public int index(double[] action) {
        if (action == null || action.length != 1) {
            throw new IllegalArgumentException("a discrete action is one index, found "
                    + (action == null ? "null" : action.length + " values"));
        }
        if (!contains(action[0])) {
            throw new IllegalArgumentException("action must be an index in [0, " + n + "), found " + action[0]);
        }
        return (int) action[0];
    }

    @Override
    public String toString() {
        return "Discrete(" + n + ")";
    }
}
