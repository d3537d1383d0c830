package org.calql.interop;

/**
 * Element types of a stored tensor, named as safetensors names them; all little-endian.
 */
public enum DType {
    /** IEEE half precision (read only). */
    F16(2),
    /** bfloat16, the top half of a float32 (read only). */
    BF16(2),
    /** IEEE single precision, PyTorch's default and CORL's. */
    F32(4),
    /** IEEE double precision, calql's own arithmetic. */
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type named {@code name} exactly as safetensors spells it, or {@code null}. */
    static DType named(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Whether calql can write this type (F32, F64). */
    boolean writable() {
        return this == F32 || this == F64;
    }

    /** The element at {@code index} (in elements) of a little-endian buffer, widened to double. */
    double get(java.nio.ByteBuffer buffer, int index) {
        return switch (this) {
            case F16 -> halfToFloat(buffer.getShort(index * 2));
            case BF16 -> Float.intBitsToFloat((buffer.getShort(index * 2) & 0xFFFF) << 16);
            case F32 -> buffer.getFloat(index * 4);
            case F64 -> buffer.getDouble(index * 8);
        };
    }

    /** IEEE binary16 to float (subnormals, infinities and NaN included). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
