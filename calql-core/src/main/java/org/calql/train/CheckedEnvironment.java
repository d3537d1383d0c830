package org.calql.train;

import org.calql.env.Environment;
import org.calql.env.StepResult;

/**
 * An environment's calls as fine-tuning makes them: every failure and every bad return (null, wrong length,
 * NaN or infinite values) becomes an {@link IllegalStateException} that names the call, the fine-tuning step and
 * the step within the episode.
 */
final class CheckedEnvironment {
    private final Environment environment;
    private final int observationDim;

    CheckedEnvironment(Environment environment) {
        this.environment = environment;
        this.observationDim = environment.observationDim();
    }

    double[] reset(long seed, long finetuneStep) {
        double[] observation;
        try {
            observation = environment.reset(seed);
        } catch (RuntimeException e) {
            throw new IllegalStateException(call("reset(" + seed + ")", finetuneStep, 0) + " failed: " + e, e);
        }
        checkObservation(observation, "reset(" + seed + ")", finetuneStep, 0);
        return observation;
    }

    StepResult step(double[] action, long finetuneStep, int episodeStep) {
        StepResult r;
        try {
            r = environment.step(action);
        } catch (RuntimeException e) {
            throw new IllegalStateException(call("step", finetuneStep, episodeStep) + " failed: " + e, e);
        }
        if (r == null) {
            throw new IllegalStateException(call("step", finetuneStep, episodeStep) + " returned null");
        }
        checkObservation(r.observation(), "step", finetuneStep, episodeStep);
        if (!Double.isFinite(r.reward())) {
            throw new IllegalStateException(call("step", finetuneStep, episodeStep) + " returned reward "
                    + r.reward() + "; rewards must be finite");
        }
        return r;
    }

    private void checkObservation(double[] observation, String what, long finetuneStep, int episodeStep) {
        if (observation == null) {
            throw new IllegalStateException(call(what, finetuneStep, episodeStep) + " returned a null observation");
        }
        if (observation.length != observationDim) {
            throw new IllegalStateException(call(what, finetuneStep, episodeStep) + " returned an observation of length "
                    + observation.length + ", observationDim is " + observationDim);
        }
        for (int i = 0; i < observation.length; i++) {
            if (!Double.isFinite(observation[i])) {
                throw new IllegalStateException(call(what, finetuneStep, episodeStep) + " returned observation["
                        + i + "] = " + observation[i] + "; observations must be finite");
            }
        }
    }

    private String call(String what, long finetuneStep, int episodeStep) {
        return "environment " + environment.getClass().getSimpleName() + "." + what + " at fine-tuning step "
                + (finetuneStep + 1) + (episodeStep > 0 ? " (step " + episodeStep + " of its episode)" : "");
    }
}
