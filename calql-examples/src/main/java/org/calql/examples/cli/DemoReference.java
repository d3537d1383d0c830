package org.calql.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.SplittableRandom;
import org.calql.agent.Agent;
import org.calql.agent.DiscreteAgent;
import org.calql.data.OfflineDataset;
import org.calql.env.DiscreteSpace;
import org.calql.examples.env.MazeOracle;
import org.calql.examples.env.PointMaze;
import org.calql.reference.FitSettings;
import org.calql.reference.FittedQEvaluation;
import org.calql.reference.FittedValue;
import org.calql.reference.ReferenceData;
import org.calql.reference.ReferencePolicy;
import org.calql.reference.ValueNetworkReference;
import org.calql.regularizer.ReferenceMetrics;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Backend;
import org.calql.train.DivergenceEvent;
import org.calql.train.EpisodeResult;
import org.calql.train.EstimatorProgress;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;

/**
 * The demo's {@code --reference}: what Cal-QL calibrates against, fitted per run before pre-training, and the
 * calibration against it at the end of pre-training for the report.
 * <ul>
 *   <li>{@code behaviour}: the Monte-Carlo returns of the behaviour data (the library's default);</li>
 *   <li>{@code fqe}: fitted Q evaluation of a hand-written controller μ ({@link MazeOracle}'s shortest-path steering
 *       on the maze; on MountainCar, pushing in the direction of the velocity), turned into a value network;</li>
 *   <li>{@code fitted-mc}: a value network fitted to the Monte-Carlo returns.</li>
 * </ul>
 * Per run it keeps the reference's bound rate and mean gap {@code Q − V_ref} over the last tenth of the pre-training
 * updates, and {@code V_ref} at the dataset's episode start states.
 */
final class DemoReference {
    /** The references the demo offers. */
    enum Kind {
        /** Monte-Carlo returns of the behaviour data. */
        BEHAVIOUR("behaviour"),
        /** FQE of the hand-written controller. */
        FQE("fqe"),
        /** A value network on the Monte-Carlo returns. */
        FITTED_MC("fitted-mc");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** Calibration of one run against the reference at the end of pre-training. */
    record Calibration(String method, long seed, double boundRate, double meanGap, double referenceAtStart) {
    }

    private final Kind kind;
    private final ReferencePolicy controller;
    private final FitSettings settings;
    private final Backend backend;
    private final long offlineSteps;
    private final Map<String, Calibration> results = new ConcurrentHashMap<>();
    private volatile String referenceName = "";

    DemoReference(Kind kind, ReferencePolicy controller, FitSettings settings, Backend backend, long offlineSteps) {
        this.kind = kind;
        this.controller = controller;
        this.settings = settings;
        this.backend = backend;
        this.offlineSteps = offlineSteps;
    }

    /** The maze controller as μ: the oracle's steering, in the maze's action box. */
    static ReferencePolicy mazeController(PointMaze maze) {
        MazeOracle oracle = new MazeOracle(maze);
        SplittableRandom unused = new SplittableRandom(0);
        return ReferencePolicy.deterministic(maze.observationDim(), maze.actionSpace(), o -> oracle.act(o, unused));
    }

    /** The MountainCar controller as μ: push right while moving right (or standing), left otherwise. */
    static ReferencePolicy mountainCarController() {
        return ReferencePolicy.deterministic(MountainCarTask.OBSERVATION_DIM,
                new DiscreteSpace(MountainCarTask.ACTIONS), o -> new double[] {o[1] >= 0 ? 2 : 0});
    }

    Kind kind() {
        return kind;
    }

    /** Fits the reference on the run's agent and calibrates the agent against it (nothing for behaviour). */
    void apply(RunAgent run, OfflineDataset dataset) {
        if (kind == Kind.BEHAVIOUR) {
            return;
        }
        if (run.trainable() instanceof Agent agent) {
            agent.calibrateAgainst(fit(agent.referenceData(dataset)));
        } else if (run.trainable() instanceof DiscreteAgent agent) {
            agent.calibrateAgainst(fit(agent.referenceData(dataset)));
        }
    }

    private ValueNetworkReference fit(ReferenceData data) {
        if (kind == Kind.FITTED_MC) {
            return FittedValue.monteCarlo(data, settings, backend, null);
        }
        return FittedQEvaluation.fit(data, controller, settings, backend, null).reference(settings, backend, null);
    }

