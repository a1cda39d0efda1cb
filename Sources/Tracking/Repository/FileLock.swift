import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock(2)`) on a file, held across processes until `unlock()`
/// or until the process dies (the kernel releases it, so a `kill -9` leaves no stale lock).
///
/// The store takes it on `<store>/lock` around every write to the checkpoint repository and the
/// object folder, so concurrent `fmn` processes commit one after another.
final class FileLock {
    private var descriptor: Int32

    /// Blocks until the lock on `url` is held, creating the lock file when missing.
    /// - Throws: `TrackingError.io` when the file cannot be opened or locked.
    init(url: URL) throws {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TrackingError.io(
                path: url.path, operation: "open lock file",
                cause: String(cString: strerror(errno)))
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let cause = String(cString: strerror(errno))
            close(descriptor)
            descriptor = -1
            throw TrackingError.io(path: url.path, operation: "lock", cause: cause)
        }
    }

    /// Whether another process holds the lock on `url` right now (tries and releases at once).
    static func isHeld(url: URL) -> Bool {
        let fd = open(url.path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    /// Releases the lock; idempotent.
    func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}
