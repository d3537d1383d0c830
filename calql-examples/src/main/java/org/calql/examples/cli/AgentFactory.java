package org.calql.examples.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calql.agent.AcaAgent;
import org.calql.agent.Agent;
import org.calql.agent.DiscreteAgent;
import org.calql.config.CalQlConfig;
import org.calql.discrete.DiscreteConfig;
import org.calql.policy.LinearDecay;
import org.calql.train.TrainingConfig;

/**
 * Makes the agent of one run (method, seed) for an action space: the continuous {@link Agent} or the
 * {@link DiscreteAgent}, both from the shared {@link AgentOptions}. The demo and {@code train} run either through
 * {@link RunAgent} and the shared trainer.
 */
interface AgentFactory {
    /** Builds a config once, so a bad value fails before any run starts. */
    void validate();

    /** A fresh agent for {@code method} initialised from {@code seed}. */
    RunAgent create(Method method, long seed, TrainingConfig training);

    /**
     * The settings of the agents of {@code methods} for reports, in display order: with ACA among them, its own
     * ({@link AgentOptions#describeAca}) after the shared ones, and the Cal-QL/CQL-only rows marked as such (or left
     * out when ACA runs alone).
     */
    Map<String, String> describe(List<Method> methods);

    /** The line printed when a command starts, with the library's default beside each setting that differs. */
    String settingsLine();

    /** {@code name value}, with {@code (library default x)} when they differ. */
    private static String differs(String name, double value, double library) {
        String v = value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value)
                : AgentOptions.num(value);
        String l = library == Math.rint(library) && Math.abs(library) < 1e9 ? Long.toString((long) library)
                : AgentOptions.num(library);
        return name + " " + v + (value == library ? "" : " (library default " + l + ")");
    }

    /**
     * Continuous agents for observations of {@code observationDim} and actions of {@code actionDim}: Cal-QL and
     * CQL from {@link AgentOptions#config}, ACA from {@link AgentOptions#acaConfig}.
     */
    static AgentFactory continuous(AgentOptions options, int observationDim, int actionDim) {
        return new AgentFactory() {
            @Override
            public void validate() {
                options.config(observationDim, actionDim, Method.CALQL.regularizer(), 0L);
                options.acaConfig(observationDim, actionDim, 0L);
            }

            @Override
            public RunAgent create(Method method, long seed, TrainingConfig training) {
                if (method == Method.ACA) {
                    return RunAgent.of(AcaAgent.create(options.acaConfig(observationDim, actionDim, seed), training,
                            options.backend()));
                }
                CalQlConfig config = options.config(observationDim, actionDim, method.regularizer(), seed);
                return RunAgent.of(Agent.create(config, training, options.backend()));
            }

            @Override
            public Map<String, String> describe(List<Method> methods) {
                Map<String, String> shared = options.describe();
                if (!methods.contains(Method.ACA)) {
                    return shared;
                }
                boolean conservative = methods.stream().anyMatch(Method::conservative);
                Map<String, String> m = new LinkedHashMap<>();
                shared.forEach((k, v) -> {
                    if (!AgentOptions.CONSERVATIVE_ONLY.contains(k)) {
                        m.put(k, v);
                    } else if (conservative) {
                        m.put(k + " (Cal-QL, CQL)", v);
                    }
                });
                m.putAll(options.describeAca(observationDim, actionDim));
                return m;
            }

            @Override
            public String settingsLine() {
                return options.settingsLine();
            }
        };
    }

    /**
     * Discrete agents choosing among {@code numActions} actions: critics of {@code --hidden}, {@code --critics} of
     * them, batch {@code --batch-size}, Adam at {@code --qf-lr}, CQL α {@code --cql-alpha}, discount
     * {@code --discount}, a soft target update by {@code --tau} after every update, Double DQN with a Huber TD error,
     * and ε-greedy exploration online by {@code epsilon}.
     */
    static AgentFactory discrete(AgentOptions options, LinearDecay epsilon, int observationDim, int numActions) {
        return new AgentFactory() {
            private DiscreteConfig config(Method method, long seed) {
                return DiscreteConfig.builder().observationDim(observationDim).numActions(numActions)
                        .batchSize(options.batchSize).criticHidden(options.hidden.widths()).criticCount(options.critics)
                        .lr(options.qfLr).discount(options.discount).targetUpdatePeriod(1).tau(options.tau)
                        .cqlAlpha(options.cqlAlpha).regularizer(method.regularizer()).seed(seed).build();
            }

            @Override
            public void validate() {
                config(Method.CALQL, 0L);
            }

            @Override
            public String settingsLine() {
                DiscreteConfig c = config(Method.CALQL, 0L);
                DiscreteConfig api = DiscreteConfig.builder().observationDim(observationDim).numActions(numActions)
                        .build();
                return "settings: discrete, " + differs("discount", c.discount(), api.discount()) + ", "
                        + differs("CQL α", c.cqlAlpha(), api.cqlAlpha()) + ", " + differs("tau", c.tau(), api.tau())
                        + ", " + differs("lr", c.lr(), api.lr()) + ", " + differs("target update period",
                        c.targetUpdatePeriod(), api.targetUpdatePeriod()) + ", " + differs("batch", c.batchSize(),
                        api.batchSize()) + ", " + differs("critics", c.criticCount(), api.criticCount())
                        + ", hidden " + options.hidden + ", mixing " + AgentOptions.num(options.mixingRatio) + ", UTD "
                        + options.utd + ", backend " + options.backend;
            }

            @Override
            public RunAgent create(Method method, long seed, TrainingConfig training) {
                if (!method.conservative()) {
                    throw new IllegalArgumentException("method " + method.label() + " trains continuous actions"
                            + " only; this environment's actions are discrete: use calql or cql");
                }
                return RunAgent.of(DiscreteAgent.create(config(method, seed), training, epsilon, options.backend()));
            }

            @Override
            public Map<String, String> describe(List<Method> methods) {
                Map<String, String> m = new LinkedHashMap<>(options.describe());
                // Continuous-only settings: the discrete term sums over every action, and there is no policy network.
                m.remove("sampled actions N");
                m.remove("policy lr");
                m.put("actions", numActions + " (discrete; greedy policy over the mean of the critics)");
                m.put("TD target", "Double DQN, minimum over the target critics, Huber error");
                m.put("target update", "soft, by tau after every update");
                m.put("exploration online", "ε-greedy, ε from " + AgentOptions.num(epsilon.start()) + " to "
                        + AgentOptions.num(epsilon.end()) + " over " + epsilon.steps() + " environment steps");
                return m;
            }
        };
    }
}
