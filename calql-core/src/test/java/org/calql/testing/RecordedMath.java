package org.calql.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Whether this JVM's {@code Math} gives the bits of the JVM that recorded the bit-pinned literals (HotSpot 17 on
 * x86-64). {@code Math.exp}, {@code log}, {@code pow}, ... may differ in the last bit between platforms (HotSpot
 * x86-64 runs its own intrinsics; other platforms, JVMs or {@code -XX:-UseLibmIntrinsic} run other code), and a
 * training run that starts one bit apart ends far apart. Tests that pin the bits of training skip, saying why,
 * where this JVM's functions differ on any of {@value #SAMPLES} arguments each.
 */
public final class RecordedMath {
    private static final int SAMPLES = 2000;
    /** {@link #fingerprint()} on the JVM that recorded the literals. */
    private static final String RECORDED = "e6617a93b0de72e69bc3b255491a78efc0dc4b9b15ddbf74471ff37bda08df08";
    private static final String FINGERPRINT = fingerprint();

    private RecordedMath() {
    }

    /** Why bit-pinned results cannot hold on this JVM, or null when its {@code Math} is the recorded one. */
    public static String differs() {
        return RECORDED.equals(FINGERPRINT) ? null
                : "this JVM's Math.exp/log/pow/tanh/expm1/log1p differ in the last bits from those of the JVM that "
                        + "recorded the literals (HotSpot 17, x86-64): fingerprint " + FINGERPRINT + ", recorded "
                        + RECORDED + " (" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                        + ", " + System.getProperty("os.arch") + ")";
    }

    /** SHA-256 of the bits of each function at {@value #SAMPLES} seeded arguments in the ranges training uses. */
    static String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer bits = ByteBuffer.allocate(Double.BYTES);
        SplittableRandom rng = new SplittableRandom(20261201L);
        DoubleUnaryOperator[] unary = {Math::exp, Math::log, Math::tanh, Math::expm1, Math::log1p};
        double[][] ranges = {{-30, 30}, {1e-6, 1e3}, {-8, 8}, {-5, 5}, {-0.999, 10}};
        for (int f = 0; f < unary.length; f++) {
            for (int i = 0; i < SAMPLES; i++) {
                double x = ranges[f][0] + (ranges[f][1] - ranges[f][0]) * rng.nextDouble();
                sha.update(bits.clear().putDouble(unary[f].applyAsDouble(x)).array());
            }
        }
        DoubleBinaryOperator pow = Math::pow;
        for (int i = 0; i < SAMPLES; i++) {
            double x = 1e-3 + 10 * rng.nextDouble();
            double y = -4 + 8 * rng.nextDouble();
            sha.update(bits.clear().putDouble(pow.applyAsDouble(x, y)).array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
