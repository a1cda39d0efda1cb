/// The element types a safetensors header may name in `"dtype"`, spelled exactly as the format
/// spells them.
///
/// Every type is recognised so that byte counts can be validated; only ``f32``, ``f16`` and
/// ``bf16`` decode to `Float` (``SafetensorsFile/tensor(named:)``), and the integer types decode
/// through ``SafetensorsFile/integerScalars(named:)``.
///
/// ### References
/// The `Dtype` enum of the Rust `safetensors` crate (0.4 to 0.7), including the sub-byte float
/// formats (`F4`, `F6_*`), whose sizes are given in bits.
public enum SafetensorsDType: String, CaseIterable, Sendable, Codable {
    case bool = "BOOL"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"
    case c64 = "C64"

    /// Size of one element in bits (4 for `F4`, 6 for `F6_*`, otherwise a multiple of 8).
    public var bitSize: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .f64, .i64, .u64, .c64: return 64
        }
    }

    /// Whether ``SafetensorsFile/tensor(named:)`` decodes this type to `Float`.
    public var decodesToFloat: Bool { self == .f32 || self == .f16 || self == .bf16 }

    /// Whether ``SafetensorsFile/integerScalars(named:)`` decodes this type to `Int`.
    public var decodesToInteger: Bool {
        switch self {
        case .bool, .u8, .i8, .i16, .u16, .i32, .u32, .i64: return true
        default: return false
        }
    }

    /// The element types ``SafetensorsWriter`` can store `Float` tensors as.
    public static let writable: [SafetensorsDType] = [.f32, .f16, .bf16]
}
