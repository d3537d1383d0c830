package org.calql.io;

import java.nio.file.Path;

/**
 * What kind of actions a dataset file holds and how many, as {@link DatasetLoader#inspect(Path)} reports it:
 * {@link Continuous} vectors of a given width, or {@link Discrete} action indices. It tells a caller which loader
 * to call: {@link DatasetLoader#load(Path)} for continuous actions, {@link DatasetLoader#loadDiscrete(Path, int)}
 * for discrete ones.
 */
public sealed interface DatasetActions permits DatasetActions.Continuous, DatasetActions.Discrete {
    /** Width of an action in the loaded {@link org.calql.data.OfflineDataset}: the vector's width, or 1 for an index. */
    int width();

    /**
     * Continuous actions: {@code actions} is a matrix {@code [N, dim]} (of any numeric type), or a Minari file
     * declares a {@code Box} action space.
     *
     * @param dim the width of an action, at least 1
     */
    record Continuous(int dim) implements DatasetActions {
        /** @throws IllegalArgumentException if {@code dim < 1} */
        public Continuous {
            if (dim < 1) {
                throw new IllegalArgumentException("an action has at least 1 coordinate, found dim " + dim);
            }
        }

        @Override
        public int width() {
            return dim;
        }

        @Override
        public String toString() {
            return "continuous, " + dim + (dim == 1 ? " dimension" : " dimensions");
        }
    }

    /**
     * Discrete actions: {@code actions} is an integer vector {@code [N]}, or a Minari file declares a
     * {@code Discrete} action space (Gymnasium's {@code Discrete(n, start)}, whose actions are
     * {@code start, …, start + n − 1}; calql loads action {@code a} as the index {@code a − start}).
     *
     * @param n the number of actions: the space's {@code n} when the file declares one, otherwise the largest
     *     index in the data plus one
     * @param start the space's first action ({@code 0} unless a Minari space declares another)
     * @param inferred true if {@code n} was inferred from the data (largest index + 1), which undercounts a space
     *     whose last actions were never taken; false if the file's metadata declares it
     */
    record Discrete(int n, long start, boolean inferred) implements DatasetActions {
        /** @throws IllegalArgumentException if {@code n < 1} */
        public Discrete {
            if (n < 1) {
                throw new IllegalArgumentException("a discrete action space has at least 1 action, found n " + n);
            }
        }

        @Override
        public int width() {
            return 1;
        }

        @Override
        public String toString() {
            return "discrete, " + n + (n == 1 ? " action" : " actions") + (start == 0 ? "" : " (start " + start + ")")
                    + (inferred ? " (inferred: largest index + 1)" : " (declared)");
        }
    }
}
