package org.calql.examples.cli;

import java.util.List;
import java.util.function.Supplier;
import org.calql.env.Environment;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MountainCar;
import org.calql.examples.env.MountainCarBehaviour;
import org.calql.examples.env.Rollouts;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The discrete task of {@code demo --env mountaincar} and {@code train --env mountaincar}: Gymnasium's
 * {@code MountainCar-v0} ({@link MountainCar}), data from the noisy energy-pumping {@link MountainCarBehaviour}, and
 * the defaults that differ from the point maze's where a flag is not given.
 *
 * <p>The agent defaults are those {@code MountainCarOfflineTest} found to learn offline: batch 64, CQL α 0.1 (α 1
 * kept the policy coasting), discount 0.99; hidden [64, 64], 2 critics, learning rate 1e-3 and τ 0.05 are the shared
 * defaults already. Rewards are raw (−1 per step, scale 1, bias 0) and the sparse-reward rule is off: an episode that
 * misses the goal is truncated at 200 steps, not failed for ever. The backend is {@code java} unless given: for
 * these small networks it ran a run about 7 times faster than {@code nd4j} (2,000 updates and their evaluations:
 * 5 s against 35 s on 2 loaded cores), and the demo runs its seeds side by side on the cores.
 */
final class MountainCarTask {
    /** Width of an observation: position and velocity. */
    static final int OBSERVATION_DIM = 2;
    /** Actions: push left, no push, push right. */
    static final int ACTIONS = 3;
    /** Default behaviour episodes of the demo. */
    static final int EPISODES = 150;
    /** Default pre-training updates of the demo. */
    static final long OFFLINE_STEPS = 4000;
    /** Default fine-tuning environment steps of the demo. */
    static final long ONLINE_STEPS = 4000;
    /** The demo's defaults for this task, for help texts. */
    static final String DEMO_DEFAULTS = DemoCommand.DEFAULT_SEEDS + " seeds, " + OFFLINE_STEPS
            + " pre-training updates, " + ONLINE_STEPS + " fine-tuning steps, " + EPISODES + " behaviour episodes, "
            + "raw rewards, backend java, batch 64, CQL α 0.1, discount 0.99";

    private MountainCarTask() {
    }

    /** New environments. */
    static Supplier<Environment> environments() {
        return MountainCar::new;
    }

    /** Behaviour episodes of the default mix. */
    static Rollouts behaviour(int episodes, long seed) {
        return DatasetGenerator.rollout(new MountainCar(), new MountainCarBehaviour(), episodes, seed);
    }

    /** One line on the task for reports. */
    static String describe() {
        return "MountainCar-v0 (Gymnasium's dynamics), " + ACTIONS + " discrete actions, step limit "
                + MountainCar.MAX_STEPS + ", reward −1 per step until the goal";
    }

    /** Sets the agent flags the user did not give to the task's defaults. */
    static void applyAgentDefaults(AgentOptions agent, ParseResult parsed) {
        if (parsed.hasMatchedOption("--preset")) {
            throw new ParameterException(parsed.commandSpec().commandLine(), "--preset applies to continuous agents "
                    + "only (its presets are continuous Cal-QL settings)");
        }
        if (!parsed.hasMatchedOption("--backend")) {
            agent.backend = "java";
        }
        if (!parsed.hasMatchedOption("--batch-size")) {
            agent.batchSize = 64;
        }
        if (!parsed.hasMatchedOption("--cql-alpha")) {
            agent.cqlAlpha = 0.1;
        }
        if (!parsed.hasMatchedOption("--discount")) {
            agent.discount = 0.99;
        }
    }

    /** Sets the demo flags the user did not give to the task's defaults, and refuses the maze's own flags. */
    static void applyDemoDefaults(DemoCommand demo) {
        CommandSpec spec = demo.spec;
        ParseResult parsed = spec.commandLine().getParseResult();
        refuseMazeFlags(spec, parsed, List.of("--maze", "--max-episode-steps", "--speed"));
        applyAgentDefaults(demo.agent, parsed);
        if (!parsed.hasMatchedOption("--offline-steps")) {
            demo.offlineSteps = OFFLINE_STEPS;
        }
        if (!parsed.hasMatchedOption("--online-steps")) {
            demo.onlineSteps = ONLINE_STEPS;
        }
        if (!parsed.hasMatchedOption("--episodes")) {
            demo.episodes = EPISODES;
        }
        if (!parsed.hasMatchedOption("--seeds")) {
            demo.seedCount = DemoCommand.DEFAULT_SEEDS;
        }
        if (!parsed.hasMatchedOption("--reward-scale")) {
            demo.rewardScale = 1.0;
        }
        if (!parsed.hasMatchedOption("--reward-bias")) {
            demo.rewardBias = 0.0;
        }
        if (!parsed.hasMatchedOption("--sparse-failure-reward")) {
            demo.sparseFailureReward = Double.NaN;
        }
    }

    /** A usage error if one of the maze's flags was given with {@code --env mountaincar}. */
    static void refuseMazeFlags(CommandSpec spec, ParseResult parsed, List<String> flags) {
        for (String flag : flags) {
            if (parsed.hasMatchedOption(flag)) {
                throw new ParameterException(spec.commandLine(), flag + " applies to --env maze only");
            }
        }
    }
}
