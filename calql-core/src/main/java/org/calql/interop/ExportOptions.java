package org.calql.interop;

import java.util.Arrays;

/**
 * How {@link CorlWeights} writes a file: the element type and, optionally, the environment's action box.
 *
 * @param dtype      F32 (the default, PyTorch's and CORL's) or F64
 * @param actionLow  the box's lower bounds, or {@code null}; written to the metadata as {@code actionLow} only
 *                   when the box differs from {@code [−maxAction, maxAction]}
 * @param actionHigh the box's upper bounds, or {@code null} (given together with {@code actionLow})
 */
public record ExportOptions(DType dtype, double[] actionLow, double[] actionHigh) {
    /**
     * @throws IllegalArgumentException if the dtype is not F32 or F64, only one bound is given, or a bound is not
     *                                  finite or {@code low[i] >= high[i]}
     */
    public ExportOptions {
        if (dtype == null || !dtype.writable()) {
            throw new IllegalArgumentException("dtype must be F32 or F64, found " + dtype);
        }
        if ((actionLow == null) != (actionHigh == null)) {
            throw new IllegalArgumentException("actionLow and actionHigh must be given together");
        }
        if (actionLow != null) {
            actionLow = actionLow.clone();
            actionHigh = actionHigh.clone();
            CorlWeights.checkBox("actionLow/actionHigh", actionLow, actionHigh);
        }
    }

    /** F32, no action box. */
    public static ExportOptions defaults() {
        return new ExportOptions(DType.F32, null, null);
    }

    /** These options with another element type. */
    public ExportOptions withDtype(DType type) {
        return new ExportOptions(type, actionLow, actionHigh);
    }

    /** These options with the environment's action box. */
    public ExportOptions withActionBox(double[] low, double[] high) {
        return new ExportOptions(dtype, low, high);
    }

    @Override
    public double[] actionLow() {
        return actionLow == null ? null : actionLow.clone();
    }

    @Override
    public double[] actionHigh() {
        return actionHigh == null ? null : actionHigh.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportOptions e && dtype == e.dtype && Arrays.equals(actionLow, e.actionLow)
                && Arrays.equals(actionHigh, e.actionHigh);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(actionLow)) + Arrays.hashCode(actionHigh);
    }

    @Override
    public String toString() {
        return "ExportOptions[" + dtype + (actionLow == null ? "" : ", low " + Arrays.toString(actionLow) + ", high "
                + Arrays.toString(actionHigh)) + "]";
    }
}
