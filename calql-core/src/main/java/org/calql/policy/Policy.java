package org.calql.policy;

import org.calql.spi.BoundRows;

/**
 * A stochastic policy over a continuous action space, the seam a user replaces to train another policy
 * family with the same update: the update, the trainer, {@code InferencePolicy} and checkpoints see only this
 * interface.
 *
 * <p><b>Passes.</b> Work goes through a {@link PolicyPass} per caller: {@link #forward} keeps there what the
 * samplings and the backward pass of that forward need. {@link #sample} turns injected noise into actions and
 * log-probabilities ({@code noiseDim()} standard-normal values per sampled action, so every draw is the
 * caller's and runs are reproducible). A loss's gradient reaches the parameters in three moves: the caller adds
 * per-sample gradients with {@link #addSampleGradient} (and, for behaviour cloning,
 * {@link #addLogLikelihoodGradient}), then {@link #backward} turns what the pass accumulated into parameter
 * gradients, and {@link #step} applies them.
 *
 * <p><b>Parameters.</b> {@link #exportState()} / {@link #importState} carry every learned value with its
 * optimizer state, so a checkpoint resumes bit for bit.
 *
 * <p><b>Threads.</b> Forward passes and samplings through distinct passes may run at once while no parameters
 * change; everything else is single-threaded.
 *
 * <p>Actions are in the policy's range {@code [−maxAction, maxAction]}; environments' bounds are mapped to it.
 */
public interface Policy {
    /** Width of an observation. */
    int observationDim();

    /** Width of an action. */
    int actionDim();

    /** Actions lie in {@code [−maxAction, maxAction]}. */
    double maxAction();

    /** Standard-normal noise values that one sampled action consumes. */
    int noiseDim();

    /** Buffers for passes of at most {@code maxRows} observations. */
    PolicyPass newPass(int maxRows);

    /** Buffers for {@code samplesPerRow} actions per observation, for passes of at most {@code maxRows} rows. */
    PolicySamples newSamples(int maxRows, int samplesPerRow);

    /**
     * Runs the policy on {@code rows} observations ({@code [rows, observationDim]}, row-major).
     *
     * @throws IllegalArgumentException if {@code rows} exceeds the pass's capacity
     */
    void forward(PolicyPass pass, double[] observations, int rows);

    /**
     * {@link #forward(PolicyPass, double[], int)} on the {@code observations.rows()} observations staged in
     * {@code observations} (a batch bound once to the backend, shared with the critics' passes). This default
     * reads the host copy; a policy on a backend network passes the staged rows on.
     *
     * @throws IllegalArgumentException if the width is not {@link #observationDim()} or the rows exceed the pass
     */
    default void forward(PolicyPass pass, BoundRows observations) {
        if (observations.width() != observationDim()) {
            throw new IllegalArgumentException("observations must have width observationDim " + observationDim()
                    + ", found " + observations.width());
        }
        forward(pass, observations.values(), observations.rows());
    }

    /**
     * Samples {@code out.samplesPerRow()} actions for each row of the last forward of {@code pass}, from
     * {@code noise} ({@code [rows, samplesPerRow, noiseDim]}), into {@code out.actions()}
     * ({@code [rows, samplesPerRow, actionDim]}) and {@code out.logProbs()} ({@code [rows, samplesPerRow]}).
     * {@code out} keeps what {@link #addSampleGradient} needs.
     */
    void sample(PolicyPass pass, double[] noise, PolicySamples out);

    /**
     * {@link #sample} that also writes the actions into the caller's layout: action {@code j} of row {@code r}
     * goes to {@code target[offset + r·rowStride + j·actionDim …]} (e.g. straight into the stacked rows a critic
     * evaluates). The values are those {@code sample} gives; {@code out.actions()} is unspecified afterwards,
     * {@code out.logProbs()} and what {@link #addSampleGradient} needs are as after {@code sample}. This default
     * samples and copies; a policy may write there directly instead.
     *
     * @throws IllegalArgumentException if {@code rowStride < samplesPerRow·actionDim} or {@code target} is too
     *                                  short
     */
    default void sampleInto(PolicyPass pass, double[] noise, PolicySamples out, double[] target, int offset,
                            int rowStride) {
        int rows = pass.rows();
        int block = out.samplesPerRow() * actionDim();
        SamplePlacement.check(rows, block, target, offset, rowStride);
        sample(pass, noise, out);
        double[] actions = out.actions();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(actions, r * block, target, offset + r * rowStride, block);
        }
    }

    /** The deterministic (mode) actions of the last forward, into {@code out [rows, actionDim]}. */
    void deterministicActions(PolicyPass pass, double[] out);

    /**
     * Adds into {@code pass} the gradient of a loss through the samples {@code samples} drew from it:
     * {@code gradActions} ({@code [rows, samplesPerRow, actionDim]}, dL/d action, may be null) and
     * {@code gradLogProbs} ({@code [rows, samplesPerRow]}, dL/d log π, may be null).
     */
    void addSampleGradient(PolicyPass pass, PolicySamples samples, double[] gradActions, double[] gradLogProbs);

    /**
     * Behaviour cloning: the log-likelihood of given actions (one per row of the last forward) and, scaled by
     * {@code gradScale} (dL/d log π for every row; 0 skips it), its gradient added into {@code pass}.
     *
     * @return {@code Σ_rows log π(a_row | s_row)}
     */
    double addLogLikelihoodGradient(PolicyPass pass, double[] actions, double gradScale);

    /** Zeroed gradients with this policy's parameter layout. */
    PolicyGradients newGradients();

    /**
     * Turns the gradients accumulated in {@code pass} (since its last {@link PolicyPass#zeroGradients()}) into
     * parameter gradients, <em>added</em> into {@code gradients}.
     */
    void backward(PolicyPass pass, PolicyGradients gradients);

    /** One optimizer step on every parameter from {@code gradients} with step size {@code learningRate}. */
    void step(PolicyGradients gradients, double learningRate);

    /** A copy of every learned value and its optimizer state. */
    PolicyState exportState();

    /**
     * Replaces every learned value and the optimizer state.
     *
     * @throws IllegalArgumentException if the state does not fit this policy; nothing changes then
     */
    void importState(PolicyState state);
}
