import FenghuoDomain
import FenghuoProtocol
@testable import FenghuoSync
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The agent's HTTP client against a real socket server on loopback that misbehaves on cue.
@Suite("Agent HTTP client: keep-alive, a server that hangs up, a server that never answers", .ownThread)
struct HTTPConnectionPoolTests {
    @Test func many_calls_share_one_kept_alive_connection() async throws {
        let server = try ScriptedHTTPServer(mode: .keepAlive)
        defer { server.stop() }
        let pool = HTTPConnectionPool(host: "127.0.0.1", port: server.port, root: "/")
        for i in 0..<20 {
            let answer = try await pool.send(.POST, "v1/echo", headers: [("Content-Type", "application/json")],
                                             body: Array("{\"n\":\(i)}".utf8), timeout: .seconds(120))
            #expect(answer.status == 200)
            #expect(String(buffer: answer.body) == "POST /v1/echo {\"n\":\(i)}")
        }
        #expect(server.requests == 20)
        #expect(server.connections == 1)
    }

    @Test func a_connection_the_server_closed_while_idle_is_replaced_without_failing_the_call() async throws {
        // The server hangs up after every answer without saying so (as one does at its idle timeout).
        let server = try ScriptedHTTPServer(mode: .hangUpAfterAnswer)
        defer { server.stop() }
        let pool = HTTPConnectionPool(host: "127.0.0.1", port: server.port, root: "/")
        for _ in 0..<5 {
            let answer = try await pool.send(.GET, "healthz", headers: [], body: nil, timeout: .seconds(120))
            #expect(answer.status == 200)
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(server.requests == 5)
        #expect(server.connections == 5)
    }

    @Test(.timeLimit(.minutes(2)))
    func a_server_that_never_answers_times_out_and_the_client_says_central_is_unreachable() async throws {
        let server = try ScriptedHTTPServer(mode: .silent)
        defer { server.stop() }
        let pool = HTTPConnectionPool(host: "127.0.0.1", port: server.port, root: "/")
        do {
            _ = try await pool.send(.GET, "v1/changes", headers: [], body: nil, timeout: .milliseconds(300))
            Issue.record("a silent server answered")
        } catch HTTPConnectionPool.Failure.timedOut {
            // The request's own timer ended it (without one the test would hang to its limit).
        }
        // Through the agent's client it is the retryable kind of failure.
        let client = try CentralClient(base: URL(string: "http://127.0.0.1:\(server.port)/")!)
        do {
            // The client allows a long-poll its wait plus 15 s: one second here.
            _ = try await client.changes(token: "t", cursor: FeedCursor(epoch: "e", seq: 0), limit: 1, wait: -14, settled: 0)
            Issue.record("a silent server answered")
        } catch CentralError.unreachable(let why) {
            #expect(why.contains("no answer"))
        }
    }

    @Test func nothing_listening_is_unreachable_with_the_reason() async throws {
        let server = try ScriptedHTTPServer(mode: .keepAlive)
        let port = server.port
        server.stop()
        let client = try CentralClient(base: URL(string: "http://127.0.0.1:\(port)/")!)
        do {
            _ = try await client.push(token: "t", commands: [])
            Issue.record("a closed port answered")
        } catch CentralError.unreachable(let why) {
            #expect(why.contains("cannot connect to 127.0.0.1:\(port)"), "\(why)")
        }
    }
}

/// A blocking HTTP/1.1 server on a loopback port, one thread a connection, for the tests above.
final class ScriptedHTTPServer: @unchecked Sendable {
    enum Mode { case keepAlive, hangUpAfterAnswer, silent }

    let port: Int
    private let mode: Mode
    private let listener: Int32
    private let lock = NSLock()
    private var counts = (connections: 0, requests: 0)
    /// Connections still being served; each serving thread removes its own before closing it.
    private var open: Set<Int32> = []
    private let acceptLoopEnded = DispatchSemaphore(value: 0)

    var connections: Int { lock.withLock { counts.connections } }
    var requests: Int { lock.withLock { counts.requests } }

    init(mode: Mode) throws {
        self.mode = mode
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops listening and hangs up on the connections still open. Only the thread that uses a
    /// descriptor closes it: a listener closed here while the accept loop had not yet called
    /// `accept` let that loop accept on whatever socket got the number next (another test's
    /// listener, whose connections it then answered), and shutting down a connection's number
    /// after it was closed hit another test's socket.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        acceptLoopEnded.wait()
        lock.withLock {
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        defer {
            close(listener)
            acceptLoopEnded.signal()
        }
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            lock.withLock {
                counts.connections += 1
                open.insert(fd)
            }
            Thread { [self] in serve(fd) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock { _ = open.remove(fd) }
            close(fd)
        }
        var pending = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            // One request: its head, then Content-Length bytes of body.
            var request: (line: String, body: String)?
            while request == nil {
                if let end = pending.indices.dropLast(3).first(where: { pending[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }) {
                    let head = String(decoding: pending[..<end], as: UTF8.self)
                    let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    if pending.count >= end + 4 + length {
                        let line = head.split(separator: "\r\n").first.map(String.init) ?? ""
                        request = (line, String(decoding: pending[(end + 4)..<(end + 4 + length)], as: UTF8.self))
                        pending.removeFirst(end + 4 + length)
                        break
                    }
                }
                let n = read(fd, &chunk, chunk.count)
                guard n > 0 else { return }
                pending += chunk[..<n]
            }
            guard let request else { return }
            lock.withLock { counts.requests += 1 }
            if mode == .silent { continue }
            let parts = request.line.split(separator: " ")
            let body = "\(parts.first ?? "") \(parts.dropFirst().first ?? "") \(request.body)"
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            _ = answer.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
            if mode == .hangUpAfterAnswer {
                usleep(5_000)
                return
            }
        }
    }
}
