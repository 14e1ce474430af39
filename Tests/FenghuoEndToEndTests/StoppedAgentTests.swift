import FenghuoProtocol
import FenghuoSync
import Foundation
import GRDB
import Testing
import TestSupport

/// The console never waits for its agent: with the agent stopped (SIGSTOP, as a hung process
/// looks), keys still move and a command sent says the agent is not answering.
@Suite("The console with its agent stopped", .serialized, .processes)
struct StoppedAgentTests {
    @Test func keys_still_move_and_a_submit_says_the_agent_is_not_answering() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        let agent = try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitFor(text: "● 在线")
        /// The queue's `N/TOTAL` (its heading's right end).
        func position(_ screen: String) -> Int? {
            guard let line = screen.split(separator: "\n").first(where: { $0.contains("警情队列") }),
                  let end = line.range(of: " ┐"), let slash = line[..<end.lowerBound].lastIndex(of: "/") else { return nil }
            return Int(line[..<slash].split(separator: " ").last ?? "")
        }
        tmux.waitFor("the queue's position") { position($0) == 1 }
        kill(agent, SIGSTOP)
        defer { kill(agent, SIGCONT) }
        // The selection moves down the queue while the agent is stopped.
        tmux.press("j")
        tmux.press("j")
        tmux.waitFor("the selection to move") { position($0) == 3 }
        // Long enough for the console to give up on the connection and open another (5 s of
        // silence), so the command goes to a connection the stopped agent never reads.
        try await Task.sleep(for: .seconds(6))
        // A command is sent and, unanswered, reported as such; the screen keeps answering.
        tmux.press(":")
        tmux.type("close")
        tmux.press("Enter")
        // Closing asks first (y), once the record is read again; then it goes to the agent.
        tmux.waitFor(text: "y 发送")
        tmux.press("y")
        tmux.waitFor(text: "同步代理未响应", timeout: 15)
        tmux.press("k")
        tmux.waitFor("the selection to move back") { position($0) == 2 }
        kill(agent, SIGCONT)
        // The agent, running again, may still take the close from the connection's buffer and
        // queue it: then quitting first asks about the queued command.
        #expect(DemoQueueTests.quit(tmux) == 0)
    }
}
