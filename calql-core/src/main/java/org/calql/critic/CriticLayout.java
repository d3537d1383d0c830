package org.calql.critic;

/** How a critic network sees its input, chosen by the update rule that trains it. */
public enum CriticLayout {
    /** {@code Q(s, a)}: input {@code concat(observation, action)}, one output (continuous actions). */
    STATE_ACTION,
    /** {@code Q(s, ·)}: input the observation, one output per action (discrete actions). */
    STATE_TO_ACTION_VALUES
}
