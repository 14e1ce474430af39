import ArgumentParser
import FenghuoCentral
import FenghuoSeed
import FenghuoCrypto
import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import FenghuoLaunch
import Foundation
import GRDB
import Hummingbird

struct Central: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The central store: the authority every console syncs with.",
        subcommands: [Init.self, Serve.self, UserCommand.self, Passwd.self, Revoke.self, Compact.self, Restore.self])

    /// The files of a central data folder.
    struct DataFolder {
        let path: String
        var database: String { (path as NSString).appendingPathComponent("central.sqlite") }
        var tokenKey: String { (path as NSString).appendingPathComponent("token.key") }
        /// The high-water mark of the history served (see `HistoryMark`).
        var history: String { (path as NSString).appendingPathComponent("history") }
        /// Held (flock) by the serving process, so `restore` can tell it is running.
        var lock: String { (path as NSString).appendingPathComponent("central.lock") }

        /// The folder 0700 and every file in it 0600: the store holds password hashes and
        /// the key signs every token.
        func secure() {
            chmod(path, 0o700)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                chmod((path as NSString).appendingPathComponent(name), 0o600)
            }
        }

        /// Takes the folder's lock for this process; nil when another process holds it.
        func takeLock() -> Int32? {
            let fd = open(lock, O_CREAT | O_RDWR, 0o600)
            guard fd >= 0 else { return nil }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); return nil }
            return fd
        }

        /// A new central store here, seeded from the fixtures, with a new signing key.
        func create(fixtures: String?, scale: Int, progress: (@Sendable (String) -> Void)? = nil) throws -> (Seeder.Summary, String) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            defer { secure() }
            let set = try SeedRunner.loadFixtures(fixtures)
            try? FileManager.default.removeItem(atPath: history)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            let storage = try SQLiteCentralStorage.open(path: database)
            let summary = try Seeder(fixtures: set).seed(storage.database, now: Date(), scale: scale, progress: progress)
            // The signing key: readable by this user only; a new store gets a new key.
            let key = try TokenSigner.randomKey()
            try? FileManager.default.removeItem(atPath: tokenKey)
            _ = FileManager.default.createFile(atPath: tokenKey, contents: Data(key), attributes: [.posixPermissions: 0o600])
            return (summary, try storage.epoch())
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a central store seeded from the fixtures (replaces an existing one).")

        @Option(name: .long, help: "Folder for central.sqlite and the token signing key.")
        var data: String

        @Option(name: .long, help: "Multiply the generated history by N.")
        var scale: Int = 1

        @Option(name: .long, help: "Fixtures folder (default: ./Fixtures).")
        var fixtures: String?

        func run() throws {
            let folder = DataFolder(path: data)
            let (summary, epoch) = try folder.create(fixtures: fixtures, scale: scale)
            print(SeedRunner.describe(summary, db: folder.database))
            print("epoch \(epoch); token key in \(folder.tokenKey) (mode 0600)")
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the v1 sync protocol over HTTP.")

        @Option(name: .long, help: "Folder made by `fenghuo central init`.")
        var data: String

        @Option(name: .long, help: "Address to listen on, HOST:PORT.")
        var listen: String = "127.0.0.1:8480"

        @Option(name: .long, help: .hidden)
        var exitWithParent: Int32?

        @Option(name: .long, help: "Seconds a connection may take to send a request's head (and may idle between requests).")
        var headerTimeout: Double = 15

        @Option(name: .long, help: "Seconds a request's body may take once its head is in.")
        var bodyTimeout: Double = 30

        /// Seconds a token lasts, for tests of the agent's refresh (default 12 hours).
        @Option(name: .long, help: .hidden)
        var tokenLifetime: Double?

        @Option(name: .long, help: "PEM certificate chain to serve HTTPS with (with --tls-key); needed to listen on anything but loopback.")
        var tlsCert: String?

        @Option(name: .long, help: "PEM private key of --tls-cert, readable by this user only (chmod 600).")
        var tlsKey: String?

        func run() async throws {
            let folder = DataFolder(path: data)
            guard FileManager.default.fileExists(atPath: folder.database),
                  let key = FileManager.default.contents(atPath: folder.tokenKey), key.count >= 32 else {
                throw ValidationError("no central store in \(data); create one with `fenghuo central init --data \(data)`.")
            }
            let parts = listen.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]), (1...65_535).contains(port) else {
                throw ValidationError("--listen '\(listen)' is not HOST:PORT, e.g. 127.0.0.1:8480.")
            }
            let tls = try tlsConfiguration(host: String(parts[0]))
            // Before any logger exists (Hummingbird's is made with the application): every line masked.
            LogOutput.bootstrap()
            guard let lock = folder.takeLock() else {
                throw ValidationError("another central is serving \(data) (it holds \(folder.lock)); stop it first.")
            }
            defer { close(lock) }
            folder.secure()
            let storage = try SQLiteCentralStorage.open(path: folder.database)
            // A store made before dispositions and step times had them empty: fill them from the fixtures.
            let filled = try Seeder.fillEmptyReferenceTables(storage.database) {
                do { return try FixtureSet.load(from: FixtureSet.defaultDirectory()) } catch {
                    throw ValidationError("\(data) was made before dispositions and step time limits, and the fixtures to add them cannot be read: \(error). Run from the repository or set FENGHUO_FIXTURES.")
                }
            }
            if !filled.isEmpty {
                FileHandle.standardError.write(Data("fenghuo central: added the reference tables \(filled.joined(separator: ", ")) from the fixtures (the store predates them).\n".utf8))
            }
            // A store behind the history it once served was put back by hand: begin a new
            // history so no agent keeps a cursor or mutation id the store no longer has.
            if let mark = HistoryMark(file: folder.history), mark.isAhead(ofEpoch: try storage.epoch(), head: try storage.head()) {
                let (old, new) = try storage.beginNewHistory()
                try storage.audit(AuditEntry(at: Date(), actor: .localOperator, action: .restore,
                                             detail: ["found": .text("store behind its history mark"), "epoch": .fields(["from": old, "to": new])]))
                // On standard error, unbuffered: it must reach the log even if central dies next.
                FileHandle.standardError.write(Data("fenghuo central: the store is behind the history it served (epoch \(old) reached \(mark.head), the store holds \(try storage.head())): restored from a backup? New epoch \(new); every console rebuilds its replica and resends its queue.\n".utf8))
            }
            let server = try CentralServer(storage: storage, signer: TokenSigner(key: Array(key)),
                                           tokenLifetime: max(1, tokenLifetime ?? CentralServer.tokenLifetime))
            guard headerTimeout > 0, bodyTimeout > 0 else { throw ValidationError("--header-timeout and --body-timeout must be above 0 seconds.") }
            let http = try CentralServer.http1(headerTimeout: .milliseconds(Int64(headerTimeout * 1000)),
                                               bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)), tls: tls)
            let app = Application(router: server.router(), server: http,
                                  configuration: .init(address: .hostname(String(parts[0]), port: port)))
            // The mark follows the history, written once a second when it moved.
            let markPath = folder.history
            Task.detached {
                var written: HistoryMark?
                while true {
                    if let epoch = try? storage.epoch(), let head = try? storage.head() {
                        let mark = HistoryMark(epoch: epoch, head: head)
                        if mark != written, (try? mark.write(to: markPath)) != nil { written = mark }
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            ParentWatch.start(exitWithParent)
            print("fenghuo central: listening on \(tls == nil ? "http" : "https")://\(listen) (epoch \(try server.storage.epoch()))")
            fflush(nil)  // the line reaches a log file now, not when the buffer fills
            try await app.runService()
        }

        /// TLS from --tls-cert and --tls-key (both or neither); plain HTTP only on loopback,
        /// where no password or token crosses a network.
        private func tlsConfiguration(host: String) throws -> CentralTLS? {
            switch (tlsCert, tlsKey) {
            case (nil, nil):
                guard Loopback.contains(host: host) else {
                    throw ValidationError("""
                        --listen \(listen) is reachable from the network, and without TLS every password and token would cross it \
                        in clear. Give --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS reverse proxy \
                        (docs/SECURITY.md, "Deploying").
                        """)
                }
                return nil
            case (let cert?, let key?):
                do {
                    return try CentralTLS(certificate: cert, key: key)
                } catch {
                    throw ValidationError(error.description)
                }
            default:
                throw ValidationError("--tls-cert and --tls-key go together: give both, or neither to serve plain HTTP on loopback.")
            }
        }
    }

    struct UserCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user",
            abstract: "Show a user, or move them to another role or department.",
            discussion: """
                A change takes effect on the user's next request: their agent sees new scopes and rebuilds its \
                replica, so rows they may no longer read leave it. Safe while central is serving.
                """)

        @Argument(help: "The username.")
        var username: String

        @Option(name: .long, help: "Folder made by `fenghuo central init`.")
        var data: String

        @Option(name: .long, help: "New role: duty, hotline, staff or leader.")
        var role: String?

        @Option(name: .long, help: "New department code (see Fixtures/departments.tsv).")
        var department: String?

        @Flag(name: .long, help: "Lift a lock left by repeated failed logins.")
        var unlock = false

        @Flag(name: .long, help: "Let a revoked user log in again.")
        var reinstate = false

        func run() throws {
            let storage = try SQLiteCentralStorage.open(path: DataFolder(path: data).database)
            let role = try self.role.map { text -> Role in
                guard let r = Role(rawValue: text) else { throw ValidationError("--role '\(text)' is not duty, hotline, staff or leader.") }
                return r
            }
            guard let found = try storage.user(named: username) else {
                throw ValidationError("no user '\(username)' in \(data); `fenghuo central user` takes a username of users.tsv.")
            }
            var user = found
            if role != nil || department != nil {
                do {
                    user = try storage.updateUser(username, role: role, department: department)
                } catch let error as SQLiteCentralStorage.UnfitDepartment {
                    throw ValidationError(error.description + ".")
                }
            }
            if unlock { try storage.loginSucceeded(username) }
            if reinstate { try storage.reinstate(username) }
            if try storage.revocations().users.contains(username) { print("revoked: no console of this user syncs; --reinstate lifts it") }
            print("\(user.username) \(user.name): \(user.role.rawValue), \(user.department)")
            if let until = try storage.lockedUntil(username, now: Date()) {
                print("locked until \(CentralServer.time(until)) after repeated failed logins; --unlock lifts it")
            }
        }
    }

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite the change history: drop the feed and start a new epoch.",
            discussion: """
                Every agent then finds its cursor belongs to the old epoch and rebuilds its replica from a \
                snapshot, keeping its queued commands. Run it while central is stopped.
                """)

        @Option(name: .long, help: "Folder made by `fenghuo central init`.")
        var data: String

        func run() throws {
            let storage = try SQLiteCentralStorage.open(path: DataFolder(path: data).database)
            let (old, new, dropped) = try storage.compact()
            print("epoch \(old) → \(new); \(dropped) changes dropped")
        }
    }
}

