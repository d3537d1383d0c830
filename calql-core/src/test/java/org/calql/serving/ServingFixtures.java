package org.calql.serving;

import java.util.SplittableRandom;
import org.calql.data.ObservationNormalizer;
import org.calql.policy.PolicyPass;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.spi.Activation;
import org.calql.spi.Backends;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;

/** Random tanh-Gaussian policies on the plain-Java backend, and the reference action they define. */
public final class ServingFixtures {
    private ServingFixtures() {
    }

    /** A policy {@code obs → hidden → 2·actionDim} with random parameters (gains and shifts included). */
    public static TanhGaussianPolicy policy(int observationDim, int actionDim, int[] hidden, Activation activation,
                                            boolean layerNorm, double maxAction, long seed) {
        NetworkSpec.Builder b = NetworkSpec.builder(observationDim, 2 * actionDim).hidden(hidden)
                .activation(activation).layerNorm(layerNorm);
        if (layerNorm) {
            b.layerNormEpsilon(1e-3);
        }
        NetworkSpec spec = b.build();
        Network network = Backends.named("java").createNetwork(spec);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] p = new double[spec.parameterArrayCount()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[spec.parameterArrayLength(i)];
            for (int j = 0; j < p[i].length; j++) {
                // some exact zeros, as dead units and zero-initialised biases give
                p[i][j] = random.nextInt(10) == 0 ? 0.0 : random.nextGaussian() * 0.7;
            }
        }
        network.importParameters(p);
        return new TanhGaussianPolicy(network, actionDim, maxAction, 1.0, 0.0);
    }

    /** A normaliser with random means and stds in [0.5, 2.5). */
    public static ObservationNormalizer normalizer(int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] mean = new double[dim];
        double[] std = new double[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = random.nextGaussian();
            std[j] = 0.5 + 2 * random.nextDouble();
        }
        return ObservationNormalizer.of(mean, std);
    }

    /** {@code rows × dim} standard-normal values scaled by 2, with a few exact zeros. */
    public static double[] observations(int rows, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] o = new double[rows * dim];
        for (int i = 0; i < o.length; i++) {
            o[i] = random.nextInt(20) == 0 ? 0.0 : 2 * random.nextGaussian();
        }
        return o;
    }

    /**
     * What the training code computes for one observation: the normaliser, {@code Policy.forward},
     * {@code deterministicActions} (as {@code InferencePolicy.act}), then the box map (as {@code Agent.actionMapper}).
     */
    public static double[] reference(TanhGaussianPolicy policy, ObservationNormalizer normalizer, BoxSpace box,
                                     double[] observation) {
        double[] x = observation.clone();
        if (normalizer != null) {
            normalizer.normalizeInPlace(x);
        }
        PolicyPass pass = policy.newPass(1);
        policy.forward(pass, x, 1);
        double[] a = new double[policy.actionDim()];
        policy.deterministicActions(pass, a);
        return box == null ? a : new ActionScaling(box, policy.maxAction()).toEnvironment(a);
    }
}
