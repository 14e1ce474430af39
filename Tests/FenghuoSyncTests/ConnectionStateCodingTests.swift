import FenghuoProtocol
import Foundation
import Testing

/// The connection state on the agent's socket: every state survives the line, an older agent's
/// line (no `connection`) still reads, and a state this build does not know is never online.
@Suite("Connection state on the wire")
struct ConnectionStateCodingTests {
    static let states: [ConnectionState] = [
        .connecting, .online, .reconnecting(attempt: 3, nextTryAt: 1_796_000_012), .reconnecting(attempt: 1, nextTryAt: nil),
        .cannotConnect(address: "127.0.0.1:8480", attempt: 2, nextTryAt: 1_796_000_005), .wrongPassword, .tokenExpired,
        .refused(code: "locked_out", attempt: 4, nextTryAt: 1_796_000_060), .revoked, .offline,
    ]

    @Test(arguments: states)
    func each_state_reads_back_as_itself(_ state: ConnectionState) throws {
        var status = AgentStatus(username: "duty1", role: "duty", department: "cmd", clientID: "c-1", online: state == .online,
                                 phase: .ready, epoch: "e", cursor: 5, head: 5, lagSeq: 0, lagMs: 0, outbox: 1, lastSyncAt: 1_796_000_000,
                                 snapshotDone: 0, snapshotTotal: 0, lastError: nil)
        status.connection = state
        status.dataAsOf = 1_796_000_001
        let line = try JSONDecoder().decode(AgentEventLine.self, from: JSONEncoder().encode(AgentEventLine(.status(status))))
        #expect(line.event.status == status)
        #expect(line.event.status?.state == state)
    }

    @Test func an_older_agents_line_reads_its_state_from_online_and_revoked() throws {
        func read(_ json: String) throws -> AgentStatus? {
            try JSONDecoder().decode(AgentEventLine.self, from: Data(json.utf8)).event.status
        }
        let base = #""username":"duty1","clientID":"c-1","phase":"ready","cursor":5,"head":5,"lagSeq":0,"lagMs":0,"outbox":0,"snapshotDone":0,"snapshotTotal":0,"searchReady":true"#
        #expect(try read(#"{"kind":"status","status":{\#(base),"online":true}}"#)?.state == .online)
        #expect(try read(#"{"kind":"status","status":{\#(base),"online":false}}"#)?.state == .offline)
        #expect(try read(#"{"kind":"status","status":{\#(base),"online":false,"revoked":"user revoked"}}"#)?.state == .revoked)
        #expect(try read(#"{"kind":"status","status":{\#(base),"online":false}}"#)?.dataAsOf == nil)
        // A newer agent's state, unknown here: offline, never online.
        let newer = try read(#"{"kind":"status","status":{\#(base),"online":true,"connection":{"state":"sleeping","attempt":2}}}"#)
        #expect(newer?.state == .offline)
    }

    @Test func a_login_request_carries_its_password_and_an_empty_one_is_refused() throws {
        let line = AgentRequestLine(.login(password: "demoduty"), id: 7)
        let data = try JSONEncoder().encode(line)
        let read = try AgentRequestLine.read(data)
        #expect(read.request == .login(password: "demoduty") && read.id == 7)
        #expect(throws: AgentRequestLine.Problem.self) { try AgentRequestLine.read(Data(#"{"op":"login","password":""}"#.utf8)) }
        #expect(throws: AgentRequestLine.Problem.self) { try AgentRequestLine.read(Data(#"{"op":"login"}"#.utf8)) }
        let long = String(repeating: "x", count: ProtocolLimits.maxPassword + 1)
        #expect(throws: AgentRequestLine.Problem.self) { try AgentRequestLine.read(Data(#"{"op":"login","password":"\#(long)"}"#.utf8)) }
    }

    @Test func the_english_words_say_the_reason_and_the_next_try() {
        let now = 1_796_000_000.0
        #expect(ConnectionState.reconnecting(attempt: 3, nextTryAt: now + 11.2).description(now: now) == "reconnecting (attempt 3, next try in 12 s)")
        #expect(ConnectionState.reconnecting(attempt: 1, nextTryAt: nil).description(now: now) == "reconnecting (attempt 1, trying now)")
        #expect(ConnectionState.cannotConnect(address: "127.0.0.1:8480", attempt: 1, nextTryAt: nil).description(now: now)
                == "offline: cannot connect to 127.0.0.1:8480")
        #expect(ConnectionState.wrongPassword.description(now: now) == "offline: wrong password — log in again")
    }
}
