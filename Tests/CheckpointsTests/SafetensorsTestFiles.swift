import Foundation

/// Builds raw safetensors bytes by hand, so tests can forge headers that no library would write.
enum SafetensorsTestFiles {
    /// `8-byte length + header + data`, the header written exactly as given (no padding).
    static func bytes(header: String, data: [UInt8]) -> Data {
        let headerBytes = Array(header.utf8)
        var out = Data()
        var length = UInt64(headerBytes.count).littleEndian
        out.append(Data(bytes: &length, count: 8))
        out.append(contentsOf: headerBytes)
        out.append(contentsOf: data)
        return out
    }

    /// Little-endian bytes of 16-bit patterns.
    static func littleEndian(_ values: [UInt16]) -> [UInt8] {
        values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// Little-endian bytes of `Float`s.
    static func littleEndian(_ values: [Float]) -> [UInt8] {
        values.flatMap { value -> [UInt8] in
            let bits = value.bitPattern
            return [0, 8, 16, 24].map { UInt8((bits >> UInt32($0)) & 0xFF) }
        }
    }

    /// Writes `data` to a fresh temporary file named `name`.
    static func write(_ data: Data, name: String = "model.safetensors") throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("fmn-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }
}
