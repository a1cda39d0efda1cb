import Foundation
import Tensors
import TestSupport
import Testing

@testable import Checkpoints

@Suite struct SafetensorsWriterTests {
    @Test func reencodingTheParityModelGivesTheSameBytesAsPythonSafetensors() throws {
        // base/model.safetensors was written by safetensors.torch.save_file (via transformers):
        // our writer must reproduce it byte for byte (order, header JSON, padding, data).
        let url = Fixtures.shared("reference/parity/base/model.safetensors")
        let original = try Data(contentsOf: url)
        let tensors = try SafetensorsFile(contentsOf: url).tensors()
        #expect(try SafetensorsWriter.encode(tensors) == original)
    }

    @Test func headerIsPaddedToEightBytesWithSpaces() throws {
        let data = try SafetensorsWriter.encode(["w": Tensor(shape: [1], scalars: [1])])
        let length = data.prefix(8).enumerated().reduce(0) {
            $0 | Int($1.element) << (8 * $1.offset)
        }
        #expect(length % 8 == 0)
        let header = String(decoding: data[8..<(8 + length)], as: UTF8.self)
        // 85 bytes of JSON + 3 spaces = 88.
        #expect(
            header
                == #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}   "#
        )
    }

    @Test func f32RoundTripIsExact() throws {
        let tensors: [String: Tensor] = [
            "b.weight": Tensor(
                shape: [2, 3],
                scalars: [0, -0.0, 1.5, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -7]),
            "a.bias": Tensor(shape: [3], scalars: [.infinity, -1e-30, 3]),
            "scalar": Tensor(shape: [], scalars: [42]),
        ]
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try SafetensorsWriter.write(tensors, to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.tensorNames == ["a.bias", "b.weight", "scalar"])
        #expect(file.metadata == ["format": "pt"])
        for (name, tensor) in tensors {
            let read = try file.tensor(named: name)
            #expect(read.shape == tensor.shape)
            #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
        // Same input, same bytes.
        #expect(try Data(contentsOf: url) == SafetensorsWriter.encode(tensors))
    }

    @Test func bf16RoundsToNearestEven() throws {
        // Float bits → bfloat16 (keep the top 16 bits, round on the lower 16):
        //   1/3   = 0x3EAAAAAB: lower 0xAAAB > 0x8000 → up   → 0x3EAB = 0.333984375
        //   pi    = 0x40490FDB: lower 0x0FDB < 0x8000 → down → 0x4049 = 3.140625
        //   1.00390625 = 0x3F808000: tie, 0x3F80 even → 0x3F80 = 1.0
        //   1.01171875 = 0x3F818000: tie, 0x3F81 odd  → 0x3F82 = 1.015625
        //   -0.1  = 0xBDCCCCCD: lower 0xCCCD > 0x8000 → up   → 0xBDCD = -0.10009765625
        let input: [Float] = [1.0 / 3.0, .pi, 1.00390625, 1.01171875, -0.1]
        #expect(
            input.map(HalfPrecision.bf16Bits(from:)) == [0x3EAB, 0x4049, 0x3F80, 0x3F82, 0xBDCD])
        let data = try SafetensorsWriter.encode(
            ["x": Tensor(shape: [5], scalars: input)], dtype: .bf16)
        let file = try SafetensorsFile(bytes: data, url: URL(fileURLWithPath: "/bf16.safetensors"))
        #expect(try file.info(named: "x").dtype == .bf16)
        #expect(
            try file.tensor(named: "x").scalars == [
                0.333984375, 3.140625, 1.0, 1.015625, -0.10009765625,
            ])
        #expect(HalfPrecision.bf16Bits(from: .nan) == 0x7FC0)
    }

    @Test func f16RoundsToNearestEven() throws {
        // Checked with NumPy (np.float32(v).astype(np.float16).view(np.uint16)):
        //   1/3 → 0x3555; 65504 → 0x7BFF (largest finite); 65519 → 0x7BFF (below the midpoint);
        //   65520 → 0x7C00 (the midpoint to 65536 rounds to even = infinity);
        //   1e-8 → 0 (under half of 2^-24); 2^-25 → 0 (tie, even); 3 × 2^-26 → 0x0001 (2^-24);
        //   -0.1 → 0xAE66.
        let input: [Float] = [1.0 / 3.0, 65504, 65519, 65520, 1e-8, 0x1p-25, 3 * 0x1p-26, -0.1]
        #expect(
            input.map(HalfPrecision.f16Bits(from:)) == [
                0x3555, 0x7BFF, 0x7BFF, 0x7C00, 0, 0, 0x0001, 0xAE66,
            ])
        #expect(HalfPrecision.f16Bits(from: -.infinity) == 0xFC00)
        #expect(HalfPrecision.float(fromF16: HalfPrecision.f16Bits(from: .nan)).isNaN)
        // Every finite binary16 value survives decode → encode unchanged.
        for bits in UInt16(0)...UInt16.max where (bits & 0x7C00) != 0x7C00 {
            #expect(HalfPrecision.f16Bits(from: HalfPrecision.float(fromF16: bits)) == bits)
        }
    }

    @Test func writingReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("w.safetensors")
        try SafetensorsWriter.write(["a": Tensor(shape: [2], scalars: [1, 2])], to: url)
        try SafetensorsWriter.write(["b": Tensor(shape: [1], scalars: [3])], to: url)
        #expect(try SafetensorsFile(contentsOf: url).tensorNames == ["b"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.safetensors"])
        // A rejected name throws before anything is written.
        #expect(throws: SafetensorsError.self) {
            try SafetensorsWriter.write(["__metadata__": Tensor(shape: [1], scalars: [0])], to: url)
        }
        #expect(try SafetensorsFile(contentsOf: url).tensorNames == ["b"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.safetensors"])
    }
}
