package org.calql.config;

import java.util.Arrays;
import java.util.Objects;
import org.calql.critic.CriticSpec;
import org.calql.spi.Initialization;

/**
 * The fields of a {@link CalQlConfig} that shape networks, buffers and random draws, defined once: an agent's
 * structure never changes after creation, so a phase switch ({@code UpdateStep.reconfigure}) and a checkpoint
 * loaded with a given config both require it to be equal, and name the first field that is not.
 *
 * @param observationDim     width of an observation
 * @param actionDim          width of an action
 * @param batchSize          transitions per update
 * @param criticEnsembleSize K
 * @param cqlNActions        N
 * @param critic             critic architecture
 * @param policyHidden       hidden widths of the default policy
 * @param policy             {@code tanhGaussian}, or {@code custom} for a policy from a user's factory
 * @param maxTargetBackup    whether the TD target takes N next-state samples
 * @param maxAction          action scale
 * @param initialization     parameter initialisation
 * @param seed               seed of initialisation and draws
 */
public record ConfigStructure(int observationDim, int actionDim, int batchSize, int criticEnsembleSize,
                              int cqlNActions, CriticSpec critic, int[] policyHidden, String policy,
                              boolean maxTargetBackup, double maxAction, Initialization initialization, long seed) {
    /** A defensive copy of the widths. */
    public ConfigStructure {
        policyHidden = policyHidden.clone();
    }

    /**
     * Checks that {@code other} has the same structure.
     *
     * @throws IllegalArgumentException naming the first field that differs, with both values
     */
    public void requireSame(ConfigStructure other) {
        same("observationDim", observationDim, other.observationDim);
        same("actionDim", actionDim, other.actionDim);
        same("batchSize", batchSize, other.batchSize);
        same("criticEnsembleSize", criticEnsembleSize, other.criticEnsembleSize);
        same("cqlNActions", cqlNActions, other.cqlNActions);
        same("critic", critic, other.critic);
        same("policyHidden", Arrays.toString(policyHidden), Arrays.toString(other.policyHidden));
        same("policy", policy, other.policy);
        same("maxTargetBackup", maxTargetBackup, other.maxTargetBackup);
        same("maxAction", maxAction, other.maxAction);
        same("initialization", initialization, other.initialization);
        same("seed", seed, other.seed);
    }

    private static void same(String field, Object current, Object other) {
        if (!Objects.equals(current, other)) {
            throw new IllegalArgumentException(field + " cannot change after creation: it is " + current
                    + ", found " + other);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigStructure s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "observationDim=" + observationDim + ", actionDim=" + actionDim + ", batchSize=" + batchSize
                + ", criticEnsembleSize=" + criticEnsembleSize + ", cqlNActions=" + cqlNActions + ", critic="
                + critic + ", policyHidden=" + Arrays.toString(policyHidden) + ", policy=" + policy
                + ", maxTargetBackup=" + maxTargetBackup + ", maxAction=" + maxAction + ", initialization="
                + initialization + ", seed=" + seed;
    }
}
