import Foundation

/// Writes `report.md` and `report.html` for the CLI (`fmn report`, default folder
/// `Reports/<experiment>/`).
public enum ReportFiles {
    /// Renders both reports and writes them into `directory` (created if missing), each through
    /// a temporary file and an atomic rename, so a failed write leaves the old report intact.
    /// - Returns: The URLs of `report.md` and `report.html`.
    /// - Throws: ``ReportingError/cannotWrite(path:cause:)``.
    @discardableResult
    public static func write(_ input: ReportInput, to directory: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportingError.cannotWrite(path: directory.path, cause: error)
        }
        let files = [
            ("report.md", MarkdownReport(input: input).render()),
            ("report.html", HTMLReport(input: input).render()),
        ]
        var written: [URL] = []
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw ReportingError.cannotWrite(path: url.path, cause: error)
            }
            written.append(url)
        }
        return written
    }
}
