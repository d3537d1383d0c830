package org.calql.critic;

import java.util.Arrays;
import org.calql.spi.NetworkSpec;

/**
 * The architecture of every critic of an ensemble, a value a user passes instead of code they fork: hidden
 * widths layer by layer. The input and output widths follow from the {@link CriticLayout} the update rule
 * chooses. Immutable; {@link #mlp(int...)} builds one.
 *
 * <p>Default (the reference code's): hidden {@code [256, 256]}, ReLU.
 */
public final class CriticSpec {
    private final int[] hidden;

    private CriticSpec(int[] hidden) {
        this.hidden = hidden;
    }

    /**
     * A fully connected ReLU critic with these hidden widths.
     *
     * @throws IllegalArgumentException if there are no widths or a width is not positive
     */
    public static CriticSpec mlp(int... hidden) {
        if (hidden == null || hidden.length == 0) {
            throw new IllegalArgumentException("critic hidden widths must not be empty, found "
                    + Arrays.toString(hidden));
        }
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i] <= 0) {
                throw new IllegalArgumentException("critic hidden[" + i + "] must be positive, found " + hidden[i]);
            }
        }
        return new CriticSpec(hidden.clone());
    }

    /** Hidden widths (a copy). */
    public int[] hidden() {
        return hidden.clone();
    }

    /**
     * The network of one critic.
     *
     * @param actionWidth the action's width ({@link CriticLayout#STATE_ACTION}) or the number of actions
     *                    ({@link CriticLayout#STATE_TO_ACTION_VALUES})
     */
    public NetworkSpec networkSpec(CriticLayout layout, int observationDim, int actionWidth) {
        return switch (layout) {
            case STATE_ACTION -> NetworkSpec.of(observationDim + actionWidth, hidden, 1);
            case STATE_TO_ACTION_VALUES -> NetworkSpec.of(observationDim, hidden, actionWidth);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CriticSpec c && Arrays.equals(c.hidden, hidden);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return "CriticSpec" + Arrays.toString(hidden);
    }
}
