package org.calql.env;

/**
 * The actions an {@link Environment} accepts, Gymnasium-style: a continuous {@link BoxSpace} or a finite
 * {@link DiscreteSpace}. An action is always a {@code double[]} of length {@link #dim()}: the box's coordinates, or
 * for a discrete space one entry holding the action's index.
 */
public sealed interface ActionSpace permits BoxSpace, DiscreteSpace {
    /** Width of an action array: the box's dimension, or 1 for a discrete index. */
    int dim();
}
