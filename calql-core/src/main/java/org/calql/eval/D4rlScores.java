package org.calql.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * D4RL's normalised score, {@code 100 · (return − REF_MIN_SCORE) / (REF_MAX_SCORE − REF_MIN_SCORE)}, for the
 * tasks D4RL publishes reference returns for. The table is D4RL's public data, copied from
 * {@code d4rl/infos.py} of Farama-Foundation/D4RL (commit {@code 89141a689b0353b0dac3da5cba60da4b1b16254d}):
 * {@code REF_MIN_SCORE} (from line 106) and {@code REF_MAX_SCORE} (from line 196), all 87 tasks, in
 * that file's order. D4RL's own {@code get_normalized_score} returns the fraction; this class returns it ×100, as
 * the Cal-QL and CORL papers report it. Tasks that {@code infos.py} does not list (the Adroit-binary tasks,
 * the {@code -v1} Adroit tasks, the {@code -v2} locomotion tasks) have no entry.
 */
public final class D4rlScores {
    private static final Map<String, double[]> REFERENCE = table();

    private D4rlScores() {
    }

    /** The task names with reference returns. */
    public static Set<String> tasks() {
        return REFERENCE.keySet();
    }

    /** D4RL's {@code REF_MIN_SCORE} of {@code task}, if listed. */
    public static OptionalDouble referenceMin(String task) {
        double[] r = REFERENCE.get(task);
        return r == null ? OptionalDouble.empty() : OptionalDouble.of(r[0]);
    }

    /** D4RL's {@code REF_MAX_SCORE} of {@code task}, if listed. */
    public static OptionalDouble referenceMax(String task) {
        double[] r = REFERENCE.get(task);
        return r == null ? OptionalDouble.empty() : OptionalDouble.of(r[1]);
    }

    /**
     * The normalised score of an undiscounted episode return (raw rewards, before any reward transform).
     *
     * @throws IllegalArgumentException if the task has no reference returns (naming it) or the return is NaN
     */
    public static double normalized(String task, double episodeReturn) {
        double[] r = REFERENCE.get(task);
        if (r == null) {
            throw new IllegalArgumentException("task '" + task + "' has no D4RL reference returns (d4rl/infos.py"
                    + " lists " + REFERENCE.size() + " tasks, e.g. antmaze-medium-diverse-v2)");
        }
        if (Double.isNaN(episodeReturn)) {
            throw new IllegalArgumentException("episodeReturn must not be NaN for task '" + task + "'");
        }
        return 100.0 * (episodeReturn - r[0]) / (r[1] - r[0]);
    }

    private static void put(Map<String, double[]> m, String task, double min, double max) {
        m.put(task, new double[] {min, max});
    }