extension Central {
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup of central.sqlite in place, as a new history.",
            discussion: """
                The backup is checked (a central store, intact), copied in, and given a new epoch: every \
                console finds its cursor is from the old history, rebuilds its replica from a snapshot and \
                resends its queued commands, which carry on from their own numbers. Commands central had \
                acknowledged after the backup was taken are not in it and are lost. Run it while central is \
                stopped; take a backup of a serving store with `sqlite3 central.sqlite ".backup FILE"`.
                """)

        @Argument(help: "The backup: a copy of central.sqlite.")
        var file: String

        @Option(name: .long, help: "Folder made by `fenghuo central init`.")
        var data: String

        func run() throws {
            let folder = DataFolder(path: data)
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("no file \(file).") }
            guard let lock = folder.takeLock() else {
                throw ValidationError("central is serving \(data) (it holds \(folder.lock)); stop it, then restore.")
            }
            defer { close(lock) }
            let staged = folder.database + ".restoring"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staged + suffix) }
            try FileManager.default.copyItem(atPath: file, toPath: staged)
            chmod(staged, 0o600)
            do {
                let check = try DatabaseQueue(path: staged)
                let integrity = try check.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
                guard integrity == ["ok"] else { throw ValidationError("\(file) is damaged: \(integrity.prefix(3).joined(separator: "; ")).") }
                guard try check.read({ try $0.tableExists("change_log") && $0.tableExists("client_state") }) else {
                    throw ValidationError("\(file) is not a central store (it has no change_log or client_state).")
                }
                try check.close()
                let storage = try SQLiteCentralStorage.open(path: staged)
                let (old, new) = try storage.beginNewHistory()
                let head = try storage.head()
                try storage.audit(AuditEntry(at: Date(), actor: .localOperator, action: .restore,
                                             detail: ["file": .text((file as NSString).lastPathComponent), "epoch": .fields(["from": old, "to": new])]))
                // Everything into the main file before it moves: its WAL stays behind otherwise.
                try storage.database.writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
                try storage.database.writer.close()
                for suffix in ["-wal", "-shm"] {
                    let side = staged + suffix
                    if let size = (try? FileManager.default.attributesOfItem(atPath: side))?[.size] as? Int, size > 0, suffix == "-wal" {
                        throw ValidationError("\(side) still holds \(size) bytes after the checkpoint; nothing was replaced.")
                    }
                    try? FileManager.default.removeItem(atPath: side)
                }
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: folder.database + suffix) }
                guard rename(staged, folder.database) == 0 else { throw ValidationError("could not move \(staged) to \(folder.database).") }
                try HistoryMark(epoch: new, head: head).write(to: folder.history)
                folder.secure()
                print("restored \(file) into \(folder.database): epoch \(old) → \(new), history at \(head); consoles rebuild and resend their queues.")
            } catch {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staged + suffix) }
                throw error
            }
        }
    }
}

