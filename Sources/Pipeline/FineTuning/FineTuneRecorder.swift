import Crypto
import Foundation
import Tracking
import Training

/// Records a fine-tune made outside an experiment (`fmn train --store`): the parent model folder
/// is committed (or found) as a `base` checkpoint, the fine-tune is recorded as `running` before
/// training, and the result is committed and the fine-tune marked `finished` only once the output
/// folder is complete. A failed run is marked `failed`; nothing else is written.
public struct FineTuneRecorder {
    public let tracker: Tracker
    public let parentCommitId: String
    public let fineTuneId: Int64
    let configuration: JSONValue
    let toolVersion: String
    let started = Date()

    /// Commits the parent model and begins the fine-tune row.
    /// - Throws: `TrackingError`.
    public init(
        tracker: Tracker, modelFolder: URL, configuration: TrainingConfiguration,
        toolVersion: String
    ) throws {
        self.tracker = tracker
        self.toolVersion = toolVersion
        self.parentCommitId = try ProbeRunRecorder.commit(
            folder: modelFolder, lineagePrefix: "models",
            manifest: CheckpointManifest(
                kind: .base, parent: nil, method: "pretrained", toolVersion: toolVersion),
            tracker: tracker)
        self.configuration = try ExperimentRunner.jsonValue(configuration)
        self.fineTuneId = try tracker.experiments.beginFineTune(
            FineTuneRecord(
                parentCommitId: parentCommitId, method: configuration.method.rawValue,
                configuration: self.configuration, toolVersion: toolVersion))
    }

    /// Commits the finished output folder on `finetunes/<folder name>` and marks the fine-tune
    /// finished with its training steps.
    /// - Returns: The result's commit id.
    /// - Throws: `TrackingError`; the fine-tune stays `running` (fsck marks it) if the commit fails.
    public func finish(
        output: URL, method: TrainingConfiguration.Method, dataFile: URL,
        steps: [Training.TrainingStepRecord]
    ) throws -> String {
        try tracker.experiments.recordTrainingSteps(
            fineTuneId: fineTuneId,
            steps: steps.map {
                Tracking.TrainingStepRecord(
                    step: $0.step, loss: $0.loss, learningRate: $0.learningRate,
                    tokensPerSecond: $0.tokensPerSecond)
            })
        let manifest = CheckpointManifest(
            kind: method == .lora ? .lora : .full, parent: parentCommitId,
            method: method.rawValue, trainingConfiguration: configuration,
            dataFileHashes: [dataFile.lastPathComponent: try ExperimentRunner.sha256(of: dataFile)],
            toolVersion: toolVersion)
        var lastError: Error?
        let name = output.standardizedFileURL.lastPathComponent
        for attempt in 1...50 {
            let lineage = "finetunes/\(name)" + (attempt == 1 ? "" : "-\(attempt)")
            do {
                return try tracker.finishFineTune(
                    id: fineTuneId, folder: output, manifest: manifest, lineage: lineage,
                    stage: nil, seconds: Date().timeIntervalSince(started)
                ).commitId
            } catch let error as TrackingError {
                guard case .invalidRecord = error else { throw error }
                lastError = error
            }
        }
        throw lastError!
    }

    /// Marks the fine-tune failed (after a training error).
    public func fail() {
        try? tracker.experiments.failFineTune(id: fineTuneId)
    }
}