    private static Map<String, double[]> table() {
        Map<String, double[]> m = new LinkedHashMap<>();
        put(m, "maze2d-open-v0", 0.01, 20.66);
        put(m, "maze2d-umaze-v1", 23.85, 161.86);
        put(m, "maze2d-medium-v1", 13.13, 277.39);
        put(m, "maze2d-large-v1", 6.7, 273.99);
        put(m, "maze2d-open-dense-v0", 11.17817, 27.166538620695782);
        put(m, "maze2d-umaze-dense-v1", 68.537689, 193.66285642381482);
        put(m, "maze2d-medium-dense-v1", 44.264742, 297.4552547777125);
        put(m, "maze2d-large-dense-v1", 30.569041, 303.4857382709002);
        put(m, "minigrid-fourrooms-v0", 0.01442, 2.89685);
        put(m, "minigrid-fourrooms-random-v0", 0.01442, 2.89685);
        put(m, "pen-human-v0", 96.262799, 3076.8331017826877);
        put(m, "pen-cloned-v0", 96.262799, 3076.8331017826877);
        put(m, "pen-expert-v0", 96.262799, 3076.8331017826877);
        put(m, "hammer-human-v0", -274.856578, 12794.134825156867);
        put(m, "hammer-cloned-v0", -274.856578, 12794.134825156867);
        put(m, "hammer-expert-v0", -274.856578, 12794.134825156867);
        put(m, "relocate-human-v0", -6.425911, 4233.877797728884);
        put(m, "relocate-cloned-v0", -6.425911, 4233.877797728884);
        put(m, "relocate-expert-v0", -6.425911, 4233.877797728884);
        put(m, "door-human-v0", -56.512833, 2880.5693087298737);
        put(m, "door-cloned-v0", -56.512833, 2880.5693087298737);
        put(m, "door-expert-v0", -56.512833, 2880.5693087298737);
        put(m, "halfcheetah-random-v0", -280.178953, 12135.0);
        put(m, "halfcheetah-medium-v0", -280.178953, 12135.0);
        put(m, "halfcheetah-expert-v0", -280.178953, 12135.0);
        put(m, "halfcheetah-medium-replay-v0", -280.178953, 12135.0);
        put(m, "halfcheetah-medium-expert-v0", -280.178953, 12135.0);
        put(m, "walker2d-random-v0", 1.629008, 4592.3);
        put(m, "walker2d-medium-v0", 1.629008, 4592.3);
        put(m, "walker2d-expert-v0", 1.629008, 4592.3);
        put(m, "walker2d-medium-replay-v0", 1.629008, 4592.3);
        put(m, "walker2d-medium-expert-v0", 1.629008, 4592.3);
        put(m, "hopper-random-v0", -20.272305, 3234.3);
        put(m, "hopper-medium-v0", -20.272305, 3234.3);
        put(m, "hopper-expert-v0", -20.272305, 3234.3);
        put(m, "hopper-medium-replay-v0", -20.272305, 3234.3);
        put(m, "hopper-medium-expert-v0", -20.272305, 3234.3);
        put(m, "ant-random-v0", -325.6, 3879.7);
        put(m, "ant-medium-v0", -325.6, 3879.7);
        put(m, "ant-expert-v0", -325.6, 3879.7);
        put(m, "ant-medium-replay-v0", -325.6, 3879.7);
        put(m, "ant-medium-expert-v0", -325.6, 3879.7);
        put(m, "antmaze-umaze-v0", 0.0, 1.0);
        put(m, "antmaze-umaze-diverse-v0", 0.0, 1.0);
        put(m, "antmaze-medium-play-v0", 0.0, 1.0);
        put(m, "antmaze-medium-diverse-v0", 0.0, 1.0);
        put(m, "antmaze-large-play-v0", 0.0, 1.0);
        put(m, "antmaze-large-diverse-v0", 0.0, 1.0);
        put(m, "antmaze-umaze-v2", 0.0, 1.0);
        put(m, "antmaze-umaze-diverse-v2", 0.0, 1.0);
        put(m, "antmaze-medium-play-v2", 0.0, 1.0);
        put(m, "antmaze-medium-diverse-v2", 0.0, 1.0);
        put(m, "antmaze-large-play-v2", 0.0, 1.0);
        put(m, "antmaze-large-diverse-v2", 0.0, 1.0);
        put(m, "kitchen-complete-v0", 0.0, 4.0);
        put(m, "kitchen-partial-v0", 0.0, 4.0);
        put(m, "kitchen-mixed-v0", 0.0, 4.0);
        put(m, "flow-ring-random-v0", -165.22, 24.42);
        put(m, "flow-ring-controller-v0", -165.22, 24.42);
        put(m, "flow-merge-random-v0", 118.67993, 330.03179);
        put(m, "flow-merge-controller-v0", 118.67993, 330.03179);
        put(m, "carla-lane-v0", -0.8503839912088142, 1023.5784385429523);
        put(m, "carla-town-v0", -114.81579500772153, 2440.1772022247314);
        put(m, "bullet-halfcheetah-random-v0", -1275.766996, 2381.6725);
        put(m, "bullet-halfcheetah-medium-v0", -1275.766996, 2381.6725);
        put(m, "bullet-halfcheetah-expert-v0", -1275.766996, 2381.6725);
        put(m, "bullet-halfcheetah-medium-expert-v0", -1275.766996, 2381.6725);
        put(m, "bullet-halfcheetah-medium-replay-v0", -1275.766996, 2381.6725);
        put(m, "bullet-hopper-random-v0", 20.058972, 1441.8059623430963);
        put(m, "bullet-hopper-medium-v0", 20.058972, 1441.8059623430963);
        put(m, "bullet-hopper-expert-v0", 20.058972, 1441.8059623430963);
        put(m, "bullet-hopper-medium-expert-v0", 20.058972, 1441.8059623430963);
        put(m, "bullet-hopper-medium-replay-v0", 20.058972, 1441.8059623430963);
        put(m, "bullet-ant-random-v0", 373.705955, 2650.495);
        put(m, "bullet-ant-medium-v0", 373.705955, 2650.495);
        put(m, "bullet-ant-expert-v0", 373.705955, 2650.495);
        put(m, "bullet-ant-medium-expert-v0", 373.705955, 2650.495);
        put(m, "bullet-ant-medium-replay-v0", 373.705955, 2650.495);
        put(m, "bullet-walker2d-random-v0", 16.523877, 1623.6476303317536);
        put(m, "bullet-walker2d-medium-v0", 16.523877, 1623.6476303317536);
        put(m, "bullet-walker2d-expert-v0", 16.523877, 1623.6476303317536);
        put(m, "bullet-walker2d-medium-expert-v0", 16.523877, 1623.6476303317536);
        put(m, "bullet-walker2d-medium-replay-v0", 16.523877, 1623.6476303317536);
        put(m, "bullet-maze2d-open-v0", 8.750000, 64.15);
        put(m, "bullet-maze2d-umaze-v0", 32.460000, 153.99);
        put(m, "bullet-maze2d-medium-v0", 14.870000, 238.05);
        put(m, "bullet-maze2d-large-v0", 1.820000, 285.92);
        return Collections.unmodifiableMap(m);
    }
}
