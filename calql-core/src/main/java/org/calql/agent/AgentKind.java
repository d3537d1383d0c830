package org.calql.agent;

/**
 * Which agent a checkpoint holds, as its {@code agent-kind} section names it. A file without that section holds a
 * continuous {@link Agent}: every file written before discrete agents had checkpoints, and every continuous file
 * written since (the section is omitted for it, so continuous files stay byte for byte what earlier calql wrote and
 * read).
 */
enum AgentKind {
    /** {@link Agent}: tanh-Gaussian (or a user's) policy over a box of actions. */
    CONTINUOUS("calql-continuous", "Agent.load"),
    /** {@link DiscreteAgent}: critics with one Q-value per action, greedy / ε-greedy acting. */
    DISCRETE("calql-discrete", "DiscreteAgent.load"),
    /** {@link AcaAgent}: Actor-Critic Alignment (SAC+ML offline, the reparameterised critic online). */
    ACA("calql-aca", "AcaAgent.load");

    private final String label;
    private final String loader;

    AgentKind(String label, String loader) {
        this.label = label;
        this.loader = loader;
    }

    /** The name written in the {@code agent-kind} section and reported by {@link CheckpointInfo#agentKind()}. */
    String label() {
        return label;
    }

    /** The method that loads this kind, for messages. */
    String loader() {
        return loader;
    }

    /** The kind labelled {@code label}, or null. */
    static AgentKind labelled(String label) {
        for (AgentKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        return null;
    }
}
