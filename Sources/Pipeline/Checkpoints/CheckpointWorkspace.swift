import Foundation
import Tracking

/// Where a stored checkpoint can be read as files: a model folder, plus an adapter folder for a
/// LoRA checkpoint (whose model folder is then its parent's).
public struct CheckpointLocation: Sendable, Equatable {
    /// The Hugging Face model folder to load.
    public var modelFolder: URL
    /// The PEFT adapter folder to apply on top, for LoRA checkpoints.
    public var adapterFolder: URL?
}

/// Checks stored checkpoints out into `<store>/cache/<commit id>/`, once, for probing and as
/// parents of fine-tunes.
///
/// The repository's `checkout` writes to a temporary folder and renames it, so a cached folder is
/// either complete or absent; a cache folder may be deleted at any time and is made again.
public struct CheckpointWorkspace {
    public let tracker: Tracker

    public init(tracker: Tracker) {
        self.tracker = tracker
    }

    /// The cache folder of one commit.
    public func folder(for commitId: String) -> URL {
        tracker.layout.root.appendingPathComponent("cache").appendingPathComponent(commitId)
    }

    /// Checks a commit out into the cache unless it is already there.
    /// - Returns: The folder holding the checkpoint's files (with `fmn.json`).
    /// - Throws: `TrackingError` from the checkout.
    public func checkout(_ commitId: String) throws -> URL {
        let folder = folder(for: commitId)
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("fmn.json").path) {
            return folder
        }
        try? FileManager.default.removeItem(at: folder)  // an empty or foreign leftover
        try tracker.checkpoints.checkout(commitId, to: folder)
        return folder
    }

    /// The files to load for a checkpoint: its own folder for a base or full checkpoint; for a
    /// LoRA checkpoint, its parent's model folder plus its own folder as the adapter.
    /// - Throws: `PipelineError.unusableCheckpoint` when a LoRA checkpoint has no parent, or its
    ///   parent is itself an adapter (stacked adapters are not supported); `TrackingError`.
    public func location(of commitId: String) throws -> CheckpointLocation {
        let info = try tracker.checkpoints.commitInfo(commitId)
        let folder = try checkout(commitId)
        guard info.manifest?.kind == .lora else {
            return CheckpointLocation(modelFolder: folder, adapterFolder: nil)
        }
        guard let parent = info.manifest?.parent else {
            throw PipelineError.unusableCheckpoint(
                commitId: commitId, reason: "a LoRA checkpoint without a parent model in fmn.json")
        }
        let parentInfo = try tracker.checkpoints.commitInfo(parent)
        guard parentInfo.manifest?.kind != .lora else {
            throw PipelineError.unusableCheckpoint(
                commitId: commitId,
                reason: "its parent \(parent.prefix(12)) is a LoRA adapter too; stacked adapters"
                    + " are not supported (merge the parent first)")
        }
        return CheckpointLocation(modelFolder: try checkout(parent), adapterFolder: folder)
    }
}
