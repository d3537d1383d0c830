package org.calql.regularizer;

/**
 * How a Q-value of a policy action is calibrated against the reference value {@code V_ref(s)} before it
 * enters the push-down term. CQL uses {@link #none()}; Cal-QL uses {@link #lowerBound()}.
 */
public interface Calibration {
    /** The value that replaces {@code q}. */
    double apply(double q, double reference);

    /** {@code d apply(q, reference) / d q}. */
    double derivative(double q, double reference);

    /** No calibration: plain CQL. */
    static Calibration none() {
        return NoCalibration.INSTANCE;
    }

    /**
     * Cal-QL: {@code max(q, reference)}. Entries below the reference are masked and get zero gradient;
     * at an exact tie the gradient is halved, as {@code torch.maximum} does.
     */
    static Calibration lowerBound() {
        return LowerBoundCalibration.INSTANCE;
    }
}

final class NoCalibration implements Calibration {
    static final NoCalibration INSTANCE = new NoCalibration();

    @Override
    public double apply(double q, double reference) {
        return q;
    }

    @Override
    public double derivative(double q, double reference) {
        return 1.0;
    }

    @Override
    public String toString() {
        return "none";
    }
}

final class LowerBoundCalibration implements Calibration {
    static final LowerBoundCalibration INSTANCE = new LowerBoundCalibration();

    @Override
    public double apply(double q, double reference) {
        return Math.max(q, reference);
    }

    @Override
    public double derivative(double q, double reference) {
        return q > reference ? 1.0 : (q == reference ? 0.5 : 0.0);
    }

    @Override
    public String toString() {
        return "lowerBound";
    }
}
