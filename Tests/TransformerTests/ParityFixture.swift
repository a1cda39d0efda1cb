import Checkpoints
import Foundation
import Tensors
import TestSupport
import Testing
import Transformer

/// The PyTorch + transformers + peft reference in `../shared/reference/parity` (see its README
/// for how each file was made and the tolerances used here).
enum ParityFixture {
    static func url(_ name: String) -> URL { Fixtures.shared("reference/parity/\(name)") }

    static func file(_ name: String) throws -> SafetensorsFile {
        try SafetensorsFile(contentsOf: url(name))
    }

    /// `[B][T]` integer rows of an I64 tensor.
    static func rows(_ file: String, _ name: String) throws -> [[Int]] {
        let f = try self.file(file)
        let shape = try f.info(named: name).shape
        let flat = try f.integerScalars(named: name)
        return (0..<shape[0]).map { Array(flat[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
    }

    static func inputIds() throws -> [[Int]] { try rows("inputs.safetensors", "input_ids") }
    static func labels() throws -> [[Int]] { try rows("inputs.safetensors", "labels") }

    static func baseModel() throws -> DecoderModel {
        try DecoderModel.load(modelFolder: url("base"))
    }

    static func tiedModel() throws -> DecoderModel {
        try DecoderModel.load(modelFolder: url("tied"))
    }

    static func loraModel() throws -> DecoderModel {
        var model = try baseModel()
        try model.loadAdapter(folder: url("lora_adapter"))
        return model
    }
}

/// `max|got - want| / max|want|` must stay below `relative`, and every element within `absolute`.
func expectGradientClose(
    _ got: Tensor, _ want: Tensor, absolute: Double = 1e-5, relative: Double = 1e-4,
    _ name: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(got.shape == want.shape, "\(name): shape", sourceLocation: sourceLocation)
    expectClose(
        got.scalars, want.scalars, rtol: 0, atol: absolute, "\(name)",
        sourceLocation: sourceLocation)
    let scale = want.scalars.reduce(0) { max($0, abs(Double($1))) }
    var worst = 0.0
    for (a, b) in zip(got.scalars, want.scalars) { worst = max(worst, abs(Double(a) - Double(b))) }
    #expect(
        scale == 0 ? worst == 0 : worst / scale <= relative,
        "\(name): scale-relative error \(worst / max(scale, 1e-30)) exceeds \(relative)",
        sourceLocation: sourceLocation)
}
