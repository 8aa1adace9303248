package io.sparktts.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** The vector species every kernel uses and the loads that widen stored weights to float lanes. */
final class Lanes {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Half-width shorts and quarter-width bytes with as many lanes as {@link #F}. */
    static final VectorSpecies<Short> H = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    /**
     * The integer Q8_0 product uses at most 256-bit vectors, so that two vectors of 16-bit lanes cover a block of 32:
     * bytes widened to shorts ({@link #QS}), pair sums as ints ({@link #QI}), accumulated as floats ({@link #QF}).
     */
    private static final VectorShape Q_SHAPE = VectorShape.forBitSize(Math.min(256, F.vectorBitSize()));
    static final VectorSpecies<Short> QS = VectorSpecies.of(short.class, Q_SHAPE);
    static final VectorSpecies<Integer> QI = VectorSpecies.of(int.class, Q_SHAPE);
    static final VectorSpecies<Float> QF = VectorSpecies.of(float.class, Q_SHAPE);
    private static final VectorSpecies<Byte> QB = VectorSpecies.of(byte.class, VectorShape.forBitSize(Q_SHAPE.vectorBitSize() / 2));
    /** Shorts per {@link #QS} vector. */
    static final int WIDE = QS.length();
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    private Lanes() {}

    static FloatVector f32(MemorySegment m, long byteOffset) {
        return FloatVector.fromMemorySegment(F, m, byteOffset, LE);
    }

    /** bfloat16 to float is a 16-bit left shift of the bits. */
    static FloatVector bf16(MemorySegment m, long byteOffset) {
        return ((IntVector) ShortVector.fromMemorySegment(H, m, byteOffset, LE).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * float16 to float: the exponent and mantissa bits moved into place and rescaled by 2^112 (exact, subnormals
     * included), infinities and NaNs given the all-ones exponent, then the sign.
     */
    static FloatVector f16(MemorySegment m, long byteOffset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(H, m, byteOffset, LE).convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = h.and(0x7fff);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7c00);
        IntVector bits = finite.blend(shifted.or(0x7f800000), special);
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    static FloatVector q8(byte[] a, int offset) {
        return (FloatVector) ByteVector.fromArray(B, a, offset).convertShape(VectorOperators.B2F, F, 0);
    }

    /** {@link #WIDE} signed bytes widened to 16-bit lanes. */
    static ShortVector q8Wide(byte[] a, int offset) {
        return (ShortVector) ByteVector.fromArray(QB, a, offset).convertShape(VectorOperators.B2S, QS, 0);
    }

    /** Sums of adjacent 16-bit lanes as 32-bit lanes: the high half of each int plus its sign-extended low half. */
    static IntVector pairSums(ShortVector v) {
        IntVector bits = v.reinterpretAsInts();
        return bits.lanewise(VectorOperators.ASHR, 16).add(bits.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
    }

    static float bf16Scalar(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
