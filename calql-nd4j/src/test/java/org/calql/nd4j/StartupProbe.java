package org.calql.nd4j;

import java.util.ServiceLoader;
import org.calql.spi.Backend;
import org.calql.spi.BackendProvider;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;

/**
 * Child-JVM entry point for {@link Nd4jBackendProviderTest}: {@code discover} only lists providers;
 * {@code run} creates the ND4J backend and runs one forward, backward and Adam step. Prints nothing
 * itself; exits non-zero on failure.
 */
final class StartupProbe {
    private StartupProbe() {
    }

    public static void main(String[] args) {
        BackendProvider nd4j = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("nd4j") && p.rank() == Nd4jBackendProvider.RANK) {
                nd4j = p;
            }
        }
        if (nd4j == null) {
            System.exit(2);
        }
        if (args.length > 0 && args[0].equals("run")) {
            Backend backend = nd4j.create();
            Network net = backend.createNetwork(NetworkSpec.of(3, new int[] {4}, 1));
            Workspace ws = net.newWorkspace(2);
            double[] out = new double[2];
            net.forward(ws, new double[] {1, 2, 3, 4, 5, 6}, 2, out);
            ParameterGradients g = net.newGradients();
            net.backward(ws, new double[] {1, 1}, g, null, null);
            net.newAdam().step(g, 1e-3);
        }
    }
}
