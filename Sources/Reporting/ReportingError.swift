import Foundation

/// Why a report could not be written.
public enum ReportingError: Error, CustomStringConvertible {
    /// The output folder could not be created or a report file could not be written.
    case cannotWrite(path: String, cause: any Error)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let cause):
            return "cannot write report file \(path): \(cause.localizedDescription); "
                + "check that the folder is writable or pass another --out"
        }
    }
}
