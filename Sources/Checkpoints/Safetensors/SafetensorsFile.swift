import Foundation
import Tensors

/// A read-only, memory-mapped safetensors file whose header has been validated.
///
/// Opening maps the file (`Data(contentsOf:options: .alwaysMapped)`) and validates the whole
/// header (see the rules below) before any tensor is handed out; tensor bytes are read only when a
/// tensor is requested, so opening a multi-gigabyte checkpoint costs a header parse.
///
/// Validation (as the Rust `safetensors` crate): header length at most 100 MB and inside the
/// file; header is a UTF-8 JSON object; every entry has `dtype` (a known type), `shape`
/// (non-negative integers) and `data_offsets` (`[begin, end]`, `begin <= end`); `end - begin`
/// equals `dtype` bits × element count / 8; sorted by offset the tensors tile the data section
/// with no gap, no overlap and nothing after the last tensor; `__metadata__` maps strings to
/// strings. Pickled PyTorch files (`.bin`, `.pt`, `.pth`, `.ckpt`, `.pkl`) are refused without
/// being parsed.
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: url)
/// let wq = try file.tensor(named: "model.layers.0.self_attn.q_proj.weight")  // [out, in]
/// ```
///
/// ### References
/// https://github.com/huggingface/safetensors (format and validation rules).
public struct SafetensorsFile: Sendable {
    /// The file this was read from.
    public let url: URL
    /// `__metadata__` (e.g. `["format": "pt"]`), empty when the file has none.
    public let metadata: [String: String]
    /// Every tensor, keyed by name.
    public let infos: [String: SafetensorsTensorInfo]

    private let bytes: Data
    private let dataStart: Int

    /// Maps and validates the file at `url`.
    /// - Throws: `SafetensorsError.unreadableFile`, `.pickledCheckpoint`, or the header case
    ///   naming the first problem (`.fileTooShort`, `.headerPastEndOfFile`, `.malformedHeader`,
    ///   `.overlappingOffsets`, `.byteCountMismatch`, ...).
    public init(contentsOf url: URL) throws {
        let path = url.path
        if Self.pickleExtensions.contains(url.pathExtension.lowercased()) {
            throw SafetensorsError.pickledCheckpoint(path: path)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SafetensorsError.unreadableFile(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw SafetensorsError.unreadableFile(path: path, reason: "it is a folder")
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SafetensorsError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        try self.init(bytes: bytes, url: url)
    }

    /// Validates a safetensors file already in memory (`url` is used in messages only).
    /// - Throws: as ``init(contentsOf:)``.
    public init(bytes: Data, url: URL) throws {
        let header = try SafetensorsHeader(parsing: bytes, path: url.path)
        self.url = url
        self.bytes = bytes
        self.dataStart = header.dataStart
        self.infos = header.tensors
        self.metadata = header.metadata
    }

    /// File extensions of pickled PyTorch checkpoints, refused by name.
    static let pickleExtensions: Set<String> = ["bin", "pt", "pth", "ckpt", "pkl", "pickle"]

    /// Tensor names, sorted.
    public var tensorNames: [String] { infos.keys.sorted() }

    /// The validated header entry of one tensor.
    /// - Throws: `SafetensorsError.missingTensor`.
    public func info(named name: String) throws -> SafetensorsTensorInfo {
        guard let info = infos[name] else {
            throw SafetensorsError.missingTensor(path: url.path, tensor: name)
        }
        return info
    }

    /// The raw little-endian bytes of one tensor (a slice of the mapping; no copy).
    /// - Throws: `SafetensorsError.missingTensor`.
    public func rawBytes(named name: String) throws -> Data {
        let info = try info(named: name)
        let base = bytes.startIndex + dataStart
        return bytes[(base + info.dataOffsets.lowerBound)..<(base + info.dataOffsets.upperBound)]
    }

    /// Decodes one floating-point tensor to `Float`.
    ///
    /// `F32` is copied as it is, `BF16` widened exactly (upper 16 bits of a binary32), `F16`
    /// widened exactly (IEEE binary16, subnormals/inf/NaN kept). The shape is the stored one,
    /// e.g. `[out, in]` for a Linear weight.
    /// - Returns: The tensor, row-major, with the stored shape.
    /// - Throws: `SafetensorsError.missingTensor`, or `.unsupportedDType` for any other type.
    public func tensor(named name: String) throws -> Tensor {
        let info = try info(named: name)
        let raw = try rawBytes(named: name)
        let count = info.elementCount
        let scalars: [Float]
        switch info.dtype {
        case .f32:
            scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                raw.withUnsafeBytes { source in
                    #if _endian(little)
                        // Same bit layout: one copy from the mapping.
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                    #else
                        for i in 0..<count {
                            let bits = source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                            buffer[i] = Float(bitPattern: UInt32(littleEndian: bits))
                        }
                    #endif
                }
                initialized = count
            }
        case .bf16, .f16:
            let isBF16 = info.dtype == .bf16
            scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                raw.withUnsafeBytes { source in
                    Self.widen(source, count: count, isBF16: isBF16, into: buffer)
                }
                initialized = count
            }
        default:
            throw SafetensorsError.unsupportedDType(
                path: url.path, tensor: name, dtype: info.dtype.rawValue,
                supported: SafetensorsDType.allCases.filter(\.decodesToFloat).map(\.rawValue))
        }
        return Tensor(shape: info.shape, scalars: scalars)
    }

