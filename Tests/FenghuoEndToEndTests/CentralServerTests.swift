import FenghuoProtocol
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `fenghuo central init` and `serve`, the real binary on loopback.
@Suite("The central server as a process", .processes)
struct CentralServerTests {
    func request(_ url: URL, method: String = "GET", token: String? = nil, body: String? = nil) async throws -> (Int, String) {
        var r = URLRequest(url: url)
        r.httpMethod = method
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body { r.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func init_then_serve_answers_login_push_and_pull_over_loopback() async throws {
        // Given a central store made by `central init`
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-central-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try Binary.run(["central", "init", "--data", dir.path])
        #expect(made.status == 0, "\(made.output)")
        let key = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("token.key").path)
        #expect((key[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // When it is served on a free loopback port
        let port = LoopbackPorts.fresh()
        let pid = try Subprocess.start(Binary.path, ["central", "serve", "--data", dir.path, "--listen", "127.0.0.1:\(port)"],
                                       log: dir.appendingPathComponent("serve.log"))
        defer {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let base = URL(string: "http://127.0.0.1:\(port)")!
        var healthy = false
        for _ in 0..<100 where !healthy {
            healthy = ((try? await request(base.appendingPathComponent("healthz")))?.0 == 200)
            if !healthy { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(healthy, "central did not answer /healthz")
        // Then a duty officer logs in, pushes a command and pulls its change
        let (loginStatus, loginBody) = try await request(base.appendingPathComponent("v1/login"), method: "POST",
                                                         body: #"{"username":"duty1","password":"demoduty","clientID":"e2e","protocol":\#(ProtocolVersion.current)}"#)
        #expect(loginStatus == 200, "\(loginBody)")
        let token = try #require((try JSONSerialization.jsonObject(with: Data(loginBody.utf8)) as? [String: Any])?["token"] as? String)
        let push = #"{"commands":[{"clientID":"e2e","mutationID":1,"name":"createIncident","args":{"type":"theft","district":"binhu","address":"滨湖区湖心路8号","narrative":"端到端测试"}}]}"#
        let (pushStatus, pushBody) = try await request(base.appendingPathComponent("v1/push"), method: "POST", token: token, body: push)
        #expect(pushStatus == 200)
        #expect(pushBody.contains(#""status":"applied""#))
        let (pullStatus, pullBody) = try await request(base.appendingPathComponent("v1/changes"), token: token)
        #expect(pullStatus == 200)
        #expect(pullBody.contains("端到端测试"))
        // And a bad body is a 400 with a JSON reason
        let (badStatus, badBody) = try await request(base.appendingPathComponent("v1/push"), method: "POST", token: token, body: "{")
        #expect(badStatus == 400)
        #expect(badBody.contains(#""code":"bad_json""#))
    }
}
