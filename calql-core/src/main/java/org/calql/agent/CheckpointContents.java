package org.calql.agent;

import org.calql.aca.AcaConfig;
import org.calql.aca.AcaUpdateState;
import org.calql.config.CalQlConfig;
import org.calql.config.ConfigStructure;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.ObservationNormalizer;
import org.calql.data.ReplayBuffer;
import org.calql.discrete.DiscreteConfig;
import org.calql.policy.LinearDecay;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyState;
import org.calql.train.TrainingConfig;
import org.calql.update.UpdateStepState;

/**
 * What a checkpoint reader decoded, filled section by section and turned into an agent only after the whole
 * file checked out. {@link #template} is a fresh agent's state built from the config: its array layouts are what
 * the config implies, so every declared length is compared with it before an array is allocated.
 */
final class CheckpointContents {
    /** 1 or 2. */
    int formatVersion;
    /** Which agent the file holds: its {@code agent-kind} section's, or continuous when it has none. */
    AgentKind kind = AgentKind.CONTINUOUS;
    /** The v2 sections in file order (empty for v1). */
    java.util.List<CheckpointInfo.Section> sections = java.util.List.of();
    /** Why the values were not built (inspection of a checkpoint with custom components). */
    String note = "";
    /** The saved config's text, as {@link ConfigCodec} wrote it. */
    String configText;
    /** The structural fields of the saved config (dimensions, sizes), read without building it. */
    ConfigStructure structure;
    /** The config the agent is built with: the saved one, or the caller's when it fits. */
    CalQlConfig config;
    /** Width of an observation and of an action (1 for a discrete agent's index), from the config section. */
    int observationDim;
    int actionDim;
    /** A discrete agent's saved config entries, checked well-formed ({@link ConfigCodec#discreteEntries}). */
    java.util.Map<String, String> discreteEntries;
    /** The discrete config the agent is built with: the saved one, or the caller's when it fits. */
    DiscreteConfig discreteConfig;
    /** A discrete agent's ε schedule. */
    LinearDecay epsilon;
    /** The saved training config's text. */
    String trainingText;
    TrainingConfig training;
    /** A fresh agent built from {@link #config}; null when the values are not to be built (inspection only). */
    Agent agent;
    /** The fresh agent's state, the layouts every array must have; null with {@link #agent}. */
    UpdateStepState template;
    /** A fresh discrete agent built from {@link #discreteConfig}; null when not to be built or continuous. */
    DiscreteAgent discreteAgent;
    /** An ACA agent's config, decoded from its {@code aca-config} section. */
    AcaConfig acaConfig;
    /** A fresh ACA agent built from {@link #acaConfig}; null when not built or another kind. */
    AcaAgent acaAgent;
    /** The fresh ACA agent's state, the layouts of its arrays; null with {@link #acaAgent}. */
    AcaUpdateState acaTemplate;
    /** The fresh agent's policy (continuous or ACA), the layout the policy sections must have. */
    PolicyState policyTemplate;
    /** An ACA agent's {@code Z_i}, frozen π₀ (null before alignment), whether aligned and w. */
    CriticEnsembleState z;
    PolicyState referencePolicy;
    boolean acaOnline;
    double acaWeight;
    /** The fresh agent's critics (every kind), the layouts the critics section must have; null when not built. */
    CriticEnsembleState criticsTemplate;

    CriticEnsembleState critics;
    PolicyState policy;
    ScalarState temperature;
    ScalarState lagrange;
    long updateSteps;
    ObservationNormalizer normalizer;
    boolean hasReplay;
    ReplayBuffer.State replay;
    long[][] generators;
    long[] counters;
    boolean onlinePhase;
    /** The backend the fresh agent runs on (set with it). */
    org.calql.spi.Backend backend;
    /** The fitted reference of the {@code reference} section, or null (the file has none). */
    org.calql.regularizer.ReferenceValues reference;
    /** Whether the caller's config names a reference of its own, which then wins over the saved one. */
    boolean givenReference;
    /** The offline data's fingerprint, or null (none, or a format-1 file). */
    String offlineData;

    /** Whether a fresh agent (of any kind) was built to read the values into. */
    boolean built() {
        return agent != null || discreteAgent != null || acaAgent != null;
    }

    /** The ACA update's state from the decoded parts. */
    AcaUpdateState acaUpdateState() {
        return new AcaUpdateState(policy, critics, z, temperature, referencePolicy, acaWeight, acaOnline, updateSteps);
    }

    /** The update step's state from the decoded parts. */
    UpdateStepState updateStepState() {
        return new UpdateStepState(critics, policy, temperature, lagrange, updateSteps);
    }
}
