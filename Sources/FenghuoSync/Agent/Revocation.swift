import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import Foundation
import GRDB

/// Central's word that this console, or its user, was revoked (`fenghuo central revoke`),
/// kept in the data folder as `revoked.json`. While it is there the agent does not start: a
/// revoked console must never sync again by being restarted, and it holds nothing worth
/// starting for, since its replica, queued commands and token were wiped when the word came.
public struct RevocationMark: Codable, Sendable, Equatable {
    /// Seconds since 1970, when this agent heard it.
    public let revokedAt: Double
    public let username: String
    public let clientID: String
    /// Central's message (which says whether the user or the console was revoked).
    public let reason: String
    /// What was deleted, as the log line says it.
    public var wiped: String

    public init(revokedAt: Date, username: String, clientID: String, reason: String, wiped: String = "") {
        self.revokedAt = revokedAt.timeIntervalSince1970
        self.username = username
        self.clientID = clientID
        self.reason = reason
        self.wiped = wiped
    }

    public static func load(_ paths: AgentPaths) -> RevocationMark? {
        guard let data = FileManager.default.contents(atPath: paths.revocationMark) else { return nil }
        // A mark that cannot be read still marks the folder: refusing is the safe reading.
        return (try? JSONDecoder().decode(RevocationMark.self, from: data))
            ?? RevocationMark(revokedAt: .distantPast, username: "?", clientID: "?", reason: "\(paths.revocationMark) is unreadable")
    }

    /// Written, flushed and renamed into place before anything is deleted: a crash part-way
    /// through the wipe leaves a marked folder, and the next start finishes the wipe.
    func save(_ paths: AgentPaths) throws {
        let data = try JSONEncoder().encode(self)
        try PrivateFile.replace(paths.revocationMark, with: data)
    }

    /// One sentence for `status` and the log.
    public var summary: String {
        "revoked by central: \(reason); local data wiped (\(wiped.isEmpty ? "nothing was left" : wiped)); this agent syncs no more"
    }
}

/// Why an agent does not start on a folder, or does not take a command: central revoked it.
/// The text says what happened and what to do.
public struct AgentRevoked: Error, CustomStringConvertible, Sendable {
    public let mark: RevocationMark
    public let directory: String

    /// As the socket answers a submit: refused before it is queued, with the reason.
    public var rejection: CommandRejection {
        CommandRejection(.other(code: ErrorCode.revoked.rawValue, message: "not queued: \(mark.summary)"))
    }

    public var description: String {
        let when = mark.revokedAt > 0 ? " at \(Agent.clock(Date(timeIntervalSince1970: mark.revokedAt)))" : ""
        return """
            this console (client \(mark.clientID), user \(mark.username)) was revoked by central\(when): \(mark.reason). \
            Its replica, queued commands and token were wiped, and it syncs no more from \(directory). \
            To use it again, an administrator lets the user back on central (`fenghuo central user \(mark.username) --reinstate --data CENTRAL_DIR`; \
            a console revoked by its client id stays revoked), then start the agent with a new --data folder, or delete \
            \(AgentPaths(directory: directory).revocationMark) to sync this folder again from scratch.
            """
    }
}

extension AgentPaths {
    /// Present once central has revoked this console (`RevocationMark`).
    public var revocationMark: String { (directory as NSString).appendingPathComponent("revoked.json") }
}

/// Deletes what a revoked console must not keep. The replica is the user's slice of the city;
/// the queued commands hold callers' names and phones and can never be delivered from here;
/// the token would let the files' next reader act as the user.
enum RevocationWipe {
    /// Removes the replica's files (its WAL and a copy moved aside included), the queue and
    /// the kept outcomes, and the token; answers what it removed, for the log.
    static func run(_ paths: AgentPaths, outbox: Outbox?) -> String {
        var wiped: [String] = []
        var replicaFiles: [String] = []
        for base in [paths.replica, ReplicaStore.asidePath(paths.replica)] {
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: base + suffix) {
                if (try? FileManager.default.removeItem(atPath: base + suffix)) != nil {
                    replicaFiles.append(((base + suffix) as NSString).lastPathComponent)
                }
            }
        }
        if !replicaFiles.isEmpty { wiped.append(replicaFiles.joined(separator: ", ")) }
        if let outbox {
            do {
                let (commands, outcomes) = try outbox.discardQueue()
                if commands > 0 || outcomes > 0 {
                    wiped.append("\(commands) queued command\(commands == 1 ? "" : "s") and \(outcomes) kept outcome\(outcomes == 1 ? "" : "s") from outbox.sqlite")
                }
            } catch {
                wiped.append("NOT the queued commands (\(error): delete \(paths.outbox) by hand)")
            }
        }
        for path in [paths.token, paths.token + ".tmp"] where FileManager.default.fileExists(atPath: path) {
            if (try? FileManager.default.removeItem(atPath: path)) != nil { wiped.append((path as NSString).lastPathComponent) }
        }
        return wiped.joined(separator: "; ")
    }

    /// What a restart on a marked folder does before it refuses: finishes a wipe a crash cut
    /// short (nothing is left after a whole one), then throws `AgentRevoked`.
    static func refuseStart(_ paths: AgentPaths) throws {
        guard let mark = RevocationMark.load(paths) else { return }
        let outbox = FileManager.default.fileExists(atPath: paths.outbox) ? try? Outbox(path: paths.outbox) : nil
        _ = run(paths, outbox: outbox)
        try? outbox?.writer.close()
        throw AgentRevoked(mark: mark, directory: paths.directory)
    }
}

extension Agent {
    /// Refuses to start on a folder central revoked (`revoked.json`), finishing its wipe
    /// first; the CLI calls it before it asks for a password.
    public static func refuseIfRevoked(_ paths: AgentPaths) throws {
        try RevocationWipe.refuseStart(paths)
    }
}

extension Outbox {
    /// Deletes every queued command and kept outcome, overwriting their bytes (`secure_delete`)
    /// and rebuilding the file, so the callers' names and phones are not left in free pages or
    /// the WAL. The client id and the last mutation id stay: ids never repeat.
    func discardQueue() throws -> (commands: Int, outcomes: Int) {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            var counts = (commands: 0, outcomes: 0)
            try db.inTransaction {
                counts = (try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0,
                          try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox_outcome") ?? 0)
                try db.execute(sql: "DELETE FROM outbox")
                try db.execute(sql: "DELETE FROM outbox_outcome")
                return .commit
            }
            try db.execute(sql: "VACUUM")
            try db.checkpoint(.truncate)
            return counts
        }
    }
}
