package org.calql.init;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.calql.random.Gaussian;
import org.calql.spi.Initialization;
import org.calql.spi.NetworkSpec;

/**
 * Initial parameters for a {@link NetworkSpec}, for any backend ({@code network.importParameters(initialize(...))}).
 *
 * <ul>
 *   <li>{@link Initialization#PYTORCH_DEFAULT}: hidden layers as {@code nn.Linear} does by default,
 *       weight and bias {@code U(−1/√in, 1/√in)} ({@code kaiming_uniform_(a=√5)} reduces to that bound);
 *       the last layer {@code xavier_uniform_(gain=0.01)}: {@code U(−b, b)} with
 *       {@code b = 0.01·√(6 / (in + out))}, and a zero bias. This is CORL's {@code init_module_weights(m, False)}
 *       ({@code algorithms/finetune/cal_ql.py} line 364) except for the last bias, which CORL leaves at
 *       {@code nn.Linear}'s default.</li>
 *   <li>{@link Initialization#ORTHOGONAL}: hidden layers {@code orthogonal_(gain=√2)}, the last layer
 *       {@code orthogonal_(gain=0.01)}, all biases zero. This is the Cal-QL authors' {@code
 *       FullyConnectedNetwork} with {@code orthogonal_init=True} ({@code JaxCQL/model.py} lines 56-71). It is not
 *       CORL's: CORL's {@code init_module_weights(m, True)} (line 361) gives <em>every</em> layer, the last one
 *       included, {@code orthogonal_(gain=√2)}.</li>
 * </ul>
 *
 * <p>With LayerNorm ({@link NetworkSpec#layerNorm()}) every gain γ is 1 and every shift β is 0, as
 * {@code nn.LayerNorm} starts; they consume no random numbers, so the linear layers of a spec with
 * LayerNorm get exactly the values of the same spec without it (same seed, same scheme).
 * {@link NetworkSpec#activation()} does not change the scheme.
 *
 * <p>Layers are drawn in order, each weight in row-major order and then its bias, so the result is a
 * function of the generator's state (the same seed gives the same bits). Uniform values are
 * {@code −b + 2b·u} with {@code u = rng.nextDouble()}; Gaussian values come from {@link Gaussian}.
 */
public final class ParameterInitializer {
    /**
     * Gain of the last layer in both schemes: the authors' {@code orthogonal(1e-2)} ({@code JaxCQL/model.py} line
     * 69) and CORL's non-orthogonal {@code xavier_uniform_(gain=1e-2)} (CORL's orthogonal scheme uses √2 there).
     */
    public static final double LAST_LAYER_GAIN = 1e-2;

    private ParameterInitializer() {
    }

    /**
     * Parameters in the layout of {@link org.calql.spi.Network#exportParameters()} (see {@link NetworkSpec}):
     * {@code [w0, b0, w1, b1, …]}, {@code w_l} row-major {@code [out, in]}, with {@code gain_l = 1} and
     * {@code shift_l = 0} after {@code b_l} of every hidden layer when the spec has LayerNorm.
     *
     * @param spec the network's shape
     * @param init the scheme
     * @param rng  the source of randomness; advanced by the draws
     */
    public static double[][] initialize(NetworkSpec spec, Initialization init, SplittableRandom rng) {
        if (spec == null || init == null || rng == null) {
            throw new IllegalArgumentException("spec, init and rng must not be null, found spec=" + spec
                    + ", init=" + init + ", rng=" + rng);
        }
        int layers = spec.layerCount();
        double[][] params = new double[spec.parameterArrayCount()][];
        for (int l = 0; l < layers; l++) {
            int in = spec.layerInput(l);
            int out = spec.layerOutput(l);
            boolean last = l == layers - 1;
            double[] w;
            double[] b = new double[out];
            if (init == Initialization.ORTHOGONAL) {
                w = orthogonal(out, in, last ? LAST_LAYER_GAIN : Math.sqrt(2.0), rng);
            } else if (last) {
                w = uniform(in * out, LAST_LAYER_GAIN * Math.sqrt(6.0 / (in + out)), rng);
            } else {
                double bound = 1.0 / Math.sqrt(in);
                w = uniform(in * out, bound, rng);
                b = uniform(out, bound, rng);
            }
            params[spec.weightArray(l)] = w;
            params[spec.biasArray(l)] = b;
            if (spec.layerNorm() && !last) {
                double[] gain = new double[out];
                Arrays.fill(gain, 1.0);
                params[spec.gainArray(l)] = gain;
                params[spec.shiftArray(l)] = new double[out];
            }
        }
        return params;
    }

    private static double[] uniform(int n, double bound, SplittableRandom rng) {
        double[] values = new double[n];
        double width = 2.0 * bound;
        for (int i = 0; i < n; i++) {
            values[i] = -bound + width * rng.nextDouble();
        }
        return values;
    }

    /**
     * A {@code rows × cols} (semi-)orthogonal matrix times {@code gain}, row-major, as
     * {@code torch.nn.init.orthogonal_} makes it: a Gaussian matrix (transposed when
     * {@code rows < cols}), its QR decomposition, {@code Q·diag(sign(diag(R)))}, transposed back.
     * Rows are orthonormal when {@code rows <= cols}, columns when {@code rows >= cols}.
     *
     * @param rng the source of the {@code rows × cols} Gaussian draws (row-major); advanced by them
     */
    static double[] orthogonal(int rows, int cols, double gain, SplittableRandom rng) {
        double[][] a = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a[r][c] = Gaussian.next(rng);
            }
        }
        boolean transpose = rows < cols;
        RealMatrix flat = new Array2DRowRealMatrix(a, false);
        if (transpose) {
            flat = flat.transpose();
        }
        int m = flat.getRowDimension();
        int n = flat.getColumnDimension();
        QRDecomposition qr = new QRDecomposition(flat);
        RealMatrix q = qr.getQ();
        RealMatrix r = qr.getR();
        double[] result = new double[rows * cols];
        for (int j = 0; j < n; j++) {
            double sign = Math.signum(r.getEntry(j, j));
            for (int i = 0; i < m; i++) {
                double v = q.getEntry(i, j) * sign * gain;
                if (transpose) {
                    result[j * cols + i] = v; // result[j][i], j < rows, i < cols
                } else {
                    result[i * cols + j] = v;
                }
            }
        }
        return result;
    }
}
