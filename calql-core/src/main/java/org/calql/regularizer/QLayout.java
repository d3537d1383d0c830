package org.calql.regularizer;

import java.util.List;

/**
 * Where one critic's Q-values lie in the array a {@link ConservativeRegularizer} sees, and what each entry is.
 * The array holds one block of {@link #stride()} entries per state {@code b}; in each block
 * <ul>
 *   <li>the <em>pushed-down</em> entries come in {@link Group groups}: runs of contiguous entries that enter the
 *       logsumexp, each group saying whether its entries are calibrated against {@code V_ref(s)} (Cal-QL's
 *       {@code max(Q, V_ref)}) and which log-density corrects them when the regularizer importance-samples;</li>
 *   <li>one entry is the data action's {@code Q(s, a_data)}, which the regularizer subtracts: at a fixed offset,
 *       or at a per-row offset given by {@link PenaltyInputs#dataIndices()}. It is either one of the pushed-down
 *       entries ({@link #dataAmongPushedDown()}) or an entry of its own.</li>
 * </ul>
 * The groups and the data entry tile the block: every entry is written by a regularizer.
 *
 * <p>Two layouts are built in:
 * <pre>
 *   {@link #sampledActions(int, int)}  continuous actions, 1 + 3N entries per state:
 *       [0]            Q(s, a_data)                                 data entry, not pushed down
 *       [1 … N]        Q(s, a_rand_j)      group "random":  not calibrated, corrected by log(0.5^A)
 *       [N+1 … 2N]     Q(s, a_next_j)      group "next":    calibrated, corrected by log π(a_next_j | s')
 *       [2N+1 … 3N]    Q(s, a_cur_j)       group "current": calibrated, corrected by log π(a_cur_j | s)
 *   {@link #allActions(int)}  discrete actions, |A| entries per state:
 *       [0 … |A|−1]    Q(s, a)             group "actions": calibrated, no correction (every action is
 *                                                            enumerated, so there is no proposal density)
 *       data entry     Q(s, a_data) at offset a_data of each row, among the pushed-down entries
 * </pre>
 * A regularizer visits pushed-down entries sample-major: entry {@code j} of every group in group order, then
 * entry {@code j + 1} (so the continuous sum runs {@code rand_j, next_j, cur_j, …} as the reference code lays
 * its entries out). Immutable.
 */
public final class QLayout {
    /** How a pushed-down entry is corrected when the regularizer importance-samples. */
    public enum Correction {
        /** Not corrected. */
        NONE,
        /** Minus one constant log-density, {@link Group#logDensity()}. */
        CONSTANT,
        /** Minus a log-density per state and entry, from {@link PenaltyInputs#corrections(int)}. */
        PER_ENTRY
    }

    /**
     * A run of {@code count} pushed-down entries starting at {@code offset} of each state's block.
     *
     * @param name       what the entries are, for messages
     * @param offset     first entry within the block
     * @param count      number of entries, at least 1
     * @param calibrated whether {@link Calibration#apply} replaces each value before the correction
     * @param correction how an importance-sampling regularizer corrects the entries
     * @param logDensity the constant log-density of a {@link Correction#CONSTANT} group, else 0
     */
    public record Group(String name, int offset, int count, boolean calibrated, Correction correction,
                        double logDensity) {
    }

    /** {@link #dataOffset()} of a layout whose data entry's offset varies by row. */
    public static final int PER_ROW = -1;

    private final int stride;
    private final Group[] groups;
    private final int dataOffset;
    private final boolean dataAmongPushedDown;
    private final int maxCount;
    // the groups as primitive arrays, for the hot loop
    final int[] offsets;
    final int[] counts;
    final boolean[] calibrated;
    final boolean[] corrected;
    final double[] constants;

