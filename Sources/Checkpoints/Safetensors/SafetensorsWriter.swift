import Foundation
import Tensors

/// Writes `Float` tensors as a safetensors file, byte for byte as the Rust `safetensors` library
/// (and so `safetensors.torch.save_file`) lays it out.
///
/// Layout: tensors ordered by element size (largest first) and then by name, which for one
/// dtype is name order; header `{"__metadata__":{...},"name":{"dtype":..,"shape":[..],
/// "data_offsets":[b,e]},...}` in compact JSON, padded with spaces to a multiple of 8 bytes so the
/// data section is 8-byte aligned; data little-endian, contiguous. The same tensors and metadata
/// always give the same bytes.
///
/// Files are written to a temporary sibling and renamed into place, so a crash or error never
/// leaves a half-written checkpoint at the destination.
///
/// ### References
/// `safetensors::tensor::serialize` (Rust): ordering, 8-byte header padding; `save_file` writes
/// `{"format": "pt"}` metadata, which transformers requires of `model.safetensors`.
public enum SafetensorsWriter {
    /// The metadata transformers expects (`load_state_dict` refuses files without a format).
    public static let pytorchMetadata: [String: String] = ["format": "pt"]

    /// Encodes `tensors` into the bytes of a safetensors file (for small files and tests; use
    /// ``write(_:to:dtype:metadata:)`` for checkpoints).
    /// - Parameters:
    ///   - tensors: by name; names must be non-empty and not `__metadata__`.
    ///   - dtype: storage type for every tensor: `.f32` (exact), `.bf16` or `.f16` (rounded to
    ///     nearest even).
    ///   - metadata: stored as `__metadata__` (omitted when empty).
    /// - Throws: `SafetensorsError.invalidTensorName`.
    /// - Precondition: `dtype` is one of ``SafetensorsDType/writable``.
    public static func encode(
        _ tensors: [String: Tensor], dtype: SafetensorsDType = .f32,
        metadata: [String: String] = pytorchMetadata
    ) throws -> Data {
        let layout = try Layout(
            tensors: tensors, dtype: dtype, metadata: metadata, path: "<memory>")
        var data = layout.prefix
        for name in layout.order { data.append(encodeScalars(tensors[name]!.scalars, as: dtype)) }
        return data
    }

    /// Writes `tensors` to `url` atomically (temporary sibling, then rename), streaming one
    /// tensor at a time.
    /// - Parameters: as ``encode(_:dtype:metadata:)``.
    /// - Throws: `SafetensorsError.invalidTensorName` or `.writeFailed`.
    /// - Precondition: `dtype` is one of ``SafetensorsDType/writable``.
    public static func write(
        _ tensors: [String: Tensor], to url: URL, dtype: SafetensorsDType = .f32,
        metadata: [String: String] = pytorchMetadata
    ) throws {
        let layout = try Layout(tensors: tensors, dtype: dtype, metadata: metadata, path: url.path)
        try AtomicWrite.file(at: url) { handle in
            try handle.write(contentsOf: layout.prefix)
            for name in layout.order {
                let scalars = tensors[name]!.scalars
                #if _endian(little)
                    if dtype == .f32 {
                        // Same bit layout: write straight from the tensor's storage.
                        try scalars.withUnsafeBytes { try handle.write(contentsOf: $0) }
                        continue
                    }
                #endif
                try handle.write(contentsOf: encodeScalars(scalars, as: dtype))
            }
        }
    }

    /// Header-length prefix, padded header, and the tensor order.
    struct Layout {
        var prefix: Data
        var order: [String]

        init(
            tensors: [String: Tensor], dtype: SafetensorsDType, metadata: [String: String],
            path: String
        ) throws {
            precondition(
                SafetensorsDType.writable.contains(dtype),
                "SafetensorsWriter: cannot store Float tensors as \(dtype.rawValue)")
            for name in tensors.keys where name.isEmpty || name == "__metadata__" {
                throw SafetensorsError.invalidTensorName(path: path, tensor: name)
            }
            order = tensors.keys.sorted()
            var members: [(String, JSONValue)] = []
            if !metadata.isEmpty {
                members.append(
                    (
                        "__metadata__",
                        .object(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) })
                    ))
            }
            var offset = 0
            let elementBytes = dtype.bitSize / 8
            for name in order {
                let tensor = tensors[name]!
                let end = offset + tensor.count * elementBytes
                members.append(
                    (
                        name,
                        .object([
                            ("dtype", .string(dtype.rawValue)),
                            ("shape", .array(tensor.shape.map { .int($0) })),
                            ("data_offsets", .array([.int(offset), .int(end)])),
                        ])
                    ))
                offset = end
            }
            var header = Data(JSONValue.object(members).compactText.utf8)
            let padding = (8 - header.count % 8) % 8
            header.append(contentsOf: [UInt8](repeating: 0x20, count: padding))
            var length = UInt64(header.count).littleEndian
            prefix = Data(bytes: &length, count: 8)
            prefix.append(header)
        }
    }

    /// Little-endian bytes of `scalars` stored as `dtype`.
    static func encodeScalars(_ scalars: [Float], as dtype: SafetensorsDType) -> Data {
        switch dtype {
        case .f32:
            #if _endian(little)
                return scalars.withUnsafeBytes { Data($0) }
            #else
                var data = Data(count: scalars.count * 4)
                data.withUnsafeMutableBytes { out in
                    for (i, value) in scalars.enumerated() {
                        out.storeBytes(
                            of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                    }
                }
                return data
            #endif
        case .bf16, .f16:
            var data = Data(count: scalars.count * 2)
            let isBF16 = dtype == .bf16
            data.withUnsafeMutableBytes { out in
                for (i, value) in scalars.enumerated() {
                    let bits =
                        isBF16
                        ? HalfPrecision.bf16Bits(from: value) : HalfPrecision.f16Bits(from: value)
                    out.storeBytes(of: bits.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            }
            return data
        default:
            preconditionFailure(
                "SafetensorsWriter: cannot store Float tensors as \(dtype.rawValue)")
        }
    }
}
