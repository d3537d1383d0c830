package org.calql.update;

import org.calql.optim.ScalarAdam;
import org.calql.optim.ScalarState;

/** Validation of restored scalar parameters. */
final class ScalarStates {
    private ScalarStates() {
    }

    static void check(ScalarState state, String name) {
        if (state == null) {
            throw new IllegalArgumentException(name + " state must not be null");
        }
        if (!Double.isFinite(state.value())) {
            throw new IllegalArgumentException(name + " must be finite, found " + state.value());
        }
        double[] adam = state.adam();
        new ScalarAdam().importState(adam);
        if (!Double.isFinite(adam[1]) || !Double.isFinite(adam[2]) || adam[2] < 0) {
            throw new IllegalArgumentException(name + " optimizer moments must be finite with v >= 0, found m "
                    + adam[1] + ", v " + adam[2]);
        }
    }
}
