import FenghuoProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A connection to a running agent's socket, for the CLI and the console: blocking calls, one
/// JSON line out, JSON lines back.
public final class AgentClient: @unchecked Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case notRunning(path: String, reason: String)
        case closed
        case timedOut
        case unreadable(String)

        public var description: String {
            switch self {
            case .notRunning(let path, let reason):
                "no agent answers on \(path) (\(reason)); start one with `fenghuo agent --data DIR --central URL --user NAME`"
            case .closed: "the agent closed the connection"
            case .timedOut: "the agent did not answer in time"
            case .unreadable(let line): "the agent sent a line this client cannot read: \(line.prefix(200))"
            }
        }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    public init(socketPath: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.notRunning(path: socketPath, reason: String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        // No close before a throw: the object is whole once `fd` is set, so `deinit` runs and
        // closes it. Closing here too closed the fd number twice — by then another thread's
        // socket (NIO asserted EBADF, a test's file copy failed) — on every failed connect.
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Failure.notRunning(path: socketPath, reason: "path longer than 107 bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            throw Failure.notRunning(path: socketPath, reason: reason)
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    public func send(_ request: AgentRequest, id: Int64? = nil) throws {
        var data = try JSONEncoder().encode(AgentRequestLine(request, id: id))
        data.append(0x0A)
        try send(raw: data)
    }

    /// Writes bytes as they are (a tool or a test speaking the protocol itself). An agent that
    /// closed the connection is `closed`, never a SIGPIPE that would end this process.
    public func send(raw data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 { if errno == EINTR { continue }; throw Failure.closed }
                offset += n
            }
        }
    }

    /// The next event; nil timeout waits forever.
    public func next(timeout: TimeInterval? = nil) throws -> AgentEvent {
        try nextLine(timeout: timeout).event
    }

    /// The next event with the id of the request it answers.
    public func nextLine(timeout: TimeInterval? = nil) throws -> AgentEventLine {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                do {
                    return try JSONDecoder().decode(AgentEventLine.self, from: Data(line))
                } catch {
                    throw Failure.unreadable(String(decoding: line, as: UTF8.self))
                }
            }
            var waitMs: Int32 = -1
            if let deadline {
                let left = deadline.timeIntervalSinceNow
                guard left > 0 else { throw Failure.timedOut }
                waitMs = Int32(min(left * 1000, Double(Int32.max)))
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, waitMs)
            if ready < 0 { if errno == EINTR { continue }; throw Failure.closed }
            if ready == 0 { throw Failure.timedOut }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 { if errno == EINTR { continue }; throw Failure.closed }
            if n == 0 { throw Failure.closed }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// One request, its first answer.
    public func call(_ request: AgentRequest, timeout: TimeInterval = 10) throws -> AgentEvent {
        try send(request)
        return try next(timeout: timeout)
    }
}
