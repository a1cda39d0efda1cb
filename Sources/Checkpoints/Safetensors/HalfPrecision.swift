/// Bit-exact conversions between `Float` and the two 16-bit float formats of checkpoints.
///
/// - IEEE 754 binary16 (`F16`): 1 sign, 5 exponent (bias 15), 10 mantissa bits; subnormals,
///   infinities and NaN kept.
/// - bfloat16 (`BF16`): the upper 16 bits of a binary32; decoding is exact (a shift).
///
/// Encoding rounds to nearest, ties to even, as PyTorch's `Tensor.to(torch.float16)` and
/// `c10::BFloat16` do; a NaN encodes as the quiet NaN `0x7FC0` in bfloat16 (PyTorch's choice)
/// and keeps its top payload bits in binary16. Written by hand rather than with `Float16`, which
/// is missing on some platforms.
enum HalfPrecision {
    /// Decodes one binary16 value.
    @inline(__always)
    static func float(fromF16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24, exact in binary32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// Decodes one bfloat16 value (exact).
    @inline(__always)
    static func float(fromBF16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Encodes one value as bfloat16, rounding to nearest even.
    @inline(__always)
    static func bf16Bits(from value: Float) -> UInt16 {
        if value.isNaN { return 0x7FC0 }
        let bits = value.bitPattern
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// Encodes one value as binary16, rounding to nearest even; overflow gives ±infinity.
    static func f16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            // Infinity, or NaN with its top payload bits and the quiet bit set.
            if mantissa == 0 { return sign | 0x7C00 }
            return sign | 0x7E00 | UInt16(truncatingIfNeeded: mantissa >> 13)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 31 { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal result: value = m × 2^(exponent - 150) = h × 2^-24.
            if halfExponent < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - halfExponent)
            let half = UInt32(1) << (shift - 1)
            var h = mantissa >> shift
            let remainder = mantissa & ((UInt32(1) << shift) - 1)
            if remainder > half || (remainder == half && (h & 1) == 1) { h += 1 }
            return sign | UInt16(truncatingIfNeeded: h)
        }
        var h = (UInt32(halfExponent) << 10) | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        // A carry out of the mantissa moves into the exponent, up to infinity: still correct.
        if remainder > 0x1000 || (remainder == 0x1000 && (h & 1) == 1) { h += 1 }
        return sign | UInt16(truncatingIfNeeded: h)
    }
}
