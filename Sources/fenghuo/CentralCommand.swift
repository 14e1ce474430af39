import ArgumentParser
import FenghuoCentral
import FenghuoCrypto
import FenghuoStore
import Foundation
import Hummingbird

struct Central: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The central store: the authority every console syncs with.",
        subcommands: [Init.self, Serve.self])

    /// The files of a central data folder.
    struct DataFolder {
        let path: String
        var database: String { (path as NSString).appendingPathComponent("central.sqlite") }
        var tokenKey: String { (path as NSString).appendingPathComponent("token.key") }
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
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let set = try SeedRunner.loadFixtures(fixtures)
            let storage = try SQLiteCentralStorage.open(path: folder.database)
            let summary = try Seeder(fixtures: set).seed(storage.database, now: Date(), scale: scale)
            // The signing key: readable by this user only; a new store gets a new key.
            let key = try TokenSigner.randomKey()
            _ = FileManager.default.createFile(atPath: folder.tokenKey, contents: Data(key), attributes: [.posixPermissions: 0o600])
            print(SeedRunner.describe(summary, db: folder.database))
            print("epoch \(try storage.epoch()); token key in \(folder.tokenKey) (mode 0600)")
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the v1 sync protocol over HTTP.")

        @Option(name: .long, help: "Folder made by `fenghuo central init`.")
        var data: String

        @Option(name: .long, help: "Address to listen on, HOST:PORT.")
        var listen: String = "127.0.0.1:8480"

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
            let server = try CentralServer(storage: try SQLiteCentralStorage.open(path: folder.database),
                                           signer: TokenSigner(key: Array(key)))
            let app = Application(router: server.router(),
                                  configuration: .init(address: .hostname(String(parts[0]), port: port)))
            print("fenghuo central: listening on http://\(listen) (epoch \(try server.storage.epoch()))")
            try await app.runService()
        }
    }
}
