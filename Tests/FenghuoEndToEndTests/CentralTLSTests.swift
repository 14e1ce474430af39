import FenghuoProtocol
import FenghuoSync
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import Testing
import TestSupport

/// A certificate authority made by the stock `openssl` for one test: its certificate, and
/// central's certificate and key signed by it, for the names given.
struct TestCA {
    let folder: URL
    var certificate: String { folder.appendingPathComponent("ca.pem").path }
    var serverCertificate: String { folder.appendingPathComponent("server.pem").path }
    var serverKey: String { folder.appendingPathComponent("server.key").path }

    init(in parent: URL, name: String = "ca", serverNames: String = "IP:127.0.0.1,DNS:localhost") throws {
        folder = parent.appendingPathComponent("tls-\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ext = folder.appendingPathComponent("server.ext")
        try Data("subjectAltName=\(serverNames)\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: ext)
        let path = folder.path
        for arguments in [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(path)/ca.key",
             "-out", "\(path)/ca.pem", "-days", "2", "-subj", "/CN=Fenghuo test CA \(name)",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(path)/server.key",
             "-out", "\(path)/server.csr", "-subj", "/CN=central"],
            ["x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.pem", "-CAkey", "\(path)/ca.key", "-CAcreateserial",
             "-out", "\(path)/server.pem", "-days", "2", "-extfile", ext.path],
        ] {
            let made = try Subprocess.output(of: "/usr/bin/openssl", arguments)
            guard made.status == 0 else { throw Subprocess.Failure(description: "openssl \(arguments[0]) failed: \(made.output)") }
        }
        chmod(serverKey, 0o600)
    }
}

/// HTTPS between agent and central: the certificate checked against the CA the agent is given,
/// plain HTTP only on loopback, and the mistakes an operator makes refused with words.
@Suite("Central over TLS", .processes)
struct CentralTLSTests {
    @Test func an_agent_syncs_over_https_with_the_ca_file_and_its_command_arrives() async throws {
        let c = try SyncCluster()
        let ca = try TestCA(in: c.root)
        c.scheme = "https"
        try await c.startCentral(extra: ["--tls-cert", ca.serverCertificate, "--tls-key", ca.serverKey])
        #expect(try await c.eventually(10) { c.log("central.log").contains("listening on https://127.0.0.1:\(c.port)") })
        // By address (the certificate's IP entry) and by name (its DNS entry, sent for SNI).
        try c.startAgent("duty", user: "duty1", password: "demoduty", extra: ["--ca-file", ca.certificate])
        try c.startAgent("named", user: "duty2", password: "demoduty", central: "https://localhost:\(c.port)",
                         extra: ["--ca-file", ca.certificate])
        try await c.waitSynced("duty")
        try await c.waitSynced("named")
        let id = try #require(queue(try await c.client("duty"), "createIncident", incident("经由加密连接上报")))
        #expect(id > 0)
        #expect(try await c.eventually {
            try c.rows(try c.centralDB(), "SELECT narrative FROM incident WHERE narrative = '经由加密连接上报'").count == 1
        })
        // The other agent hears of it through its own TLS feed.
        #expect(try await c.eventually {
            try c.rows(try c.replicaDB("named"), "SELECT narrative FROM incident WHERE narrative = '经由加密连接上报'").count == 1
        })
    }

    @Test func a_certificate_from_another_ca_or_for_another_host_is_refused_and_says_why() async throws {
        let c = try SyncCluster()
        let ca = try TestCA(in: c.root)
        let stranger = try TestCA(in: c.root, name: "stranger")
        c.scheme = "https"
        // Central's certificate names localhost only: reached by address it is not for this host.
        let localhostOnly = try TestCA(in: c.root, name: "named", serverNames: "DNS:localhost")
        try await c.startCentral(extra: ["--tls-cert", localhostOnly.serverCertificate, "--tls-key", localhostOnly.serverKey])
        try c.startAgent("stranger", user: "duty1", password: "demoduty", central: "https://localhost:\(c.port)",
                         extra: ["--ca-file", stranger.certificate])
        try c.startAgent("address", user: "duty2", password: "demoduty", extra: ["--ca-file", localhostOnly.certificate])
        try c.startAgent("plain", user: "hotline1", password: "demohotline", central: "http://127.0.0.1:\(c.port)")
        #expect(try await c.eventually(20) { c.log("agent-stranger.log").contains("not signed by a trusted CA") })
        #expect(try await c.eventually(20) { c.log("agent-address.log").contains("not for this host name or address") })
        // The console's status line says what to fix (read until it does: a retry may be under way).
        var status = try await c.status("stranger")
        let deadline = Date().addingTimeInterval(20)
        while status.lastError?.contains("--ca-file") != true, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            status = try await c.status("stranger")
        }
        #expect(!status.online)
        #expect(status.lastError?.contains("--ca-file") == true, "\(String(describing: status.lastError))")
        // None of them got as far as a login: no password crossed to a server it could not trust.
        #expect(try c.rows(try c.centralDB(), "SELECT action FROM audit_log WHERE action LIKE 'login%'").isEmpty)
        _ = ca
    }

    @Test func a_handshake_that_never_comes_is_cut_off_like_a_slow_header() async throws {
        let c = try SyncCluster()
        let ca = try TestCA(in: c.root)
        c.scheme = "https"
        try await c.startCentral(extra: ["--tls-cert", ca.serverCertificate, "--tls-key", ca.serverKey, "--header-timeout", "1"])
        let silent = try (0..<20).map { _ in try CentralUnderAttackE2ETests.RawConnection(port: c.port) }
        let halfHello = try CentralUnderAttackE2ETests.RawConnection(port: c.port)
        halfHello.send("\u{16}\u{03}\u{01}")  // the first bytes of a ClientHello, then nothing
        for connection in silent + [halfHello] { #expect(connection.isClosedByServer(within: 5)) }
    }

    @Test func central_refuses_plain_http_off_loopback_and_bad_tls_files_with_what_to_do() throws {
        let c = try SyncCluster()
        let ca = try TestCA(in: c.root)
        let data = c.centralDir.path
        func serve(_ extra: [String]) throws -> (status: Int32, output: String) {
            try Binary.run(["central", "serve", "--data", data] + extra)
        }
        let open = try serve(["--listen", "0.0.0.0:\(c.port)"])
        #expect(open.status != 0)
        #expect(open.output.contains("--tls-cert and --tls-key"), "\(open.output)")
        let half = try serve(["--listen", "127.0.0.1:\(c.port)", "--tls-cert", ca.serverCertificate])
        #expect(half.status != 0)
        #expect(half.output.contains("go together"), "\(half.output)")
        chmod(ca.serverKey, 0o644)
        let readable = try serve(["--listen", "0.0.0.0:\(c.port)", "--tls-cert", ca.serverCertificate, "--tls-key", ca.serverKey])
        #expect(readable.status != 0)
        #expect(readable.output.contains("chmod 600 \(ca.serverKey)"), "\(readable.output)")
        chmod(ca.serverKey, 0o600)
        let notPEM = try serve(["--listen", "0.0.0.0:\(c.port)", "--tls-cert", ca.folder.appendingPathComponent("server.ext").path,
                                "--tls-key", ca.serverKey])
        #expect(notPEM.status != 0)
        #expect(notPEM.output.contains("no PEM certificate"), "\(notPEM.output)")
        let otherKey = try TestCA(in: c.root, name: "other")
        let mismatch = try serve(["--listen", "0.0.0.0:\(c.port)", "--tls-cert", ca.serverCertificate, "--tls-key", otherKey.serverKey])
        #expect(mismatch.status != 0)
        #expect(mismatch.output.contains("do not go together"), "\(mismatch.output)")
        let missing = try serve(["--listen", "0.0.0.0:\(c.port)", "--tls-cert", ca.serverCertificate, "--tls-key", "/nonexistent/key.pem"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("--tls-key /nonexistent/key.pem: cannot read it"), "\(missing.output)")
    }

    @Test func the_agent_refuses_plain_http_to_another_machine_and_a_ca_file_it_cannot_use() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-tls-agent-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let password = dir.appendingPathComponent("password").path
        try Data("demoduty\n".utf8).write(to: URL(fileURLWithPath: password))
        func agent(_ central: String, _ extra: [String] = []) throws -> (status: Int32, output: String) {
            try Binary.run(["agent", "--central", central, "--data", dir.appendingPathComponent("agent").path,
                            "--user", "duty1", "--password-file", password] + extra)
        }
        let network = try agent("http://10.20.30.40:8480")
        #expect(network.status != 0)
        #expect(network.output.contains("cross the network in clear"), "\(network.output)")
        let pointless = try agent("http://127.0.0.1:8480", ["--ca-file", password])
        #expect(pointless.status != 0)
        #expect(pointless.output.contains("is for https:// only"), "\(pointless.output)")
        let notPEM = try agent("https://central.example:8480", ["--ca-file", password])
        #expect(notPEM.status != 0)
        #expect(notPEM.output.contains("no PEM certificate"), "\(notPEM.output)")
        let ftp = try agent("ftp://127.0.0.1:8480")
        #expect(ftp.status != 0)
        #expect(ftp.output.contains("is not a URL like"), "\(ftp.output)")
        // Nothing was made for an agent that did not start.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("agent/outbox.sqlite").path))
    }
}

/// Which hosts count as this machine, where plain HTTP is allowed.
@Suite("Loopback hosts", .processes)
struct LoopbackTests {
    @Test(arguments: ["127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST", "::1", "[::1]"])
    func loopback(_ host: String) { #expect(Loopback.contains(host: host)) }

    @Test(arguments: ["10.0.0.1", "0.0.0.0", "128.0.0.1", "127.0.0.1.evil.example", "1270.0.0.1", "127.0.0", "127.0.0.256",
                      "localhost.evil.example", "::2", "", "central.example"])
    func not_loopback(_ host: String) { #expect(!Loopback.contains(host: host)) }
}
