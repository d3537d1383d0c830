package org.calql.bench;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.calql.spi.AdamState;
import org.calql.spi.Backend;
import org.calql.spi.BoundRows;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;

/**
 * A backend that times what the update asks of another: the wall time of each {@link #runIndependent} section,
 * and the time of every network call (forward, backward, Adam), labelled by network role (policy, critic, target)
 * and rows. Calls inside a section are timed on the thread that makes them, so with critics running at once
 * their times add up to more than the section's wall time. Everything else is delegated unchanged, so the update
 * computes exactly what it computes on the wrapped backend.
 *
 * <p>A section is named by the code that asks for it (the class of its pass: one per lambda in the update's
 * source), in the order the update first runs them, so the same section has the same name in every update even
 * though its lambda captures new arguments each time.
 */
final class TimedBackend implements Backend {
    /** Accumulated time of one kind of call. */
    static final class Tally {
        long nanos;
        /** Essential FLOPs of the calls (see {@link EssentialFlops}). */
        double flops;
    }

    /** The key of {@link #callsBySection()} for calls made outside any section. */
    static final String CALLING_THREAD = "calling thread";

    private final Backend inner;
    private final Function<NetworkSpec, String> roleOf;
    private final Map<Class<?>, String> sectionNames = new HashMap<>();
    private final Map<String, Tally> sections = new LinkedHashMap<>();
    private final Map<String, Map<String, Tally>> callsBySection = new LinkedHashMap<>();
    /** The section running now, or {@link #CALLING_THREAD}. */
    private volatile String current = CALLING_THREAD;

    /** For the continuous update: a network with one output is a critic, any other the policy. */
    TimedBackend(Backend inner) {
        this(inner, spec -> spec.outputDim() == 1 ? "critic" : "policy");
    }