extension Central {
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut off a user (all their consoles) or one console (its client id).",
            discussion: """
                Takes effect within a second, also while central serves: the user's or console's next \
                request is refused as revoked, and its agent wipes its replica and stops syncing. A revoked \
                user can be let back with `fenghuo central user NAME --reinstate`; a revoked console id \
                stays revoked (start the console on a new --data folder). `fenghuo status` on the console \
                shows its client id.
                """)

        @Argument(help: "A username, or a console's client id (c-…).")
        var target: String

        @Option(name: .long, help: "Folder made by `fenghuo central init`.")
        var data: String

        func run() throws {
            let storage = try SQLiteCentralStorage.open(path: DataFolder(path: data).database)
            if try storage.user(named: target) != nil {
                try storage.revoke(.user, target, at: Date())
                print("user \(target) revoked: every console of theirs stops syncing and wipes its replica at its next contact")
            } else if try storage.knowsClient(target) {
                try storage.revoke(.client, target, at: Date())
                print("console \(target) revoked: it stops syncing and wipes its replica at its next contact")
            } else {
                throw ValidationError("'\(target)' is neither a user nor a client id central has seen.")
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password (read from a file or standard input, never the command line).",
            discussion: "The new password must pass the policy: \(PasswordPolicy.minimumLength) characters or more, three kinds of characters (or 20 or more), not the user's name, not a common first guess.")

        @Argument(help: "The username.")
        var username: String

        @Option(name: .long, help: "Folder made by `fenghuo central init`.")
        var data: String

        @Option(name: .long, help: "File holding the new password on its first line (default: read standard input).")
        var passwordFile: String?

        func run() throws {
            let storage = try SQLiteCentralStorage.open(path: DataFolder(path: data).database)
            guard try storage.user(named: username) != nil else { throw ValidationError("no user '\(username)' in \(data).") }
            let text: String
            if let passwordFile {
                guard let read = try? String(contentsOfFile: passwordFile, encoding: .utf8) else { throw ValidationError("cannot read \(passwordFile).") }
                text = read
            } else {
                text = readLine(strippingNewline: true) ?? ""
            }
            let password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            let problems = PasswordPolicy.problems(password, username: username)
            guard problems.isEmpty else {
                throw ValidationError("the password is refused: " + problems.joined(separator: "; ") + ".")
            }
            let hash = try PasswordHasher().hash(password)
            try storage.database.writer.write { db in
                try db.execute(sql: "UPDATE app_user SET password_hash = ? WHERE username = ?", arguments: [hash, username])
            }
            try storage.loginSucceeded(username)
            print("password of \(username) changed; their consoles log in again with it")
        }
    }
}
