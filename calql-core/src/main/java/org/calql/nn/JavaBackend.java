package org.calql.nn;

import org.calql.spi.Backend;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;

/**
 * The plain-Java reference backend: networks computed in {@code double} on the host, with PyTorch
 * semantics ({@code nn.Linear}, ReLU, {@code torch.optim.Adam}). Stateless and thread-safe.
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

    @Override
    public String toString() {
        return "JavaBackend";
    }
}
