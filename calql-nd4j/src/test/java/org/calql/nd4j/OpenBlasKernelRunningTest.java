package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.calql.nd4j.OpenBlasKernel.Decision;
import org.calql.nd4j.OpenBlasKernel.Origin;
import org.junit.jupiter.api.Test;

/** The kernel the loaded OpenBLAS runs, read back from the library after the backend started it. */
class OpenBlasKernelRunningTest {
    private static final Set<String> AVX512_KERNELS = Set.of("SKYLAKEX", "COOPERLAKE", "SAPPHIRERAPIDS");

    @Test
    void anAvx512MachineRunsAnAvx512Kernel() throws IOException {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && (arch.equals("amd64") || arch.equals("x86_64")), "skipped: not Linux on x86-64 (" + arch + ")");
        Set<String> flags = OpenBlasKernel.flags(Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8));
        assumeTrue(flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")),
                "skipped: this CPU has no AVX-512 (F, CD, BW, DQ, VL)");

        Nd4jBackend.create();
        Decision d = OpenBlasKernel.decision().orElseThrow();
        assumeTrue(d.origin() == Origin.CALQL || d.origin() == Origin.OPENBLAS,
                "skipped: the kernel was chosen outside calql's default (" + d + ")");
        String running = OpenBlasKernel.runningCoreType().orElseThrow(
                () -> new AssertionError("could not read OpenBLAS's core type; " + OpenBlasKernel.summary()));
        assertTrue(AVX512_KERNELS.contains(running), "an AVX-512 CPU runs OpenBLAS kernel " + running
                + ", not an AVX-512 one; " + OpenBlasKernel.summary());
        assertEquals(d.coreType(), running, "OpenBLAS runs the kernel calql chose");
        assertTrue(OpenBlasKernel.summary().contains(running), OpenBlasKernel.summary());
    }
}
