import Foundation
import TestSupport
import Testing

@testable import Tracking

@Suite struct CheckpointRepositoryTests {
    @Test func adapterRoundTripIsByteIdentical() throws {
        let tracker = try TrackingFixtures.store()
        let model = try TrackingFixtures.modelFolder()
        let adapter = try TrackingFixtures.adapterFolder()
        let (base, _) = try tracker.commit(
            folder: model, manifest: TrackingFixtures.baseManifest(), lineage: "main", stage: "base"
        )
        let manifest = TrackingFixtures.loraManifest(parent: base.commitId)
        let (lora, outcome) = try tracker.commit(
            folder: adapter, manifest: manifest, lineage: "chats", stage: "sft-1")
        #expect(!outcome.reused)
        #expect(outcome.pointerFiles.isEmpty)
        #expect(lora.kind == .lora && lora.parentCommitId == base.commitId && lora.name == "sft-1")

        let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let written = try tracker.checkpoints.checkout(lora.commitId, to: out)
        #expect(written == ["adapter_config.json", "adapter_model.safetensors", "fmn.json"])
        var expected = try TrackingFixtures.contents(of: adapter)
        expected["fmn.json"] = try manifest.encoded()
        #expect(try TrackingFixtures.contents(of: out) == expected)
        let info = try tracker.checkpoints.commitInfo(lora.commitId)
        #expect(info.manifest == manifest)
        #expect(info.parentIds == [base.commitId])
        #expect(info.tags == ["sft-1"] && info.branches == ["chats"])
    }

