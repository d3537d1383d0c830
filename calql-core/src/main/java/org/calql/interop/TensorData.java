package org.calql.interop;

import java.util.Arrays;

/**
 * A dense row-major tensor held as doubles: its shape (empty for a scalar, as PyTorch's 0-dimensional tensors)
 * and its {@code product(shape)} values.
 *
 * @param shape  each dimension, non-negative; {@code []} for a scalar
 * @param values row-major, {@code product(shape)} long
 */
public record TensorData(int[] shape, double[] values) {
    /**
     * @throws IllegalArgumentException if a dimension is negative or the value count is not the shape's product
     */
    public TensorData {
        if (shape == null || values == null) {
            throw new IllegalArgumentException("shape and values must not be null");
        }
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("dimensions must be non-negative, found " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, found "
                    + values.length);
        }
    }

    /** A 0-dimensional tensor holding {@code value}. */
    public static TensorData scalar(double value) {
        return new TensorData(new int[0], new double[] {value});
    }

    /** A 1-dimensional tensor. */
    public static TensorData vector(double[] values) {
        return new TensorData(new int[] {values.length}, values.clone());
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of values. */
    public int size() {
        return values.length;
    }

    /** The shape as {@code [a, b]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "TensorData" + Arrays.toString(shape);
    }
}
