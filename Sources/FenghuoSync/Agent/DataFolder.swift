import FenghuoProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The agent's data folder holds the user's slice of the city, the token and the queue: only
/// its owner may read it. The folder is 0700 and every file in it 0600, also when an older
/// agent made them with looser modes.
public enum DataFolder {
    /// Why the folder cannot serve an agent.
    public enum Problem: Error, CustomStringConvertible {
        case notWritable(path: String, reason: String)

        public var description: String {
            switch self {
            case .notWritable(let path, let reason):
                "cannot write \(path): \(reason); give the agent a folder it may write (--data DIR)"
            }
        }
    }

    /// Creates the folder (0700) or tightens it, checks that files can be made in it, and sets
    /// the files already there to 0600.
    public static func prepare(_ paths: AgentPaths) throws {
        let directory = paths.directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Problem.notWritable(path: directory, reason: reason(of: error))
        }
        // A real write, not access(2): root passes a mode check on a read-only file system.
        let probe = (directory as NSString).appendingPathComponent(".write-check-\(getpid())")
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw Problem.notWritable(path: directory, reason: String(cString: strerror(errno))) }
        close(fd)
        unlink(probe)
        tighten(paths)
    }

    /// Sets the folder to 0700 and each regular file in it to 0600 (the SQLite files and their
    /// WAL, the token, the lock, logs, a replica moved aside).
    public static func tighten(_ paths: AgentPaths) {
        let directory = paths.directory
        chmod(directory, 0o700)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFSOCK,
                  info.st_mode & 0o7777 != 0o600 else { continue }
            chmod(path, 0o600)
        }
    }

    private static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