    @Test func modelFolderWithLargeFileKeepsPointerAndVerifiesSHA256() throws {
        let tracker = try TrackingFixtures.store(largeFileThreshold: 3_000)
        let model = try TrackingFixtures.modelFolder(weightBytes: 5_000)
        let (base, outcome) = try tracker.commit(
            folder: model, manifest: TrackingFixtures.baseManifest(), lineage: "main", stage: "base"
        )
        #expect(outcome.pointerFiles == ["model.safetensors"])

        // The object is stored under objects/ by its SHA-256, and the commit holds a pointer.
        let (sha256, size) = try FileHashing.sha256(
            of: model.appendingPathComponent("model.safetensors"))
        let object = tracker.layout.object(sha256: sha256)
        #expect(
            try Data(contentsOf: object)
                == Data(contentsOf: model.appendingPathComponent("model.safetensors")))
        #expect(size == 5_000)
        let pointer = LFSPointer(sha256: sha256, size: 5_000)
        #expect(
            pointer.text
                == "version https://git-lfs.github.com/spec/v1\noid sha256:\(sha256)\nsize 5000\n")

        let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        try tracker.checkpoints.checkout(base.commitId, to: out)
        var expected = try TrackingFixtures.contents(of: model)
        expected["fmn.json"] = try TrackingFixtures.baseManifest().encoded()
        #expect(try TrackingFixtures.contents(of: out) == expected)
    }

    @Test func damagedLargeObjectFailsChecksumAndWritesNothing() throws {
        let tracker = try TrackingFixtures.store(largeFileThreshold: 3_000)
        let model = try TrackingFixtures.modelFolder(weightBytes: 5_000)
        let (base, _) = try tracker.commit(
            folder: model, manifest: TrackingFixtures.baseManifest(), lineage: "main")
        let (sha256, _) = try FileHashing.sha256(
            of: model.appendingPathComponent("model.safetensors"))
        let object = tracker.layout.object(sha256: sha256)
        var damaged = try Data(contentsOf: object)
        damaged[100] ^= 0xFF
        try damaged.write(to: object)
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let error = trackingError { try tracker.checkpoints.checkout(base.commitId, to: out) }
        guard case .checksumMismatch(let path, let expected, _) = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(path == object.path && expected.hasPrefix(sha256))
        #expect(!FileManager.default.fileExists(atPath: out.path))

        try FileManager.default.removeItem(at: object)
        expectTrackingError(.missingObject(path: object.path, oid: sha256)) {
            try tracker.checkpoints.checkout(base.commitId, to: out)
        }
    }

    @Test func identicalTreeIsStoredOnce() throws {
        let tracker = try TrackingFixtures.store()
        let model = try TrackingFixtures.modelFolder()
        let (first, firstOutcome) = try tracker.commit(
            folder: model, manifest: TrackingFixtures.baseManifest(), lineage: "main", stage: "base"
        )
        let copy = try TrackingFixtures.modelFolder()  // same bytes, another folder
        let (second, secondOutcome) = try tracker.commit(
            folder: copy, manifest: TrackingFixtures.baseManifest(), lineage: "other", stage: nil)
        #expect(!firstOutcome.reused && secondOutcome.reused)
        #expect(first.commitId == second.commitId)
        #expect(try tracker.checkpoints.allCommits().count == 1)
        #expect(try tracker.experiments.checkpoints().count == 1)
        // The new lineage still gets its branch, at the existing commit.
        #expect(
            try tracker.checkpoints.branches() == ["main": first.commitId, "other": first.commitId])
    }

    @Test func referencesResolveFromTagBranchIdAndPrefix() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        let (lora, _) = try tracker.commit(
            folder: try TrackingFixtures.adapterFolder(),
            manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "chats",
            stage: "sft-1")
        #expect(try tracker.resolve("base") == base.commitId)
        #expect(try tracker.resolve("sft-1") == lora.commitId)
        #expect(try tracker.resolve("main") == base.commitId)
        #expect(try tracker.resolve("chats") == lora.commitId)
        #expect(try tracker.resolve(lora.commitId) == lora.commitId)
        #expect(try tracker.resolve(lora.commitId.uppercased()) == lora.commitId)
        #expect(try tracker.resolve(String(lora.commitId.prefix(7))) == lora.commitId)
        let path = tracker.layout.repository.path
        expectTrackingError(.unknownReference(ref: "nope", repository: path)) {
            _ = try tracker.resolve("nope")
        }
        expectTrackingError(.unknownReference(ref: "ab", repository: path)) {
            _ = try tracker.resolve("ab")  // too short to be a prefix
        }
    }

    @Test func historyAndAncestryFollowParents() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        let (first, _) = try tracker.commit(
            folder: try TrackingFixtures.adapterFolder(seed: 10),
            manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "main",
            stage: "one")
        let (second, _) = try tracker.commit(
            folder: try TrackingFixtures.adapterFolder(seed: 11),
            manifest: TrackingFixtures.loraManifest(parent: first.commitId), lineage: "main",
            stage: "two")
        let repository = tracker.checkpoints
        #expect(
            try repository.history(of: second.commitId).map(\.id) == [
                second.commitId, first.commitId, base.commitId,
            ])
        #expect(try repository.isAncestor(base.commitId, of: second.commitId))
        #expect(try !repository.isAncestor(second.commitId, of: base.commitId))
        #expect(
            try repository.allCommits().map(\.id) == [
                base.commitId, first.commitId, second.commitId,
            ])
        #expect(
            try tracker.experiments.lineage(of: second.commitId).map(\.commitId) == [
                base.commitId, first.commitId, second.commitId,
            ])
    }

    @Test func lineageMustEndAtTheParent() throws {
        let tracker = try TrackingFixtures.store()
        let (base, _) = try tracker.commit(
            folder: try TrackingFixtures.modelFolder(), manifest: TrackingFixtures.baseManifest(),
            lineage: "main", stage: "base")
        try tracker.commit(
            folder: try TrackingFixtures.adapterFolder(seed: 3),
            manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "chats")
        let error = trackingError {
            try tracker.commit(
                folder: try TrackingFixtures.adapterFolder(seed: 4),
                manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "chats")
        }
        guard case .invalidRecord(_, let reason) = error else {
            Issue.record("expected invalidRecord, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("lineage 'chats'"))
        // A stage tag names one commit only.
        let tagError = trackingError {
            try tracker.commit(
                folder: try TrackingFixtures.adapterFolder(seed: 5),
                manifest: TrackingFixtures.loraManifest(parent: base.commitId), lineage: "other",
                stage: "base")
        }
        guard case .invalidRecord(_, let tagReason) = tagError else {
            Issue.record("expected invalidRecord, got \(String(describing: tagError))")
            return
        }
        #expect(tagReason.contains("stage tag 'base'"))
        #expect(try tracker.checkpoints.allCommits().count == 2)
    }

    @Test func badFoldersAndOutputsAreRefused() throws {
        let tracker = try TrackingFixtures.store()
        let model = try TrackingFixtures.modelFolder()
        expectTrackingError(
            .notACheckpointFolder(
                path: model.path, reason: "a lora checkpoint needs adapter_config.json")
        ) {
            try tracker.commit(
                folder: model,
                manifest: TrackingFixtures.loraManifest(parent: String(repeating: "0", count: 40)),
                lineage: "x")
        }
        let (base, _) = try tracker.commit(
            folder: model, manifest: TrackingFixtures.baseManifest(), lineage: "main")
        let out = try Fixtures.temporaryDirectory()
        try Data("keep me".utf8).write(to: out.appendingPathComponent("mine.txt"))
        expectTrackingError(.outputNotEmpty(path: out.path)) {
            try tracker.checkpoints.checkout(base.commitId, to: out)
        }
        #expect(
            try String(contentsOf: out.appendingPathComponent("mine.txt"), encoding: .utf8)
                == "keep me")
    }

    @Test func heldIndexLockIsReportedAndKept() throws {
        let tracker = try TrackingFixtures.store()
        let lock = tracker.layout.repository.appendingPathComponent("index.lock")
        try Data().write(to: lock)
        expectTrackingError(.repositoryLocked(path: lock.path)) {
            try tracker.commit(
                folder: try TrackingFixtures.modelFolder(),
                manifest: TrackingFixtures.baseManifest(),
                lineage: "main")
        }
        #expect(FileManager.default.fileExists(atPath: lock.path))
        #expect(try tracker.checkpoints.allCommits().isEmpty)
        #expect(TrackingError.repositoryLocked(path: lock.path).description.contains("index.lock"))
    }

    @Test func missingOrDamagedRepositoryIsReported() throws {
        let tracker = try TrackingFixtures.store()
        let root = tracker.layout.root
        let repository = tracker.layout.repository
        let aside = root.appendingPathComponent("checkpoints-aside")
        try FileManager.default.moveItem(at: repository, to: aside)
        expectTrackingError(.repositoryMissing(path: repository.path)) {
            _ = try Tracker.open(at: root)
        }
        // A folder that is not a repository.
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        try Data("junk".utf8).write(to: repository.appendingPathComponent("HEAD"))
        let error = trackingError { _ = try Tracker.open(at: root) }
        guard case .repositoryDamaged(let path, _) = error else {
            Issue.record("expected repositoryDamaged, got \(String(describing: error))")
            return
        }
        #expect(path == repository.path)
        #expect(
            try String(contentsOf: repository.appendingPathComponent("HEAD"), encoding: .utf8)
                == "junk")
    }
}

@Suite struct CheckpointRepositoryInputTests {
    @Test func folderClonedWithoutLFSIsRefused() throws {
        let tracker = try TrackingFixtures.store()
        let model = try TrackingFixtures.modelFolder()
        let pointer = LFSPointer(sha256: String(repeating: "c", count: 64), size: 500_000_000)
        try Data(pointer.text.utf8).write(to: model.appendingPathComponent("model.safetensors"))
        expectTrackingError(
            .notACheckpointFolder(
                path: model.path,
                reason: "model.safetensors is a Git LFS pointer, not the file itself; run "
                    + "`git lfs pull` in the folder it was cloned to")
        ) {
            try tracker.commit(
                folder: model, manifest: TrackingFixtures.baseManifest(), lineage: "main")
        }
        #expect(try tracker.checkpoints.allCommits().isEmpty)
    }
}