    /** {@code recorder} and the reference's metrics in one listener for the run. */
    TrainingListener listen(TrainingListener recorder, String method, long seed) {
        long from = offlineSteps - Math.max(1, offlineSteps / 10);
        return new TrainingListener() {
            double rate;
            double gap;
            long count;

            @Override
            public void onUpdate(Phase phase, long step, UpdateResult result) {
                recorder.onUpdate(phase, step, result);
                ReferenceMetrics m = result.reference();
                if (phase == Phase.PRETRAIN && step > from && m.names().size() > 0) {
                    referenceName = m.names().get(0);
                    rate += m.boundRateOfReference();
                    gap += m.meanGapOfReference();
                    count++;
                    if (step == offlineSteps) {
                        results.put(method + "/" + seed, new Calibration(method, seed, rate / count, gap / count,
                                Double.NaN));
                    }
                }
            }

            @Override
            public void onEvaluation(EvaluationResult result) {
                recorder.onEvaluation(result);
            }

            @Override
            public void onEpisode(EpisodeResult result) {
                recorder.onEpisode(result);
            }

            @Override
            public void onDivergence(DivergenceEvent event) {
                recorder.onDivergence(event);
            }

            @Override
            public void onEstimatorProgress(EstimatorProgress progress) {
                recorder.onEstimatorProgress(progress);
            }
        };
    }

    /** Records {@code V_ref} at the dataset's start states for the run (its configured reference, after training). */
    void recordStartValue(RunAgent run, String method, long seed, OfflineDataset dataset) {
        ReferenceValues reference;
        if (run.trainable() instanceof Agent a) {
            reference = a.config().referenceValues();
        } else if (run.trainable() instanceof DiscreteAgent d) {
            reference = d.config().referenceValues();
        } else {
            return; // ACA calibrates against nothing: it has no conservative term
        }
        double value;
        if (reference instanceof ValueNetworkReference v) {
            double sum = 0.0;
            double[] raw = new double[dataset.observationDim()];
            for (int s : dataset.episodeStarts()) {
                dataset.copyObservation(s, raw, 0);
                sum += v.value(raw);
            }
            value = sum / dataset.episodeStarts().length;
        } else {
            value = Double.NaN;
        }
        results.computeIfPresent(method + "/" + seed,
                (k, c) -> new Calibration(c.method(), c.seed(), c.boundRate(), c.meanGap(), value));
    }

    /** One line per run on the calibration against the reference, for {@code train}'s console report. */
    String lines() {
        StringBuilder sb = new StringBuilder();
        for (Calibration c : results.values()) {
            sb.append(String.format(Locale.ROOT, "calibration against %s over the last tenth of pre-training: "
                    + "bound rate %.3f, mean gap Q − V_ref %.2f%n", referenceName, c.boundRate(), c.meanGap()));
        }
        return sb.toString();
    }

    /** The report's section: the reference and each run's calibration against it. */
    String markdown() {
        List<Calibration> rows = new ArrayList<>(results.values());
        rows.sort((a, b) -> a.method().equals(b.method()) ? Long.compare(a.seed(), b.seed())
                : a.method().compareTo(b.method()));
        StringBuilder sb = new StringBuilder("## Calibration against the reference\n\n");
        sb.append("Reference: **").append(kind.label).append("** — ").append(switch (kind) {
            case BEHAVIOUR -> "the Monte-Carlo returns of the behaviour data (the library's default)";
            case FQE -> "fitted Q evaluation of the hand-written controller, as a value network ("
                    + settings.steps() + " updates each)";
            case FITTED_MC -> "a value network fitted to the Monte-Carlo returns (" + settings.steps() + " updates)";
        }).append(". Over the last tenth of pre-training: the bound rate (share of policy-action Q-values below "
                + "V_ref) and the mean gap Q − V_ref, in critic units.\n\n");
        sb.append("| method | seed | bound rate | mean gap Q − V_ref | V_ref at start states |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Calibration c : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.2f | %s |%n", c.method(), c.seed(),
                    c.boundRate(), c.meanGap(), Double.isNaN(c.referenceAtStart()) ? "(per transition)"
                            : String.format(Locale.ROOT, "%.2f", c.referenceAtStart())));
        }
        return sb.toString();
    }
}