    /**
     * @param roleOf the role of a new network ({@code "critic"} for a network whose copies become targets)
     */
    TimedBackend(Backend inner, Function<NetworkSpec, String> roleOf) {
        this.inner = inner;
        this.roleOf = roleOf;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Network createNetwork(NetworkSpec spec) {
        return new TimedNetwork(inner.createNetwork(spec), roleOf.apply(spec));
    }

    /** The inner backend's staged rows, so that the timed update runs the same passes as the untimed one. */
    @Override
    public BoundRows bindRows(int maxRows, int width) {
        return inner.bindRows(maxRows, width);
    }

    @Override
    public void runIndependent(int count, IntConsumer pass) {
        String name = sectionNames.computeIfAbsent(pass.getClass(), p -> "section " + (sectionNames.size() + 1));
        long start = System.nanoTime();
        current = name;
        try {
            inner.runIndependent(count, pass);
        } finally {
            current = CALLING_THREAD;
        }
        add(sections, name, System.nanoTime() - start, 0.0);
    }

    /** Forgets every time taken so far (after a warm-up). */
    synchronized void reset() {
        sections.clear();
        callsBySection.clear();
    }

    /** Section wall times, in the order the update first ran them. */
    synchronized Map<String, Tally> sections() {
        return new LinkedHashMap<>(sections);
    }

    /** Network call times by section (or {@link #CALLING_THREAD}), then by label. */
    synchronized Map<String, Map<String, Tally>> callsBySection() {
        Map<String, Map<String, Tally>> copy = new LinkedHashMap<>();
        callsBySection.forEach((section, byLabel) -> copy.put(section, new LinkedHashMap<>(byLabel)));
        return copy;
    }

    private synchronized void add(Map<String, Tally> into, String label, long nanos, double flops) {
        Tally t = into.computeIfAbsent(label, l -> new Tally());
        t.nanos += nanos;
        t.flops += flops;
    }

    private void call(String label, long start, double flops) {
        long nanos = System.nanoTime() - start;
        String section = current;
        synchronized (this) {
            add(callsBySection.computeIfAbsent(section, s -> new LinkedHashMap<>()), label, nanos, flops);
        }
    }

    private static Network unwrap(Network n) {
        return n instanceof TimedNetwork t ? t.inner : n;
    }

    /**
     * A network whose calls are timed and counted in essential FLOPs; a network that copies a critic's parameters
     * is that critic's target.
     */
    private final class TimedNetwork implements Network {
        private final Network inner;
        private final int[] widths;
        /** {groups, rows, head width, tail width} of the last forward through each workspace. */
        private final Map<Workspace, int[]> lastForward = Collections.synchronizedMap(new IdentityHashMap<>());
        private String role;

        TimedNetwork(Network inner, String role) {
            this.inner = inner;
            this.role = role;
            NetworkSpec spec = inner.spec();
            this.widths = EssentialFlops.widths(spec.inputDim(), spec.hidden(), spec.outputDim());
        }

        /** First layer with the head once per group, then every other layer on all rows. */
        private double forwardFlops(int[] shape) {
            return 2.0 * ((double) shape[0] * shape[2] + (double) shape[1] * shape[3]) * widths[1]
                    + EssentialFlops.mlpInputGradient(shape[1], widths);
        }

        @Override
        public NetworkSpec spec() {
            return inner.spec();
        }

        @Override
        public Workspace newWorkspace(int maxRows) {
            return inner.newWorkspace(maxRows);
        }

        @Override
        public void forward(Workspace workspace, double[] head, double[] tail, int tailDim, int groups,
                            int groupSize, double[] out) {
            long start = System.nanoTime();
            inner.forward(workspace, head, tail, tailDim, groups, groupSize, out);
            int[] shape = {groups, groups * groupSize, widths[0] - tailDim, tailDim};
            lastForward.put(workspace, shape);
            call(role + " forward, " + shape[1] + " rows", start, forwardFlops(shape));
        }

        @Override
        public void forward(Workspace workspace, BoundRows head, BoundRows tail, int groupSize, double[] out) {
            long start = System.nanoTime();
            inner.forward(workspace, head, tail, groupSize, out);
            int tailDim = tail == null ? 0 : tail.width();
            int groups = head.rows();
            int[] shape = {groups, groups * groupSize, widths[0] - tailDim, tailDim};
            lastForward.put(workspace, shape);
            call(role + " forward, " + shape[1] + " rows", start, forwardFlops(shape));
        }

        @Override
        public void backward(Workspace workspace, double[] gradOutput, ParameterGradients gradients,
                             double[] gradHead, double[] gradTail) {
            long start = System.nanoTime();
            inner.backward(workspace, gradOutput, gradients, gradHead, gradTail);
            int[] shape = lastForward.get(workspace);
            double flops = EssentialFlops.mlpInputGradient(shape[1], widths);
            if (gradients != null) {
                flops += forwardFlops(shape);
            }
            if (gradTail != null) {
                flops += 2.0 * shape[1] * shape[3] * widths[1];
            }
            if (gradHead != null) {
                flops += 2.0 * shape[0] * shape[2] * widths[1];
            }
            call(role + " backward, " + shape[1] + " rows, " + (gradients != null ? "parameter" : "input")
                    + " gradients", start, flops);
        }

        @Override
        public ParameterGradients newGradients() {
            return inner.newGradients();
        }

        @Override
        public Optimizer newAdam() {
            Optimizer adam = inner.newAdam();
            return new Optimizer() {
                @Override
                public void step(ParameterGradients gradients, double learningRate) {
                    long start = System.nanoTime();
                    adam.step(gradients, learningRate);
                    call(role + " Adam step", start, 0.0);
                }

                @Override
                public AdamState exportState() {
                    return adam.exportState();
                }

                @Override
                public void importState(AdamState state) {
                    adam.importState(state);
                }
            };
        }

        @Override
        public void copyParametersFrom(Network source) {
            if (source instanceof TimedNetwork t && "critic".equals(t.role)) {
                role = "target";
            }
            inner.copyParametersFrom(unwrap(source));
        }

        @Override
        public void softUpdateFrom(Network source, double tau) {
            long start = System.nanoTime();
            inner.softUpdateFrom(unwrap(source), tau);
            call(role + " soft update", start, 0.0);
        }

        @Override
        public double[][] exportParameters() {
            return inner.exportParameters();
        }

        @Override
        public void importParameters(double[][] parameters) {
            inner.importParameters(parameters);
        }
    }
}
