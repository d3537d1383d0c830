package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.calql.nd4j.OpenBlasKernel.Decision;
import org.calql.nd4j.OpenBlasKernel.Origin;
import org.junit.jupiter.api.Test;

/** The flags → core type mapping and the decision rules, as pure functions (no natives). */
class OpenBlasKernelTest {
    private static final Set<String> KNOWN = OpenBlasKernel.KNOWN_CORE_TYPES;
    private static final Set<String> AVX2 = Set.of("sse3", "avx", "avx2", "fma");
    private static final Set<String> AVX512 = union(AVX2, "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
    /** This project's machine: Intel family 6 model 207 (what /proc/cpuinfo lists, abridged). */
    private static final Set<String> EMERALD_RAPIDS = union(AVX512, "avx512ifma", "avx512vbmi", "avx512_vnni",
            "avx512_bf16", "avx512_vbmi2", "avx512_bitalg", "avx512_vpopcntdq", "avx512_fp16", "amx_bf16",
            "amx_tile", "amx_int8");
    private static final UnaryOperator<String> NO_ENV = name -> null;

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> s = new HashSet<>(base);
        s.addAll(Set.of(more));
        return s;
    }

    @Test
    void avx512WithBf16PicksCooperlakeTheNewestTheBundledOpenBlasKnows() {
        assertEquals(Optional.of("COOPERLAKE"), OpenBlasKernel.coreTypeFor("GenuineIntel", EMERALD_RAPIDS, KNOWN));
        assertEquals(Optional.of("SAPPHIRERAPIDS"), OpenBlasKernel.coreTypeFor("GenuineIntel", EMERALD_RAPIDS,
                union(KNOWN, "SAPPHIRERAPIDS")), "a newer OpenBLAS that knows SAPPHIRERAPIDS gets it");
        assertEquals(Optional.of("SKYLAKEX"), OpenBlasKernel.coreTypeFor("GenuineIntel", EMERALD_RAPIDS,
                Set.of("SKYLAKEX", "HASWELL")));
    }

    @Test
    void nothingNewerThanTheFlagsSupport() {
        assertEquals(Optional.of("SKYLAKEX"), OpenBlasKernel.coreTypeFor("GenuineIntel", AVX512, KNOWN));
        assertEquals(Optional.of("SKYLAKEX"), OpenBlasKernel.coreTypeFor("GenuineIntel",
                union(AVX512, "avx512_vnni"), union(KNOWN, "SAPPHIRERAPIDS")), "no bf16: not COOPERLAKE");
        assertEquals(Optional.of("COOPERLAKE"), OpenBlasKernel.coreTypeFor("GenuineIntel",
                union(AVX512, "avx512_vnni", "avx512_bf16"), union(KNOWN, "SAPPHIRERAPIDS")), "no AMX: not SPR");
        Set<String> knightsLanding = union(AVX2, "avx512f", "avx512cd", "avx512er", "avx512pf");
        assertEquals(Optional.of("HASWELL"), OpenBlasKernel.coreTypeFor("GenuineIntel", knightsLanding, KNOWN),
                "AVX-512 without BW/DQ/VL is not enough for the SKYLAKEX kernels");
        assertEquals(Optional.of("HASWELL"), OpenBlasKernel.coreTypeFor("GenuineIntel", AVX2, KNOWN));
        assertEquals(Optional.empty(), OpenBlasKernel.coreTypeFor("GenuineIntel", Set.of("sse3", "avx"), KNOWN),
                "Sandy Bridge and older: OpenBLAS knows them, calql leaves it alone");
        assertEquals(Optional.empty(), OpenBlasKernel.coreTypeFor("GenuineIntel", Set.of("avx2"), KNOWN),
                "avx2 without fma");
        assertEquals(Optional.empty(), OpenBlasKernel.coreTypeFor("", Set.of(), KNOWN));
    }

    @Test
    void amdGetsZenAndZen4GetsTheAvx512Kernels() {
        assertEquals(Optional.of("ZEN"), OpenBlasKernel.coreTypeFor("AuthenticAMD", AVX2, KNOWN));
        assertEquals(Optional.of("ZEN"), OpenBlasKernel.coreTypeFor("HygonGenuine", AVX2, KNOWN));
        assertEquals(Optional.of("HASWELL"), OpenBlasKernel.coreTypeFor("AuthenticAMD", AVX2, Set.of("HASWELL")));
        Set<String> zen4 = union(AVX512, "avx512_vnni", "avx512_bf16", "avx512ifma");
        assertEquals(Optional.of("COOPERLAKE"), OpenBlasKernel.coreTypeFor("AuthenticAMD", zen4, KNOWN));
    }

    @Test
    void decisionReadsCpuinfoAndSetsTheChoice() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 207\n"
                + "flags\t\t: " + String.join(" ", EMERALD_RAPIDS) + "\n\nprocessor\t: 1\nflags\t\t: sse2\n";
        Decision d = OpenBlasKernel.decide(null, NO_ENV, cpuinfo);
        assertEquals(Origin.CALQL, d.origin());
        assertEquals("COOPERLAKE", d.coreType());
        assertTrue(d.reason().contains("avx512_bf16"), d.reason());
        assertEquals(d, OpenBlasKernel.decide("auto", NO_ENV, cpuinfo));
        assertEquals(Origin.OPENBLAS, OpenBlasKernel.decide(null, NO_ENV, "vendor_id : X\nflags : sse2 avx\n")
                .origin());
        assertEquals(Origin.OPENBLAS, OpenBlasKernel.decide(null, NO_ENV, null).origin(), "not Linux x86-64");
    }

    @Test
    void anOpenBlasVariableInTheEnvironmentAlwaysWins() {
        String cpuinfo = "vendor_id : GenuineIntel\nflags : " + String.join(" ", AVX512) + "\n";
        for (String property : new String[] {null, "auto", "HASWELL", "off"}) {
            Decision d = OpenBlasKernel.decide(property, Map.of("OPENBLAS_CORETYPE", "Haswell")::get, cpuinfo);
            assertEquals(Origin.ENVIRONMENT, d.origin(), property);
            assertEquals("Haswell", d.coreType());
            d = OpenBlasKernel.decide(property, Map.of("OPENBLAS_L2_SIZE", "1048576")::get, cpuinfo);
            assertEquals(Origin.ENVIRONMENT, d.origin(), property);
            assertNull(d.coreType());
        }
    }

    @Test
    void thePropertyTurnsTheChoiceOffOrNamesAKnownCoreType() {
        String cpuinfo = "vendor_id : GenuineIntel\nflags : " + String.join(" ", AVX512) + "\n";
        assertEquals(new Decision(null, Origin.OFF, "-Dcalql.nd4j.coreType=off"),
                OpenBlasKernel.decide("OFF", NO_ENV, cpuinfo));
        Decision named = OpenBlasKernel.decide("haswell", NO_ENV, cpuinfo);
        assertEquals(Origin.PROPERTY, named.origin());
        assertEquals("HASWELL", named.coreType());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenBlasKernel.decide("SAPPHIRERAPIDS", NO_ENV, cpuinfo));
        assertTrue(e.getMessage().contains("SKYLAKEX"), e.getMessage());
    }
}
