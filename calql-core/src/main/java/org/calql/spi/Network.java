package org.calql.spi;

/**
 * A fully connected network run by a backend: linear layers, and after each hidden one an optional
 * LayerNorm and the spec's activation (see {@link NetworkSpec}).
 *
 * <p><b>Grouped input.</b> A forward pass has {@code rows = groups × groupSize} rows; input row
 * {@code r} is {@code concat(head[r / groupSize], tail[r])}: the head (e.g. an observation) is given
 * once per group and shared by the group's rows, the tail (e.g. an action) once per row. This lets a
 * critic evaluate many actions per state while a backend computes the head's first-layer term once
 * per group. A policy uses no tail ({@code tailDim = 0}, {@code groupSize = 1}). LayerNorm comes after the
 * first linear map, so it normalises the full row either way: grouping changes how layer 0 is computed,
 * never the result beyond rounding.
 *
 * <p>All host arrays are row-major and may be longer than needed; only the leading
 * {@code rows × width} values are read or written.
 *
 * <p><b>Threads.</b> Different networks are independent: their calls may run at once on different
 * threads (see {@link Backend#runIndependent}). On one network, forward passes through distinct
 * workspaces may run concurrently while no parameters change; every other call on one network is
 * single-threaded.
 */
public interface Network {
    /** The network's shape. */
    NetworkSpec spec();

    /** Buffers for passes of at most {@code maxRows} rows. */
    Workspace newWorkspace(int maxRows);

    /**
     * Forward pass; keeps in {@code workspace} what {@link #backward} needs.
     *
     * @param head      {@code [groups, inputDim − tailDim]}
     * @param tail      {@code [groups × groupSize, tailDim]}, or {@code null} when {@code tailDim == 0}
     * @param out       receives {@code [groups × groupSize, outputDim]}
     * @throws IllegalArgumentException if the rows exceed the workspace or an array is too short
     */
    void forward(Workspace workspace, double[] head, double[] tail, int tailDim, int groups, int groupSize,
                 double[] out);

    /**
     * Forward pass on rows staged once for several passes ({@link Backend#bindRows}): {@code head.rows()} groups
     * of {@code groupSize} rows, row {@code r} being {@code concat(head[r / groupSize], tail[r])}, exactly as
     * {@link #forward(Workspace, double[], double[], int, int, int, double[]) the host-array forward} of
     * {@code head.values()} and {@code tail.values()} ({@code tailDim = tail.width()}). {@code head} and
     * {@code tail} must stay staged until the backward of this pass (see {@link BoundRows}). This default reads
     * their host copies; a backend whose {@code bindRows} stages them elsewhere reads its own copies.
     *
     * @param tail {@code groups × groupSize} rows, or {@code null} for no tail (then {@code groupSize} must be 1)
     * @throws IllegalArgumentException if the shapes do not fit this network, the workspace or each other
     */
    default void forward(Workspace workspace, BoundRows head, BoundRows tail, int groupSize, double[] out) {
        BoundRowsChecks.check(spec(), head, tail, groupSize);
        forward(workspace, head.values(), tail == null ? null : tail.values(), tail == null ? 0 : tail.width(),
                head.rows(), groupSize, out);
    }

    /** Forward pass without a tail: {@code rows} rows of width {@code inputDim}. */
    default void forward(Workspace workspace, double[] input, int rows, double[] out) {
        forward(workspace, input, null, 0, rows, 1, out);
    }

    /**
     * Backward pass from {@code gradOutput} ({@code [rows, outputDim]}, the loss gradient with respect to the
     * last forward's output in {@code workspace}).
     *
     * @param gradients  parameter gradients (LayerNorm gains and shifts included) are <em>added</em> here;
     *                   {@code null} to skip them
     * @param gradHead   receives {@code [groups, headDim]}, each group's gradient summed over its rows; may be null
     * @param gradTail   receives {@code [rows, tailDim]}; may be null
     */
    void backward(Workspace workspace, double[] gradOutput, ParameterGradients gradients, double[] gradHead,
                  double[] gradTail);

    /** Zeroed gradients with this network's layout. */
    ParameterGradients newGradients();

    /** A fresh Adam optimizer bound to this network. */
    Optimizer newAdam();

    /** Copies {@code source}'s parameters (same spec, same backend) into this network. */
    void copyParametersFrom(Network source);

    /** Polyak update {@code θ ← (1 − τ)·θ + τ·θ_source}. */
    void softUpdateFrom(Network source, double tau);

    /**
     * A copy of the parameters in the spec's layout (see {@link NetworkSpec}): {@code [w0, b0, w1, b1, …]},
     * {@code w_l} row-major {@code [out, in]}; with LayerNorm {@code [w_l, b_l, gain_l, shift_l]} per hidden
     * layer, then the output layer's {@code [w, b]}.
     */
    double[][] exportParameters();

    /**
     * Replaces the parameters (layout of {@link #exportParameters()}).
     *
     * @throws IllegalArgumentException if the layout does not match the spec; nothing changes then
     */
    void importParameters(double[][] parameters);
}
