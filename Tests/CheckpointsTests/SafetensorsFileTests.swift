import Foundation
import Tensors
import TestSupport
import Testing

@testable import Checkpoints

@Suite struct SafetensorsFileTests {
    // MARK: real files

    @Test func readsTheParityBaseModel() throws {
        let file = try SafetensorsFile(
            contentsOf: Fixtures.shared("reference/parity/base/model.safetensors"))
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensorNames.count == 21)
        #expect(file.tensorNames.first == "lm_head.weight")
        #expect(try file.info(named: "model.layers.0.self_attn.k_proj.weight").shape == [32, 64])
        #expect(try file.info(named: "model.layers.0.mlp.down_proj.weight").shape == [64, 172])
        let wq = try file.tensor(named: "model.layers.0.self_attn.q_proj.weight")
        #expect(wq.shape == [64, 64])
        // First three and last value, read with NumPy (np.frombuffer(..., '<f4')).
        expectClose(
            Array(wq.scalars.prefix(3)),
            [-0.025942957028746605, -0.09634341299533844, 0.1129976361989975], rtol: 0, atol: 0)
        expectClose(wq.scalars.last!, -0.12559741735458374, rtol: 0, atol: 0)
        let norm = try file.tensor(named: "model.norm.weight")
        expectClose(
            Array(norm.scalars.prefix(2)), [1.1282660961151123, 0.9819705486297607], rtol: 0,
            atol: 0)
    }

    @Test func readsTheStories260KModel() throws {
        let file = try SafetensorsFile(
            contentsOf: Fixtures.shared("data/models/stories260K-hf/model.safetensors"))
        // 1 embedding + 5 layers × 9 + final norm; tied, so no lm_head.
        #expect(file.tensorNames.count == 47)
        #expect(!file.tensorNames.contains("lm_head.weight"))
        let embedding = try file.tensor(named: "model.embed_tokens.weight")
        #expect(embedding.shape == [512, 64])
        expectClose(
            Array(embedding.scalars.prefix(2)), [-0.29474878311157227, 0.5618956089019775],
            rtol: 0, atol: 0)
        // Sum in float64 with NumPy: -752.3677446640068.
        expectClose(
            embedding.scalars.reduce(0.0) { $0 + Double($1) }, -752.3677446640068, rtol: 1e-12)
    }

    @Test func readsInt64TokenIds() throws {
        let file = try SafetensorsFile(
            contentsOf: Fixtures.shared("reference/parity/inputs.safetensors"))
        #expect(
            try file.integerScalars(named: "gen_prompt_ids") == [
                143, 66, 180, 28, 23, 143, 143, 27,
            ])
        #expect(try file.info(named: "input_ids").shape == [2, 32])
        #expect(throws: SafetensorsError.self) { try file.tensor(named: "input_ids") }
    }

    // MARK: half precision

    @Test func decodesF16() throws {
        // Patterns and values (NumPy: np.uint16(...).view(np.float16)):
        // 0x3C00 = 1.0; 0xC000 = -2.0; 0x3555 = 1 + 0x155/1024 times 2^-2 = 0.333251953125;
        // 0x7BFF = (2 - 2^-10) × 2^15 = 65504 (largest finite); 0x0001 = 2^-24 (smallest
        // subnormal); 0x0400 = 2^-14 (smallest normal); 0x03FF = 1023 × 2^-24; ±inf; -0.0.
        let patterns: [UInt16] = [
            0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001, 0x0400, 0x03FF, 0x7C00, 0xFC00, 0x8000,
        ]
        let expected: [Float] = [
            1.0, -2.0, 0.333251953125, 65504.0, 5.960464477539063e-08, 6.103515625e-05,
            6.097555160522461e-05, .infinity, -.infinity, -0.0,
        ]
        let data = SafetensorsTestFiles.bytes(
            header: #"{"h":{"dtype":"F16","shape":[2,5],"data_offsets":[0,20]}}"#,
            data: SafetensorsTestFiles.littleEndian(patterns))
        let tensor = try SafetensorsFile(bytes: data, url: URL(fileURLWithPath: "/f16.safetensors"))
            .tensor(named: "h")
        #expect(tensor.shape == [2, 5])
        #expect(tensor.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test func decodesF16NaN() {
        #expect(HalfPrecision.float(fromF16: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromBF16: 0x7FC0).isNaN)
    }

    @Test func decodesBF16() throws {
        // bfloat16 is the top half of a binary32 (struct.unpack('<f', struct.pack('<I', b << 16))):
        // 0x3F80 = 1.0; 0xC040 = -3.0; 0x3EAB = 0x3EAB0000 = 0.333984375; 0x4049 = 3.140625;
        // 0x7F7F = 3.3895313892515355e38 (largest finite); 0x0001 = 2^-133 (subnormal); inf.
        let patterns: [UInt16] = [0x3F80, 0xC040, 0x3EAB, 0x4049, 0x7F7F, 0x0001, 0x7F80]
        let expected: [Float] = [
            1.0, -3.0, 0.333984375, 3.140625, 3.3895313892515355e38,
            Float(bitPattern: 0x0001_0000) /* 2^-133 = 9.183549615799121e-41 */, .infinity,
        ]
        let data = SafetensorsTestFiles.bytes(
            header: #"{"b":{"dtype":"BF16","shape":[7],"data_offsets":[0,14]}}   "#,
            data: SafetensorsTestFiles.littleEndian(patterns))
        let tensor = try SafetensorsFile(
            bytes: data, url: URL(fileURLWithPath: "/bf16.safetensors")
        )
        .tensor(named: "b")
        #expect(tensor.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test func otherDTypesAreReportedAsUnsupported() throws {
        let data = SafetensorsTestFiles.bytes(
            header: #"{"d":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#,
            data: [UInt8](repeating: 0, count: 8))
        let file = try SafetensorsFile(bytes: data, url: URL(fileURLWithPath: "/f64.safetensors"))
        #expect(
            throws: SafetensorsError.unsupportedDType(
                path: "/f64.safetensors", tensor: "d", dtype: "F64",
                supported: ["F16", "BF16", "F32"])
        ) {
            try file.tensor(named: "d")
        }
        do {
            _ = try file.tensor(named: "d")
        } catch {
            #expect("\(error)".contains("'d'") && "\(error)".contains("F64"))
        }
    }

    @Test func scalarsAndEmptyTensorsAreValid() throws {
        // A shape-[] scalar (4 bytes) and a [0, 3] tensor (0 bytes) at the same offset as it.
        let data = SafetensorsTestFiles.bytes(
            header:
                #"{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}"#,
            data: SafetensorsTestFiles.littleEndian([Float(2.5)]))
        let file = try SafetensorsFile(bytes: data, url: URL(fileURLWithPath: "/s.safetensors"))
        #expect(try file.tensor(named: "s") == Tensor(shape: [], scalars: [2.5]))
        #expect(try file.tensor(named: "e") == Tensor(shape: [0, 3], scalars: []))
    }

    // MARK: bad files

    /// Opens forged bytes written to disk, returning the error thrown.
    private func openError(_ data: Data, name: String = "model.safetensors") throws
        -> SafetensorsError?
    {
        let url = try SafetensorsTestFiles.write(data, name: name)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        do {
            _ = try SafetensorsFile(contentsOf: url)
            return nil
        } catch let error as SafetensorsError {
            #expect(error.description.contains(url.path), "message names the file: \(error)")
            return error
        }
    }

    private let goodHeader =
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
    private let goodData = SafetensorsTestFiles.littleEndian([Float(1), 2, 3])

    @Test func acceptsTheGoodForgedFile() throws {
        #expect(
            try openError(SafetensorsTestFiles.bytes(header: goodHeader, data: goodData)) == nil)
    }

    @Test func truncatedFile() throws {
        let whole = SafetensorsTestFiles.bytes(header: goodHeader, data: goodData)
        guard
            case .offsetsOutsideData(_, let tensor, 8, 12, 10) = try openError(
                whole.prefix(whole.count - 2))
        else {
            Issue.record("expected offsetsOutsideData for tensor b")
            return
        }
        #expect(tensor == "b")
        // An empty file, and one cut inside the 8-byte length prefix.
        guard case .fileTooShort(_, 0) = try openError(Data()) else {
            Issue.record("expected fileTooShort for an empty file")
            return
        }
        guard case .fileTooShort(_, 5) = try openError(whole.prefix(5)) else {
            Issue.record("expected fileTooShort")
            return
        }
    }

    @Test func truncatedRealCheckpointNamesTheTensor() throws {
        let whole = try Data(contentsOf: Fixtures.shared("reference/parity/base/model.safetensors"))
        let error = try openError(whole.prefix(whole.count - 1000))
        // Tensors are stored in name order; the cut falls inside the second-to-last,
        // layer 1's v_proj (8192 bytes), followed by model.norm.weight (256 bytes).
        guard case .offsetsOutsideData(_, "model.layers.1.self_attn.v_proj.weight", _, _, _) = error
        else {
            Issue.record(
                "expected offsetsOutsideData for the last tensor, got \(String(describing: error))")
            return
        }
        #expect(error!.description.contains("truncated"))
    }

    @Test func headerLengthPastEndOfFile() throws {
        var data = SafetensorsTestFiles.bytes(header: goodHeader, data: goodData)
        data.replaceSubrange(0..<8, with: [0x00, 0x10, 0, 0, 0, 0, 0, 0])  // 4096
        guard case .headerPastEndOfFile(_, 4096, let size) = try openError(data) else {
            Issue.record("expected headerPastEndOfFile")
            return
        }
        #expect(size == data.count)
        data.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        guard case .headerTooLarge = try openError(data) else {
            Issue.record("expected headerTooLarge")
            return
        }
    }

    @Test(arguments: [
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#,  // unterminated
        #"["a"]"#,  // not an object
        #"nonsense"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]} x}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},}"#,  // trailing comma
        #"{"a":{"dtype":"F32","shape":[2,],"data_offsets":[0,8]}}"#,
    ])
    func malformedJSON(header: String) throws {
        let error = try openError(
            SafetensorsTestFiles.bytes(header: header, data: [UInt8](repeating: 0, count: 8)))
        guard case .malformedHeader = error else {
            Issue.record("expected malformedHeader, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: [
        (#"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, "\"dtype\" is missing"),
        (#"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, "\"shape\" is missing"),
        (#"{"a":{"dtype":"F32","shape":[2]}}"#, "\"data_offsets\" is missing"),
        (#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "non-negative"),
        (#"{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, "non-negative"),
        (#"{"a":{"dtype":"F32","shape":[true,2],"data_offsets":[0,8]}}"#, "non-negative"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, "pair"),
        (#"{"a":{"dtype":7,"shape":[2],"data_offsets":[0,8]}}"#, "not a string"),
        (#"{"a":[1,2]}"#, "not an object"),
    ])
    func incompleteEntries(header: String, reason: String) throws {
        let error = try openError(
            SafetensorsTestFiles.bytes(header: header, data: [UInt8](repeating: 0, count: 8)))
        guard case .malformedTensorEntry(_, "a", let actual) = error else {
            Issue.record("expected malformedTensorEntry, got \(String(describing: error))")
            return
        }
        #expect(actual.contains(reason))
    }

    @Test func commasInsideStringsAreNotTrailingCommas() throws {
        let header =
            #"{"__metadata__":{"note":"a,} b,]"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(
            try openError(
                SafetensorsTestFiles.bytes(header: header, data: [UInt8](repeating: 0, count: 8)))
                == nil)
    }

    @Test func unknownDType() throws {
        let error = try openError(
            SafetensorsTestFiles.bytes(
                header: #"{"a":{"dtype":"float32","shape":[2],"data_offsets":[0,8]}}"#,
                data: [UInt8](repeating: 0, count: 8)))
        #expect(error == .unknownDType(path: error.map(path) ?? "", tensor: "a", dtype: "float32"))
    }

    @Test func overlappingOffsets() throws {
        let header =
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let error = try openError(SafetensorsTestFiles.bytes(header: header, data: goodData))
        #expect(
            error
                == .overlappingOffsets(
                    path: error.map(path) ?? "", tensor: "b", otherTensor: "a", begin: 4,
                    otherEnd: 8))
    }

    @Test func offsetsOutOfOrderOrOutside() throws {
        let reversed =
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        guard
            case .offsetsOutsideData(_, "a", 8, 0, _) = try openError(
                SafetensorsTestFiles.bytes(header: reversed, data: goodData))
        else {
            Issue.record("expected offsetsOutsideData for reversed offsets")
            return
        }
        let outside =
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[3],"data_offsets":[8,20]}}"#
        guard
            case .offsetsOutsideData(_, "b", 8, 20, 12) = try openError(
                SafetensorsTestFiles.bytes(header: outside, data: goodData))
        else {
            Issue.record("expected offsetsOutsideData past the end")
            return
        }
        let gap =
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let gapError = try openError(SafetensorsTestFiles.bytes(header: gap, data: goodData))
        #expect(
            gapError
                == .gapInData(
                    path: gapError.map(path) ?? "", tensor: "b", expectedBegin: 4, begin: 8))
        let short = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let trailing = try openError(SafetensorsTestFiles.bytes(header: short, data: goodData))
        #expect(
            trailing
                == .trailingData(
                    path: trailing.map(path) ?? "", coveredByteCount: 8, dataByteCount: 12))
    }

    @Test func dtypeShapeByteCountMismatch() throws {
        // F32 × [3] needs 12 bytes, offsets give 8.
        let header =
            #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let error = try openError(SafetensorsTestFiles.bytes(header: header, data: goodData))
        #expect(
            error
                == .byteCountMismatch(
                    path: error.map(path) ?? "", tensor: "a", dtype: "F32", shape: [3],
                    expected: 12, actual: 8))
        // BF16 × [2, 2] needs 8 bytes, offsets give 12.
        let bf16 = #"{"a":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,12]}}"#
        guard
            case .byteCountMismatch(_, "a", "BF16", [2, 2], 8, 12) = try openError(
                SafetensorsTestFiles.bytes(header: bf16, data: goodData))
        else {
            Issue.record("expected byteCountMismatch for BF16")
            return
        }
    }

    @Test func badMetadata() throws {
        let header =
            #"{"__metadata__":{"format":1},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        guard
            case .malformedMetadata = try openError(
                SafetensorsTestFiles.bytes(header: header, data: [0, 0, 0, 0]))
        else {
            Issue.record("expected malformedMetadata")
            return
        }
    }

    @Test func missingTensor() throws {
        let file = try SafetensorsFile(
            bytes: SafetensorsTestFiles.bytes(header: goodHeader, data: goodData),
            url: URL(fileURLWithPath: "/m.safetensors"))
        #expect(
            throws: SafetensorsError.missingTensor(path: "/m.safetensors", tensor: "lm_head.weight")
        ) {
            try file.tensor(named: "lm_head.weight")
        }
    }

    @Test func pickledFilesAreRefused() throws {
        // Protocol-2 pickle opcode (0x80 0x02), as torch.save wrote before 1.6, with a .bin name.
        let pickle = Data([
            0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19,
        ])
        guard case .pickledCheckpoint = try openError(pickle, name: "pytorch_model.bin") else {
            Issue.record("expected pickledCheckpoint by extension")
            return
        }
        // A torch.save zip renamed to .safetensors is recognised by its magic bytes.
        var zip = Data([0x50, 0x4B, 0x03, 0x04])
        zip.append(Data(repeating: 0, count: 60))
        let error = try openError(zip, name: "model.safetensors")
        #expect(error == .pickledCheckpoint(path: error.map(path) ?? ""))
        #expect(error?.description.contains("safetensors.torch.save_file") == true)
    }

    @Test func missingFileIsUnreadable() {
        #expect(
            throws: SafetensorsError.unreadableFile(
                path: "/nonexistent/model.safetensors", reason: "no such file")
        ) {
            try SafetensorsFile(contentsOf: URL(fileURLWithPath: "/nonexistent/model.safetensors"))
        }
    }
}

/// The path an error case carries (for building the expected value in tests).
func path(_ error: SafetensorsError) -> String {
    let text = error.description
    return String(text.prefix { $0 != ":" })
}
