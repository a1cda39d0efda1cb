import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Tracker {
    /// Checks that the database and the repository agree, and with `repair` fixes what can be
    /// fixed without losing anything:
    ///
    /// | finding | repair |
    /// | --- | --- |
    /// | `fmn.sqlite` fails `PRAGMA quick_check` | none (restore a backup) |
    /// | a ForgetMeNot commit without `checkpoint` row | the row, from `fmn.json` and the commit |
    /// | a `checkpoint` row without commit | none (restore the repository) |
    /// | a run or fine-tune `running` whose process (same host) is gone | set `abandoned` |
    /// | a pointer file whose object is missing or of the wrong size | none (restore `objects/`) |
    /// | `objects/incoming-*`, a large-file copy cut short by a crash | remove it |
    /// | a `*.lock` file in the repository, no `fmn` writing | none (remove it by hand) |
    ///
    /// Runs under the store lock, so a commit in progress in another process is not mistaken
    /// for a dangling one. Rows `running` on another host are reported as in progress.
    ///
    /// - Parameter repair: Apply the repairs (default); `false` only reports.
    /// - Returns: The findings, each marked repaired or not.
    /// - Throws: `TrackingError` when the store cannot be read at all.
    public func fsck(repair: Bool = true) throws -> FsckReport {
        let lock = try FileLock(url: layout.lock)
        defer { lock.unlock() }
        var problems: [FsckReport.Problem] = []
        var inProgress: [String] = []

        let check = try experiments.quickCheck()
        if check != ["ok"] {
            problems.append(
                .init(
                    kind: .databaseDamaged, subject: experiments.path.path,
                    detail: check.prefix(5).joined(separator: "; ")
                        + ". Restore fmn.sqlite from a backup.",
                    repaired: false))
        }

        let commits = try checkpoints.allCommits()
        let rows = try experiments.checkpoints()
        let recorded = Set(rows.map(\.commitId))
        for commit in commits where !recorded.contains(commit.id) {
            guard commit.manifest != nil else {
                problems.append(
                    .init(
                        kind: .foreignCommit, subject: commit.id,
                        detail: "commit '\(commit.summary)' has no fmn.json; it was not made by "
                            + "fmn. Leave it, or remove its branch with git.",
                        repaired: false))
                continue
            }
            var repaired = false
            if repair {
                let record = try checkpointRecord(
                    commitId: commit.id, lineage: commit.branches.first, stage: commit.tags.first)
                try experiments.recordCheckpoint(record)
                repaired = true
            }
            problems.append(
                .init(
                    kind: .commitWithoutRow, subject: commit.id,
                    detail: "commit '\(commit.summary)' has no checkpoint row (a crash between "
                        + "commit and record)"
                        + (repair ? "; recorded it" : "; run fmn fsck to record it"),
                    repaired: repaired))
        }
        let committed = Set(commits.map(\.id))
        for row in rows where !committed.contains(row.commitId) {
            problems.append(
                .init(
                    kind: .rowWithoutCommit, subject: row.commitId,
                    detail: "checkpoint '\(row.name)' is recorded but its commit is not in "
                        + "\(layout.repository.path). Restore the repository from a backup.",
                    repaired: false))
        }

        let host = ExperimentStore.owner.host
        var deadRuns: [Int64] = []
        for run in try experiments.probeRuns(status: .running) {
            if run.ownerHost == host && !Self.isAlive(pid: run.ownerPid) {
                deadRuns.append(run.id)
            } else {
                inProgress.append("probe run \(run.id) (pid \(run.ownerPid) on \(run.ownerHost))")
            }
        }
        var deadFineTunes: [Int64] = []
        for fineTune in try experiments.fineTunes(status: .running) {
            if fineTune.ownerHost == host && !Self.isAlive(pid: fineTune.ownerPid) {
                deadFineTunes.append(fineTune.id)
            } else {
                inProgress.append(
                    "fine-tune \(fineTune.id) (pid \(fineTune.ownerPid) on \(fineTune.ownerHost))")
            }
        }
        if repair && !(deadRuns.isEmpty && deadFineTunes.isEmpty) {
            _ = try experiments.markAbandoned(probeRunIds: deadRuns, fineTuneIds: deadFineTunes)
        }
        let suffix = repair ? "; marked abandoned" : "; run fmn fsck to mark it abandoned"
        for id in deadRuns {
            problems.append(
                .init(
                    kind: .probeRunLeftRunning, subject: "probeRun \(id)",
                    detail: "left running by a process that is gone" + suffix, repaired: repair))
        }
        for id in deadFineTunes {
            problems.append(
                .init(
                    kind: .fineTuneLeftRunning, subject: "fineTune \(id)",
                    detail: "left running by a process that is gone" + suffix, repaired: repair))
        }

        var checkedObjects = Set<String>()
        for commit in commits where commit.manifest != nil {
            for (file, pointer) in try checkpoints.pointerFiles(in: commit.id)
            where checkedObjects.insert(pointer.sha256).inserted {
                let object = layout.object(sha256: pointer.sha256)
                let size =
                    ((try? FileManager.default.attributesOfItem(atPath: object.path))?[.size]
                    as? NSNumber)?.int64Value
                guard size != pointer.size else { continue }
                problems.append(
                    .init(
                        kind: .missingObject, subject: object.path,
                        detail: size == nil
                            ? "missing (\(file) of \(commit.id.prefix(8))); restore objects/ from a backup"
                            : "\(size ?? 0) bytes, expected \(pointer.size) (\(file) of "
                                + "\(commit.id.prefix(8))); restore it from a backup",
                        repaired: false))
            }
        }
        let incoming =
            (try? FileManager.default.contentsOfDirectory(atPath: layout.objects.path))?
            .filter { $0.hasPrefix("incoming-") }.sorted() ?? []
        for name in incoming {
            let url = layout.objects.appendingPathComponent(name)
            var repaired = false
            if repair {
                repaired = (try? FileManager.default.removeItem(at: url)) != nil
            }
            problems.append(
                .init(
                    kind: .partialObject, subject: url.path,
                    detail: "partial copy of a large file left by a crash"
                        + (repaired ? "; removed" : "; run fmn fsck to remove it"),
                    repaired: repaired))
        }

        for lockFile in staleLockFiles() {
            problems.append(
                .init(
                    kind: .staleLock, subject: lockFile.path,
                    detail: "lock file left in the checkpoint repository. If no git process is "
                        + "running, remove it by hand.",
                    repaired: false))
        }

        return FsckReport(
            problems: problems, inProgress: inProgress, commitCount: commits.count,
            rowCounts: try experiments.rowCounts())
    }

    /// `*.lock` files under `checkpoints/` (index, HEAD, config, packed-refs, refs).
    private func staleLockFiles() -> [URL] {
        let root = layout.repository
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var found: [URL] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasPrefix("objects") {
                enumerator.skipDescendants()
                continue
            }
            if relative.hasSuffix(".lock") { found.append(root.appendingPathComponent(relative)) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Whether a process with this id exists on this host (`kill(pid, 0)`).
    static func isAlive(pid: Int) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid_t(pid), 0) == 0 { return true }
        return errno == EPERM
    }
}
