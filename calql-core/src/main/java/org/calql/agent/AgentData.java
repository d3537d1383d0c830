package org.calql.agent;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.calql.data.DatasetFingerprint;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.ReplayBuffer;
import org.calql.data.RewardTransform;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.reference.ValueNetworkReference;
import org.calql.regularizer.Calibration;
import org.calql.regularizer.ReferenceValues;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.CqlRegularizer;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingState;

/**
 * What every agent does with data, whatever its action space: the observation normaliser, the offline data in use
 * (prepared once by the training config's reward transform, discount and sparse rule), its fingerprint check on
 * resume, and the replay's settings. The action check is the agent's own.
 */
final class AgentData {
    /** Checks a dataset's actions for an agent's action space. */
    @FunctionalInterface
    interface ActionCheck {
        /** @throws IllegalArgumentException naming the first bad action */
        void check(OfflineDataset dataset);
    }

    private final int observationDim;
    private final int actionDim;
    private final double discount;
    private final TrainingConfig training;
    private final TrainingState state;
    private final ActionCheck actionCheck;
    private ObservationNormalizer normalizer;
    private OfflineDataset offlineData;
    private PreparedDataset prepared;

    AgentData(int observationDim, int actionDim, double discount, TrainingConfig training, TrainingState state,
              ActionCheck actionCheck) {
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.discount = discount;
        this.training = training;
        this.state = state;
        this.actionCheck = actionCheck;
        this.normalizer = ObservationNormalizer.identity(observationDim);
    }

    ObservationNormalizer normalizer() {
        return normalizer;
    }

    void setNormalizer(ObservationNormalizer n) {
        this.normalizer = n;
    }

    PreparedDataset lastOfflineData() {
        return prepared;
    }

    /**
     * The check of {@link org.calql.train.TrainableAgent#checkEnvironment} for an agent acting in a box of actions:
     * a box action space and the configured dimensions.
     *
     * @throws IllegalArgumentException naming both sides when they differ
     */
    void checkBoxEnvironment(Environment environment) {
        if (!(environment.actionSpace() instanceof BoxSpace)) {
            throw new IllegalArgumentException("this agent's policy acts in a box of actions, but the environment's"
                    + " action space is " + environment.actionSpace());
        }
        if (environment.observationDim() != observationDim || environment.actionSpace().dim() != actionDim) {
            throw new IllegalArgumentException("environment has observationDim " + environment.observationDim()
                    + " and actionDim " + environment.actionSpace().dim()
                    + " but the agent was configured with observationDim " + observationDim
                    + " and actionDim " + actionDim);
        }
    }

