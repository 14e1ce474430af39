import ArgumentParser
import FenghuoCentral
import FenghuoSeed
import FenghuoCrypto
import FenghuoDomain
import FenghuoStore
import FenghuoLaunch
import Foundation
import Hummingbird

struct Central: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The central store: the authority every console syncs with.",
        subcommands: [Init.self, Serve.self, UserCommand.self, Compact.self])

    /// The files of a central data folder.
    struct DataFolder {
        let path: String
        var database: String { (path as NSString).appendingPathComponent("central.sqlite") }
        var tokenKey: String { (path as NSString).appendingPathComponent("token.key") }

        /// A new central store here, seeded from the fixtures, with a new signing key.
        func create(fixtures: String?, scale: Int, progress: (@Sendable (String) -> Void)? = nil) throws -> (Seeder.Summary, String) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let set = try SeedRunner.loadFixtures(fixtures)
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
            // Before any logger exists (Hummingbird's is made with the application): every line masked.
            LogOutput.bootstrap()
            let server = try CentralServer(storage: try SQLiteCentralStorage.open(path: folder.database),
                                           signer: TokenSigner(key: Array(key)))
            let app = Application(router: server.router(),
                                  configuration: .init(address: .hostname(String(parts[0]), port: port)))
            ParentWatch.start(exitWithParent)
            print("fenghuo central: listening on http://\(listen) (epoch \(try server.storage.epoch()))")
            try await app.runService()
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

        func run() throws {
            let storage = try SQLiteCentralStorage.open(path: DataFolder(path: data).database)
            let role = try self.role.map { text -> Role in
                guard let r = Role(rawValue: text) else { throw ValidationError("--role '\(text)' is not duty, hotline, staff or leader.") }
                return r
            }
            let user = try storage.updateUser(username, role: role, department: department)
            print("\(user.username) \(user.name): \(user.role.rawValue), \(user.department)")
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