    /// Widens `count` little-endian 16-bit floats to `Float`.
    private static func widen(
        _ source: UnsafeRawBufferPointer, count: Int, isBF16: Bool,
        into buffer: UnsafeMutableBufferPointer<Float>
    ) {
        let aligned = Int(bitPattern: source.baseAddress) % MemoryLayout<UInt16>.alignment == 0
        #if _endian(little)
            if aligned, count > 0 {
                let halves = UnsafeBufferPointer(
                    start: source.baseAddress!.assumingMemoryBound(to: UInt16.self), count: count)
                if isBF16 {
                    for i in 0..<count { buffer[i] = HalfPrecision.float(fromBF16: halves[i]) }
                } else {
                    for i in 0..<count { buffer[i] = HalfPrecision.float(fromF16: halves[i]) }
                }
                return
            }
        #endif
        for i in 0..<count {
            let bits = UInt16(
                littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            buffer[i] =
                isBF16 ? HalfPrecision.float(fromBF16: bits) : HalfPrecision.float(fromF16: bits)
        }
    }

    /// Decodes every tensor to `Float`.
    /// - Throws: as ``tensor(named:)``, for the first tensor (by name) that fails.
    public func tensors() throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in tensorNames { result[name] = try tensor(named: name) }
        return result
    }

    /// Decodes one integer (or `BOOL`) tensor, e.g. token ids stored as `I64`, in row-major order;
    /// the shape is `info(named:).shape`.
    /// - Throws: `SafetensorsError.missingTensor`, or `.unsupportedDType` for floating-point and
    ///   `U64` tensors.
    public func integerScalars(named name: String) throws -> [Int] {
        let info = try info(named: name)
        let raw = try rawBytes(named: name)
        let count = info.elementCount
        let dtype = info.dtype
        guard dtype.decodesToInteger else {
            throw SafetensorsError.unsupportedDType(
                path: url.path, tensor: name, dtype: dtype.rawValue,
                supported: SafetensorsDType.allCases.filter(\.decodesToInteger).map(\.rawValue))
        }
        return raw.withUnsafeBytes { source in
            (0..<count).map { i -> Int in
                switch dtype {
                case .bool, .u8: return Int(source.load(fromByteOffset: i, as: UInt8.self))
                case .i8: return Int(source.load(fromByteOffset: i, as: Int8.self))
                case .i16:
                    return Int(
                        Int16(
                            littleEndian: source.loadUnaligned(
                                fromByteOffset: 2 * i, as: Int16.self)))
                case .u16:
                    return Int(
                        UInt16(
                            littleEndian: source.loadUnaligned(
                                fromByteOffset: 2 * i, as: UInt16.self)))
                case .i32:
                    return Int(
                        Int32(
                            littleEndian: source.loadUnaligned(
                                fromByteOffset: 4 * i, as: Int32.self)))
                case .u32:
                    return Int(
                        UInt32(
                            littleEndian: source.loadUnaligned(
                                fromByteOffset: 4 * i, as: UInt32.self)))
                default:
                    return Int(
                        Int64(
                            littleEndian: source.loadUnaligned(
                                fromByteOffset: 8 * i, as: Int64.self)))
                }
            }
        }
    }
}