    /** See {@link org.calql.train.TrainableAgent#useOfflineData}; returns whether the normaliser was refit. */
    PreparedDataset use(OfflineDataset dataset) {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must not be null");
        }
        if (dataset.observationDim() != observationDim || dataset.actionDim() != actionDim) {
            throw new IllegalArgumentException("dataset has observationDim " + dataset.observationDim()
                    + " and actionDim " + dataset.actionDim() + " but the agent was configured with observationDim "
                    + observationDim + " and actionDim " + actionDim);
        }
        if (dataset != offlineData) {
            String fingerprint = DatasetFingerprint.of(dataset);
            String trainedOn = state.offlineDataFingerprint();
            if (prepared == null && trainedOn != null && !trainedOn.equals(fingerprint)) {
                throw new IllegalArgumentException("this agent was trained on offline data " + trainedOn
                        + " but the given dataset is " + fingerprint + "; resume with the same dataset");
            }
            actionCheck.check(dataset);
            prepared = prepare(dataset);
            offlineData = dataset;
            state.recordOfflineData(fingerprint);
        }
        if (normalizer.isIdentity() && training.normalizeObservations() && state.pretrainUpdates() == 0
                && state.finetuneSteps() == 0) {
            normalizer = ObservationNormalizer.fit(dataset);
        }
        return prepared;
    }

    /** The prepared form of {@code dataset}: the one in use, or a fresh preparation. */
    PreparedDataset preparedForm(OfflineDataset dataset) {
        if (dataset.observationDim() != observationDim || dataset.actionDim() != actionDim) {
            throw new IllegalArgumentException("dataset has observationDim " + dataset.observationDim()
                    + " and actionDim " + dataset.actionDim() + " but the agent was configured with observationDim "
                    + observationDim + " and actionDim " + actionDim);
        }
        return dataset == offlineData ? prepared : prepare(dataset);
    }

    /**
     * The dataset's action values that fail {@code valid}: their count, and the first one's flat index and value;
     * null when every value passes. One pass over the action column, allocation-free.
     */
    static Outside scanActions(OfflineDataset dataset, DoublePredicate valid) {
        FloatBuffer actions = dataset.actionsView();
        int count = 0;
        int first = -1;
        float firstValue = 0f;
        for (int i = 0; actions.hasRemaining(); i++) {
            float a = actions.get();
            if (!valid.test(a)) {
                if (count++ == 0) {
                    first = i;
                    firstValue = a;
                }
            }
        }
        return count == 0 ? null : new Outside(count, first, firstValue);
    }

    /**
     * Checks a reference an agent is to calibrate against: not null, and every fitted part reads observations of the
     * agent's width through the agent's normaliser (equal means and stds).
     *
     * @throws IllegalArgumentException naming the part and what differs
     */
    static void checkReference(ReferenceValues reference, ObservationNormalizer normalizer) {
        if (reference == null) {
            throw new IllegalArgumentException("reference must not be null");
        }
        for (ReferenceValues part : reference.parts()) {
            if (part instanceof ValueNetworkReference v) {
                ObservationNormalizer n = v.normalizer();
                if (n.observationDim() != normalizer.observationDim()) {
                    throw new IllegalArgumentException("reference " + v.name() + " reads observations of width "
                            + n.observationDim() + ", the agent's have " + normalizer.observationDim());
                }
                if (!Arrays.equals(n.mean(), normalizer.mean()) || !Arrays.equals(n.std(), normalizer.std())) {
                    throw new IllegalArgumentException("reference " + v.name() + " was fitted on observations "
                            + "normalised by " + n + ", the agent normalises by " + normalizer
                            + " (fit it on agent.referenceData(dataset))");
                }
            }
        }
    }

    /** Action values that failed a check: how many, and the first's flat index and value. */
    record Outside(int count, int first, float firstValue) {
    }

    /**
     * The conservative weight of the online phase: 0 without {@link TrainingConfig#onlineConservative()} (plain SAC
     * or DQN online), else {@link TrainingConfig#onlineCqlAlpha()} if set, else the offline one.
     */
    double onlineCqlAlpha(double offline) {
        if (!training.onlineConservative()) {
            return 0.0;
        }
        return Double.isNaN(training.onlineCqlAlpha()) ? offline : training.onlineCqlAlpha();
    }

    /**
     * The regularizer of the online phase: the offline one, or with {@code calibrateOnline(false)} the same CQL term
     * without calibration (a custom regularizer is kept as it is).
     */
    ConservativeRegularizer onlineRegularizer(ConservativeRegularizer offline) {
        if (!training.calibrateOnline() && offline instanceof CqlRegularizer cql) {
            return cql.toBuilder().calibration(Calibration.none()).build();
        }
        return offline;
    }

    ReplayBuffer newReplayBuffer() {
        return new ReplayBuffer(training.replayCapacity(), observationDim, actionDim, rewardTransform(), discount,
                sparseFailureReward());
    }

    private PreparedDataset prepare(OfflineDataset dataset) {
        return PreparedDataset.prepare(dataset, rewardTransform(), discount, sparseFailureReward());
    }

    private RewardTransform rewardTransform() {
        return new RewardTransform(training.rewardScale(), training.rewardBias());
    }

    private OptionalDouble sparseFailureReward() {
        return Double.isNaN(training.sparseFailureReward()) ? OptionalDouble.empty()
                : OptionalDouble.of(training.sparseFailureReward());
    }
}
