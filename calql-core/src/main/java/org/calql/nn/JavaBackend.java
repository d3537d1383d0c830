package org.calql.nn;

import java.util.function.IntConsumer;
import org.calql.spi.Backend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParallelPasses;

/**
 * The plain-Java reference backend: networks computed in {@code double} on the host, with PyTorch
 * semantics ({@code nn.Linear}, {@code nn.LayerNorm}, ReLU/tanh/ELU/SiLU, {@code torch.optim.Adam}); it runs
 * every {@link NetworkSpec}. Stateless and thread-safe: different
 * networks may run at once, so {@link #runIndependent} uses {@link ParallelPasses#shared()}.
 */
public final class JavaBackend implements Backend {
    /** Creates the backend. */
    public JavaBackend() {
    }

    @Override
    public String name() {
        return JavaBackendProvider.NAME;
    }

    @Override
    public Network createNetwork(NetworkSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        return new DenseNetwork(spec);
    }

    /** Runs the passes on {@link ParallelPasses#shared()} (at once when its threads are free). */
    @Override
    public void runIndependent(int count, IntConsumer pass) {
        ParallelPasses.shared().run(count, pass);
    }

    @Override
    public String toString() {
        return "JavaBackend";
    }
}
