package org.calql.nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which OpenBLAS kernel ("core type") ND4J's bundled OpenBLAS runs, and calql's choice of it.
 *
 * <p>The OpenBLAS that ND4J 1.0.0-M2.1 bundles (0.3.19, built with {@code DYNAMIC_ARCH}) picks its kernels
 * from the CPU model once, when its shared library loads. It does not know newer CPUs (for example Intel
 * family 6 model 207, a Xeon with AVX-512 and AMX) and then falls back to its slowest x86-64 kernel
 * ({@code PRESCOTT}, SSE3), 4–5× slower for sgemm. OpenBLAS reads one override at that moment: the environment
 * variable {@code OPENBLAS_CORETYPE}. So before ND4J loads its natives, {@link Nd4jBackend#create()} calls
 * {@link #applyBeforeLoad()}, which chooses the best kernel the CPU's own feature flags support
 * ({@link #coreTypeFor}) and sets the variable in the process environment with libc's {@code setenv}
 * (through the JavaCPP {@code systems} preset, the same JavaCPP version ND4J uses). On CPUs the bundled
 * OpenBLAS recognises, the choice is the kernel it would pick itself.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>{@code OPENBLAS_CORETYPE} or {@code OPENBLAS_L2_SIZE} already set in the environment: left alone,
 *       always (some machines set them on purpose);</li>
 *   <li>{@value #PROPERTY}{@code =off}: nothing is set; {@code =NAME}: that OpenBLAS core type is set
 *       (one of {@link #KNOWN_CORE_TYPES}); {@code =auto} or unset: the choice from the CPU flags;</li>
 *   <li>not Linux on x86-64, or no AVX2: nothing is set (OpenBLAS's own choice stands).</li>
 * </ol>
 * The decision is logged at DEBUG under {@code org.calql.nd4j.OpenBlasKernel}; {@link #decision()},
 * {@link #runningCoreType()} and {@link #summary()} expose it.
 */
public final class OpenBlasKernel {
    /** System property: {@code auto} (default), {@code off}, or an OpenBLAS core type name to set. */
    public static final String PROPERTY = "calql.nd4j.coreType";

    /** The environment variable OpenBLAS reads when it loads; calql never overrides a value that is set. */
    public static final String CORETYPE_ENV = "OPENBLAS_CORETYPE";

    /** OpenBLAS's L2-size override; when set, calql leaves the kernel choice alone too. */
    public static final String L2_SIZE_ENV = "OPENBLAS_L2_SIZE";

    /**
     * The x86-64 core types of the bundled OpenBLAS 0.3.19 (the {@code gotoblas_NAME} tables its
     * {@code DYNAMIC_ARCH} library exports); a name it does not know would make it fall back to
     * {@code PRESCOTT}, so only these are set.
     */
    public static final Set<String> KNOWN_CORE_TYPES = Set.copyOf(new TreeSet<>(List.of("KATMAI", "COPPERMINE",
            "NORTHWOOD", "PRESCOTT", "BANIAS", "CORE2", "NEHALEM", "SANDYBRIDGE", "HASWELL", "SKYLAKEX",
            "COOPERLAKE", "ATHLON", "BARCELONA", "BULLDOZER", "PILEDRIVER", "STEAMROLLER", "EXCAVATOR", "ZEN")));

    /** Where the kernel that OpenBLAS runs came from. */
    public enum Origin {
        /** calql chose it from the CPU's feature flags and set {@code OPENBLAS_CORETYPE}. */
        CALQL,
        /** {@value OpenBlasKernel#PROPERTY} named it and calql set {@code OPENBLAS_CORETYPE}. */
        PROPERTY,
        /** {@code OPENBLAS_CORETYPE} or {@code OPENBLAS_L2_SIZE} was already set; calql left it alone. */
        ENVIRONMENT,
        /** {@value OpenBlasKernel#PROPERTY}{@code =off}: calql set nothing. */
        OFF,
        /** calql had nothing to choose (not Linux x86-64, no AVX2, flags unreadable); OpenBLAS chose. */
        OPENBLAS,
        /** OpenBLAS had loaded before the backend was created, so it was too late to choose. */
        TOO_LATE
    }

    /**
     * What calql decided before OpenBLAS loaded.
     *
     * @param coreType the core type calql set, or (for {@link Origin#ENVIRONMENT}) the one found set;
     *                 {@code null} when none
     * @param origin   where the kernel choice came from
     * @param reason   one line saying why (the CPU flags that decided, the variable found, ...)
     */
    public record Decision(String coreType, Origin origin, String reason) {
        /** Checks the fields. */
        public Decision {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasKernel.class);
    private static final Set<String> AVX512 = Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
    private static final Set<String> AMX = Set.of("amx_tile", "amx_bf16");
    private static final int RTLD_LAZY = 1;
    private static final int RTLD_NOLOAD = 4; // glibc: only return a handle to a library already loaded

    private static volatile Decision decision;

    private OpenBlasKernel() {
    }

    /**
     * The best OpenBLAS core type for a CPU with these {@code /proc/cpuinfo} flags, among {@code known}; empty
     * when OpenBLAS's own choice should stand. Never newer than the flags support:
     * <table>
     *   <caption>flags → core type</caption>
     *   <tr><th>flags (all of)</th><th>core type</th></tr>
     *   <tr><td>AVX-512 F, CD, BW, DQ, VL + avx512_bf16 + amx_tile + amx_bf16</td><td>SAPPHIRERAPIDS (only if
     *       known; OpenBLAS 0.3.19 does not know it)</td></tr>
     *   <tr><td>AVX-512 F, CD, BW, DQ, VL + avx512_bf16 + avx512_vnni</td><td>COOPERLAKE</td></tr>
     *   <tr><td>AVX-512 F, CD, BW, DQ, VL</td><td>SKYLAKEX</td></tr>
     *   <tr><td>avx2 + fma, vendor AMD or Hygon</td><td>ZEN</td></tr>
     *   <tr><td>avx2 + fma</td><td>HASWELL</td></tr>
     *   <tr><td>anything else</td><td>(none: OpenBLAS knows these older CPUs)</td></tr>
     * </table>
     * A row whose core type is not in {@code known} falls through to the next one.
     *
     * @param vendor the {@code vendor_id} ({@code GenuineIntel}, {@code AuthenticAMD}, ...), may be empty
     * @param flags  the CPU's feature flags, lower case as {@code /proc/cpuinfo} lists them
     * @param known  the core type names the OpenBLAS library knows
     */
    public static Optional<String> coreTypeFor(String vendor, Set<String> flags, Set<String> known) {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(known, "known");
        boolean amd = vendor != null && (vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine"));
        if (flags.containsAll(AVX512)) {
            if (flags.contains("avx512_bf16") && flags.containsAll(AMX) && known.contains("SAPPHIRERAPIDS")) {
                return Optional.of("SAPPHIRERAPIDS");
            }
            if (flags.contains("avx512_bf16") && flags.contains("avx512_vnni") && known.contains("COOPERLAKE")) {
                return Optional.of("COOPERLAKE");
            }
            if (known.contains("SKYLAKEX")) {
                return Optional.of("SKYLAKEX");
            }
        }
        if (flags.contains("avx2") && flags.contains("fma")) {
            if (amd && known.contains("ZEN")) {
                return Optional.of("ZEN");
            }
            if (known.contains("HASWELL")) {
                return Optional.of("HASWELL");
            }
        }
        return Optional.empty();
    }

    /**
     * The decision for the given inputs, without side effects.
     *
     * @param property the value of {@value #PROPERTY} ({@code null} = auto)
     * @param env      reads an environment variable ({@code null} when unset)
     * @param cpuinfo  the text of {@code /proc/cpuinfo}, or {@code null} when not on Linux x86-64 or unreadable
     * @throws IllegalArgumentException if the property is neither {@code auto}, {@code off} nor a known name
     */
    static Decision decide(String property, UnaryOperator<String> env, String cpuinfo) {
        for (String name : List.of(CORETYPE_ENV, L2_SIZE_ENV)) {
            String value = env.apply(name);
            if (value != null && !value.isEmpty()) {
                return new Decision(name.equals(CORETYPE_ENV) ? value : null, Origin.ENVIRONMENT,
                        name + "=" + value + " is set in the environment; left alone");
            }
        }
        String p = property == null ? "auto" : property.trim();
        if (p.equalsIgnoreCase("off")) {
            return new Decision(null, Origin.OFF, "-D" + PROPERTY + "=off");
        }
        if (!p.isEmpty() && !p.equalsIgnoreCase("auto")) {
            String name = p.toUpperCase(Locale.ROOT);
            if (!KNOWN_CORE_TYPES.contains(name)) {
                throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, off or an OpenBLAS core type "
                        + "the bundled OpenBLAS knows " + new TreeSet<>(KNOWN_CORE_TYPES) + ", found '" + property
                        + "'");
            }
            return new Decision(name, Origin.PROPERTY, "-D" + PROPERTY + "=" + property);
        }
        if (cpuinfo == null) {
            return new Decision(null, Origin.OPENBLAS, "not Linux on x86-64 (or /proc/cpuinfo unreadable)");
        }
        String vendor = field(cpuinfo, "vendor_id");
        Set<String> flags = flags(cpuinfo);
        Optional<String> chosen = coreTypeFor(vendor, flags, KNOWN_CORE_TYPES);
        String deciding = deciding(flags);
        return chosen.map(c -> new Decision(c, Origin.CALQL, "CPU " + vendor + " with " + deciding))
                .orElseGet(() -> new Decision(null, Origin.OPENBLAS, "CPU " + vendor + " with " + deciding
                        + ": no avx2 and fma, OpenBLAS's own choice stands"));
    }

    /**
     * Decides and, unless the decision is to leave it, sets {@code OPENBLAS_CORETYPE} in the process
     * environment; must run before ND4J's first native call (it does, from {@link Nd4jBackend#create()}).
     * Runs once; later calls return the first decision.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is invalid
     */
    static synchronized Decision applyBeforeLoad() {
        if (decision != null) {
            return decision;
        }
        Decision d = decide(System.getProperty(PROPERTY), System::getenv, cpuinfo());
        if (d.origin() == Origin.CALQL || d.origin() == Origin.PROPERTY) {
            d = set(d);
        }
        decision = d;
        if (d.origin() == Origin.TOO_LATE) {
            LOG.warn("OpenBLAS kernel: {}", d.reason());
        } else {
            LOG.debug("OpenBLAS kernel: {} ({}: {})", d.coreType() == null ? "OpenBLAS's own choice" : d.coreType(),
                    d.origin(), d.reason());
        }
        return d;
    }

    private static Decision set(Decision d) {
        try {
            if (openBlasLoaded()) {
                return new Decision(null, Origin.TOO_LATE, "OpenBLAS loaded before the ND4J backend was created, "
                        + "so calql could not set " + CORETYPE_ENV + "=" + d.coreType() + " (" + d.reason()
                        + "); set it in the environment or create the backend first");
            }
            org.bytedeco.javacpp.Loader.load(org.bytedeco.systems.global.linux.class);
            for (String name : List.of(CORETYPE_ENV, L2_SIZE_ENV)) {
                String value = nativeGetenv(name);
                if (value != null && !value.isEmpty()) {
                    return decide(null, n -> n.equals(name) ? value : null, null);
                }
            }
            // overwrite = 0: never replaces a value, even one set between the check and here
            int rc = org.bytedeco.systems.global.linux.setenv(CORETYPE_ENV, d.coreType(), 0);
            if (rc != 0) {
                return new Decision(null, Origin.OPENBLAS, "setenv failed (" + rc + "); " + d.reason());
            }
            return d;
        } catch (RuntimeException | LinkageError e) {
            return new Decision(null, Origin.OPENBLAS, "could not set " + CORETYPE_ENV + " (" + e + "); "
                    + d.reason());
        }
    }

    /** What calql decided, or empty before the ND4J backend was first created. */
    public static Optional<Decision> decision() {
        return Optional.ofNullable(decision);
    }

    /**
     * The core type the loaded OpenBLAS runs, for example {@code SKYLAKEX}: read from the library's
     * {@code gotoblas} table pointer (the table {@code openblas_get_corename()} reports; the JavaCPP preset
     * does not map that function). ND4J loads two copies of OpenBLAS ({@code libopenblas} for its native ops,
     * {@code libopenblas_nolapack} for the Java BLAS wrapper); if they differ both are named, as
     * {@code openblas=X, openblas_nolapack=Y}. Empty when OpenBLAS is not loaded yet or cannot be read
     * (not Linux, a build without {@code DYNAMIC_ARCH}).
     */
    public static Optional<String> runningCoreType() {
        Map<String, String> cores = runningCoreTypes();
        if (cores.isEmpty()) {
            return Optional.empty();
        }
        if (cores.values().stream().distinct().count() == 1) {
            return Optional.of(cores.values().iterator().next());
        }
        StringBuilder s = new StringBuilder();
        cores.forEach((lib, core) -> s.append(s.length() == 0 ? "" : ", ").append(lib).append('=').append(core));
        return Optional.of(s.toString());
    }

    /** The core type each loaded OpenBLAS copy runs, by library name ({@code openblas}, ...); see above. */
    public static Map<String, String> runningCoreTypes() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            if (!isLinuxX86()) {
                return out;
            }
            org.bytedeco.javacpp.Loader.load(org.bytedeco.systems.global.linux.class);
            for (Map.Entry<String, String> e : new TreeMap<>(org.bytedeco.javacpp.Loader.getLoadedLibraries())
                    .entrySet()) {
                String lib = e.getKey().replaceAll("@.*", "");
                if (!lib.startsWith("openblas")) {
                    continue;
                }
                out.put(lib, coreOf(e.getValue()));
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("could not read OpenBLAS's core type", e);
        }
        return out;
    }

    /**
     * One line for logs and benchmarks, for example
     * {@code OpenBLAS 0.3.19-1.5.7 kernel SKYLAKEX (chosen by calql: CPU GenuineIntel with avx512f ...)}.
     */
    public static String summary() {
        String version;
        try {
            version = org.bytedeco.javacpp.Loader.getVersion("org.bytedeco", "openblas");
        } catch (IOException | RuntimeException e) {
            version = null;
        }
        Decision d = decision;
        String how = d == null ? "calql made no choice (the ND4J backend was not created)" : switch (d.origin()) {
            case CALQL -> "chosen by calql: " + d.reason();
            case PROPERTY -> "set by " + d.reason();
            case ENVIRONMENT, OFF, OPENBLAS, TOO_LATE -> "OpenBLAS's choice, " + d.reason();
        };
        return "OpenBLAS " + (version == null ? "" : version + " ") + "kernel "
                + runningCoreType().orElse("unknown (not loaded or unreadable)") + " (" + how + ")";
    }

    private static String coreOf(String path) {
        org.bytedeco.javacpp.Pointer h = org.bytedeco.systems.global.linux.dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
        if (h == null || h.isNull()) {
            return "unknown";
        }
        try {
            org.bytedeco.javacpp.Pointer table = org.bytedeco.systems.global.linux.dlsym(h, "gotoblas");
            if (table == null || table.isNull()) {
                return "unknown";
            }
            long current = new org.bytedeco.javacpp.PointerPointer<>(table).get(0).address();
            for (String name : new TreeSet<>(KNOWN_CORE_TYPES)) {
                org.bytedeco.javacpp.Pointer p = org.bytedeco.systems.global.linux.dlsym(h, "gotoblas_" + name);
                if (p != null && !p.isNull() && p.address() == current) {
                    return name;
                }
            }
            return "unknown";
        } finally {
            org.bytedeco.systems.global.linux.dlclose(h);
        }
    }

    private static boolean openBlasLoaded() {
        return org.bytedeco.javacpp.Loader.getLoadedLibraries().keySet().stream()
                .anyMatch(k -> k.startsWith("openblas") || k.startsWith("nd4jcpu"));
    }

    /** A variable set natively after the JVM started ({@link System#getenv} is a snapshot); needs the natives. */
    private static String nativeGetenv(String name) {
        java.nio.ByteBuffer b = org.bytedeco.systems.global.linux.getenv(name);
        if (b == null) {
            return null;
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        String v = new String(bytes, StandardCharsets.UTF_8);
        int nul = v.indexOf('\0');
        return nul >= 0 ? v.substring(0, nul) : v;
    }

    private static boolean isLinuxX86() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    static String cpuinfo() {
        if (!isLinuxX86()) {
            return null;
        }
        try {
            return Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The first {@code flags} line of a {@code /proc/cpuinfo} text, as a set. */
    static Set<String> flags(String cpuinfo) {
        String f = field(cpuinfo, "flags");
        return f.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(f.split("\\s+")));
    }

    private static String field(String cpuinfo, String key) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String deciding(Set<String> flags) {
        List<String> shown = List.of("avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl",
                "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16");
        List<String> present = shown.stream().filter(flags::contains).toList();
        return present.isEmpty() ? "none of " + shown : String.join(" ", present);
    }
}
