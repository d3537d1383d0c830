package org.calql.spi;

/**
 * The nonlinearity a {@link NetworkSpec} applies after every hidden layer (after its LayerNorm when the
 * spec has one), never after the output layer. Each constant states its formula {@code f(x)} and its
 * derivative {@code f'(x)}, which every backend computes (PyTorch semantics, in the backend's precision).
 */
public enum Activation {
    /**
     * {@code f(x) = max(x, 0)} ({@code torch.relu}); {@code f'(x) = 1} for {@code x > 0}, else {@code 0}
     * (0 at exactly 0, like PyTorch). The default.
     */
    RELU {
        @Override
        public double apply(double x) {
            return Math.max(x, 0.0);
        }

        @Override
        public double derivative(double x) {
            return x > 0.0 ? 1.0 : 0.0;
        }
    },
    /** {@code f(x) = tanh(x)} ({@code torch.tanh}); {@code f'(x) = 1 − tanh²(x)}. */
    TANH {
        @Override
        public double apply(double x) {
            return Math.tanh(x);
        }

        @Override
        public double derivative(double x) {
            double t = Math.tanh(x);
            return 1.0 - t * t;
        }
    },
    /**
     * {@code f(x) = x} for {@code x > 0}, else {@code exp(x) − 1} ({@code torch.nn.ELU} with α = 1);
     * {@code f'(x) = 1} for {@code x > 0}, else {@code exp(x) = f(x) + 1}.
     */
    ELU {
        @Override
        public double apply(double x) {
            return x > 0.0 ? x : Math.expm1(x);
        }

        @Override
        public double derivative(double x) {
            return x > 0.0 ? 1.0 : Math.exp(x);
        }
    },
    /**
     * {@code f(x) = x·σ(x)} with {@code σ(x) = 1 / (1 + exp(−x))} ({@code torch.nn.SiLU}, also called
     * swish); {@code f'(x) = σ(x)·(1 + x·(1 − σ(x)))}.
     */
    SILU {
        @Override
        public double apply(double x) {
            return x / (1.0 + Math.exp(-x));
        }

        @Override
        public double derivative(double x) {
            double s = 1.0 / (1.0 + Math.exp(-x));
            return s * (1.0 + x * (1.0 - s));
        }
    };

    /** {@code f(x)}, the formula of this constant's documentation, in double precision. */
    public abstract double apply(double x);

    /** {@code f'(x)}, the derivative with respect to the input {@code x}, in double precision. */
    public abstract double derivative(double x);
}