    private QLayout(int stride, int dataOffset, boolean dataAmongPushedDown, Group... groups) {
        this.stride = stride;
        this.groups = groups.clone();
        this.dataOffset = dataOffset;
        this.dataAmongPushedDown = dataAmongPushedDown;
        int g = groups.length;
        offsets = new int[g];
        counts = new int[g];
        calibrated = new boolean[g];
        corrected = new boolean[g];
        constants = new double[g];
        int max = 0;
        for (int i = 0; i < g; i++) {
            offsets[i] = groups[i].offset();
            counts[i] = groups[i].count();
            calibrated[i] = groups[i].calibrated();
            corrected[i] = groups[i].correction() != Correction.NONE;
            constants[i] = groups[i].logDensity();
            max = Math.max(max, counts[i]);
        }
        this.maxCount = max;
    }

    /**
     * The continuous layout of {@code 1 + 3N} entries per state (see the class comment): the data action, then
     * {@code N} uniform random actions on {@code [−1, 1]^A} (log-density {@code log(0.5^A)}), {@code N} policy
     * actions drawn at {@code s'} and {@code N} drawn at {@code s}, all evaluated at {@code s}.
     *
     * @throws IllegalArgumentException if {@code samples} or {@code actionDim} is not positive
     */
    public static QLayout sampledActions(int samples, int actionDim) {
        if (samples <= 0 || actionDim <= 0) {
            throw new IllegalArgumentException("samples and actionDim must be positive, found " + samples + ", "
                    + actionDim);
        }
        int n = samples;
        return new QLayout(1 + 3 * n, 0, false,
                new Group("random", 1, n, false, Correction.CONSTANT, Math.log(Math.pow(0.5, actionDim))),
                new Group("next", 1 + n, n, true, Correction.PER_ENTRY, 0.0),
                new Group("current", 1 + 2 * n, n, true, Correction.PER_ENTRY, 0.0));
    }

    /**
     * The discrete layout of {@code |A|} entries per state, {@code Q(s, 0) … Q(s, |A|−1)}: every action is pushed
     * down and calibrated; the data entry is the row's action.
     *
     * @throws IllegalArgumentException if {@code numActions < 2}
     */
    public static QLayout allActions(int numActions) {
        if (numActions < 2) {
            throw new IllegalArgumentException("numActions must be at least 2, found " + numActions);
        }
        return new QLayout(numActions, PER_ROW, true,
                new Group("actions", 0, numActions, true, Correction.NONE, 0.0));
    }

    /** Entries per state block. */
    public int stride() {
        return stride;
    }

    /** The pushed-down groups, in visiting order. */
    public List<Group> groups() {
        return List.of(groups);
    }

    /** Number of groups. */
    public int groupCount() {
        return groups.length;
    }

    /** Group {@code g}. */
    public Group group(int g) {
        return groups[g];
    }

    /** The largest group's entry count (the number of sample-major rounds). */
    public int maxCount() {
        return maxCount;
    }

    /** Offset of the data entry within each block, or {@link #PER_ROW}. */
    public int dataOffset() {
        return dataOffset;
    }

    /** Whether the data entry's offset varies by row ({@link PenaltyInputs#dataIndices()}). */
    public boolean dataPerRow() {
        return dataOffset == PER_ROW;
    }

    /**
     * Whether the data entry is one of the pushed-down entries (discrete: the data action is one of the actions),
     * rather than an entry of its own (continuous).
     */
    public boolean dataAmongPushedDown() {
        return dataAmongPushedDown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QLayout l && l.stride == stride && l.dataOffset == dataOffset
                && l.dataAmongPushedDown == dataAmongPushedDown && groups().equals(l.groups());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * stride + dataOffset) + groups().hashCode();
    }

    @Override
    public String toString() {
        return "QLayout[stride=" + stride + ", data=" + (dataPerRow() ? "per row" : "offset " + dataOffset)
                + (dataAmongPushedDown ? " (pushed down)" : "") + ", groups=" + groups() + "]";
    }
}
