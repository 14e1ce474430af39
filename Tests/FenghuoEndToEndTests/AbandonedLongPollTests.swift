import FenghuoProtocol
import Foundation
import Testing
import TestSupport

/// A long-poll whose client hangs up must stop waiting: otherwise anyone with a token could
/// hold central's waits (and their connections' memory) for 30 s each, as often as they liked.
@Suite("Central: abandoned long-polls", .processes)
struct AbandonedLongPollTests {
    /// `fenghuo_pull_seconds_count` and `_sum` from central's metrics.
    func pulls(_ c: SyncCluster) async throws -> (count: Int, seconds: Double) {
        let text = try await c.http("GET", "metrics").body
        func value(_ name: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
        return (Int(value("fenghuo_pull_seconds_count") ?? -1), value("fenghuo_pull_seconds_sum") ?? -1)
    }

    @Test func pulls_whose_clients_hang_up_end_within_a_second_not_at_their_wait() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        let token = try await c.login("duty1", "demoduty", clientID: "abandoner")
        struct Health: Decodable { let epoch: String }
        let epoch = try JSONDecoder().decode(Health.self, from: Data(try await c.http("GET", "healthz").body.utf8)).epoch
        let first = try await c.http("GET", "v1/changes?cursor=\(epoch):0&limit=1", token: token)
        let head = try #require(try? JSONDecoder().decode(ChangesResponse.self, from: Data(first.body.utf8)), "\(first.body)").head
        let before = try await pulls(c)
        // Given ten pulls that would each wait 30 s for a change that never comes
        let request = "GET /v1/changes?cursor=\(epoch):\(head)&wait=30 HTTP/1.1\r\nHost: central\r\nAuthorization: Bearer \(token)\r\n\r\n"
        // When five clients hang up as soon as they have sent (their FIN arrives with the
        // request, before central reads it: NIO's HTTP pipeline held that one until the answer)
        for _ in 0..<5 {
            let connection = try CentralUnderAttackE2ETests.RawConnection(port: c.port)
            connection.send(request)
        }
        // and five after central has taken their requests up
        var connections = try (0..<5).map { _ in try CentralUnderAttackE2ETests.RawConnection(port: c.port) }
        for connection in connections { connection.send(request) }
        try await Task.sleep(for: .seconds(2))
        connections.removeAll()
        // Then central stops each wait soon after, long before its 30 s are up
        let deadline = Date().addingTimeInterval(20)
        var now = before
        while Date() < deadline {
            now = try await pulls(c)
            if now.count >= before.count + 10 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(now.count == before.count + 10, "\(now.count - before.count) of 10 abandoned pulls ended")
        #expect(now.seconds - before.seconds < 10 * 28, "the ten pulls took \(now.seconds - before.seconds) s together")
    }
}
