import Foundation

/// The parsed and validated header of a safetensors file.
///
/// Layout: 8 bytes little-endian `UInt64` `N`; `N` bytes of UTF-8 JSON (an object, possibly
/// padded with trailing spaces); then the data section. Each JSON key other than `__metadata__`
/// names a tensor `{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}` with offsets
/// relative to the data section. `__metadata__`, when present, maps strings to strings.
///
/// Validation follows the Rust `safetensors` crate (`Metadata::validate`): the header length is
/// at most 100,000,000 bytes and inside the file; the JSON starts with `{`; sorted by offset,
/// the tensors tile the data section exactly (no gap, no overlap, nothing left over); and each
/// tensor spans `dtype bits × elements / 8` bytes.
///
/// ### References
/// https://github.com/huggingface/safetensors (README "Format", `safetensors/src/tensor.rs`).
struct SafetensorsHeader: Sendable {
    /// Largest header the Rust library accepts (`MAX_HEADER_SIZE`).
    static let maximumByteCount = 100_000_000

    /// Tensors by name.
    var tensors: [String: SafetensorsTensorInfo]
    /// `__metadata__`, empty when absent.
    var metadata: [String: String]
    /// Offset of the data section from the start of the file (`8 + N`).
    var dataStart: Int

    /// Parses and validates the header at the start of `bytes` (the whole file).
    /// - Parameter path: used in error messages only.
    /// - Throws: the `SafetensorsError` case naming the first problem found.
    init(parsing bytes: Data, path: String) throws {
        let fileByteCount = bytes.count
        guard fileByteCount >= 8 else {
            throw SafetensorsError.fileTooShort(path: path, byteCount: fileByteCount)
        }
        let start = bytes.startIndex
        var headerLength: UInt64 = 0
        for i in 0..<8 {
            headerLength |= UInt64(bytes[start + i]) << (8 * UInt64(i))
        }
        guard headerLength <= UInt64(Self.maximumByteCount) else {
            if SafetensorsHeader.looksPickled(bytes) {
                throw SafetensorsError.pickledCheckpoint(path: path)
            }
            throw SafetensorsError.headerTooLarge(
                path: path, headerByteCount: headerLength, limit: Self.maximumByteCount)
        }
        guard 8 + Int(headerLength) <= fileByteCount else {
            if SafetensorsHeader.looksPickled(bytes) {
                throw SafetensorsError.pickledCheckpoint(path: path)
            }
            throw SafetensorsError.headerPastEndOfFile(
                path: path, headerByteCount: headerLength, fileByteCount: fileByteCount)
        }
        let dataStart = 8 + Int(headerLength)
        let headerBytes = bytes[(start + 8)..<(start + dataStart)]
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw SafetensorsError.malformedHeader(
                path: path, reason: "it does not start with '{'")
        }
        guard String(data: headerBytes, encoding: .utf8) != nil else {
            throw SafetensorsError.malformedHeader(path: path, reason: "not valid UTF-8")
        }
        if let offset = Self.trailingCommaOffset(headerBytes) {
            throw SafetensorsError.malformedHeader(
                path: path, reason: "trailing comma at header byte \(offset)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(headerBytes), options: [])
        } catch {
            throw SafetensorsError.malformedHeader(
                path: path, reason: "JSON parse error: \(error.localizedDescription)")
        }
        guard let entries = object as? [String: Any] else {
            throw SafetensorsError.malformedHeader(
                path: path, reason: "the top level is not an object")
        }

        var metadata: [String: String] = [:]
        var tensors: [String: SafetensorsTensorInfo] = [:]
        let dataByteCount = fileByteCount - dataStart
        for name in entries.keys.sorted() {
            let value = entries[name]!
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw SafetensorsError.malformedMetadata(path: path, reason: "not an object")
                }
                for (key, item) in map {
                    guard let string = item as? String else {
                        throw SafetensorsError.malformedMetadata(
                            path: path, reason: "the value of \"\(key)\" is not a string")
                    }
                    metadata[key] = string
                }
                continue
            }
            tensors[name] = try Self.tensorInfo(name: name, value: value, path: path)
        }

        // Sorted by offset, tensors must tile [0, dataByteCount) exactly; the first tensor to cross
        // the end of a truncated file is the one reported.
        let ordered = tensors.values.sorted {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
                < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        var expectedBegin = 0
        var previous: SafetensorsTensorInfo?
        for info in ordered {
            let begin = info.dataOffsets.lowerBound
            if begin < expectedBegin, let previous {
                throw SafetensorsError.overlappingOffsets(
                    path: path, tensor: info.name, otherTensor: previous.name, begin: begin,
                    otherEnd: expectedBegin)
            }
            if begin > expectedBegin {
                throw SafetensorsError.gapInData(
                    path: path, tensor: info.name, expectedBegin: expectedBegin, begin: begin)
            }
            guard info.dataOffsets.upperBound <= dataByteCount else {
                throw SafetensorsError.offsetsOutsideData(
                    path: path, tensor: info.name, begin: begin,
                    end: info.dataOffsets.upperBound, dataByteCount: dataByteCount)
            }
            expectedBegin = info.dataOffsets.upperBound
            previous = info
        }
        guard expectedBegin == dataByteCount else {
            throw SafetensorsError.trailingData(
                path: path, coveredByteCount: expectedBegin, dataByteCount: dataByteCount)
        }
        self.tensors = tensors
        self.metadata = metadata
        self.dataStart = dataStart
    }

    /// Validates one tensor entry (types, non-negative extents, byte count) without looking at
    /// the other entries.
    private static func tensorInfo(name: String, value: Any, path: String) throws
        -> SafetensorsTensorInfo
    {
        func fail(_ reason: String) -> SafetensorsError {
            .malformedTensorEntry(path: path, tensor: name, reason: reason)
        }
        guard let entry = value as? [String: Any] else { throw fail("the entry is not an object") }
        guard let dtypeValue = entry["dtype"] else { throw fail("\"dtype\" is missing") }
        guard let dtypeName = dtypeValue as? String else { throw fail("\"dtype\" is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard let shapeValue = entry["shape"] else { throw fail("\"shape\" is missing") }
        guard let shapeItems = shapeValue as? [Any] else { throw fail("\"shape\" is not an array") }
        var shape: [Int] = []
        for item in shapeItems {
            guard let extent = exactInteger(item), extent >= 0 else {
                throw fail(
                    "\"shape\" \(shapeItems) holds something other than a non-negative integer")
            }
            shape.append(extent)
        }
        guard let offsetsValue = entry["data_offsets"] else {
            throw fail("\"data_offsets\" is missing")
        }
        guard let offsetItems = offsetsValue as? [Any], offsetItems.count == 2,
            let begin = exactInteger(offsetItems[0]), let end = exactInteger(offsetItems[1]),
            begin >= 0, end >= 0
        else {
            throw fail("\"data_offsets\" is not a pair of non-negative integers")
        }
        guard begin <= end else {
            throw SafetensorsError.offsetsOutsideData(
                path: path, tensor: name, begin: begin, end: end, dataByteCount: 0)
        }
        var elements = 1
        for extent in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fail("the element count of shape \(shape) overflows") }
            elements = product
        }
        let (bits, overflow) = elements.multipliedReportingOverflow(by: dtype.bitSize)
        guard !overflow else { throw fail("the byte count of shape \(shape) overflows") }
        guard bits % 8 == 0, bits / 8 == end - begin else {
            throw SafetensorsError.byteCountMismatch(
                path: path, tensor: name, dtype: dtype.rawValue, shape: shape,
                expected: (bits + 7) / 8, actual: end - begin)
        }
        return SafetensorsTensorInfo(
            name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// An integral JSON number as `Int`; `nil` for booleans, fractions, strings and overflow.
    /// (Foundation hands every JSON number and boolean back as `NSNumber`; its `objCType` tells
    /// `true` (`c`) and `2.0` (`d`) apart from an integer.)
    static func exactInteger(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let kind = String(cString: number.objCType)
        guard kind != "c", kind != "d", kind != "f" else { return nil }
        return value as? Int
    }

    /// The offset of a `,` followed (after whitespace) by `}` or `]` outside strings: JSON forbids
    /// it and the Rust library rejects it, but Foundation's parser lets it through.
    static func trailingCommaOffset(_ bytes: Data) -> Int? {
        var inString = false
        var escaped = false
        var pendingComma: Int?
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                pendingComma = nil
            case UInt8(ascii: ","):
                pendingComma = offset
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let pendingComma { return pendingComma }
            case 0x20, 0x09, 0x0A, 0x0D:
                break
            default:
                pendingComma = nil
            }
        }
        return nil
    }

    /// Whether the bytes begin like a PyTorch pickle (protocol 2-5) or a `torch.save` zip.
    static func looksPickled(_ bytes: Data) -> Bool {
        guard bytes.count >= 4 else { return false }
        let b = Array(bytes.prefix(4))
        if b[0] == 0x80 && (2...5).contains(b[1]) { return true }
        return b[0] == 0x50 && b[1] == 0x4B && b[2] == 0x03 && b[3] == 0x04
    }
}
