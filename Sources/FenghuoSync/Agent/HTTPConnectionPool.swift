import FenghuoProtocol
import Foundation
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Plain HTTP/1.1 to one host over keep-alive connections on SwiftNIO's event loop. The agent
/// talks to central many times a second (a long-poll answered per commit); URLSession on Linux
/// spent about half a millisecond of CPU and several thread hand-offs on every request, which
/// twenty agents on one machine could not afford. A connection carries one request at a time;
/// the pool keeps a few idle ones for the next.
final class HTTPConnectionPool: @unchecked Sendable {
    struct Request: Sendable {
        let head: HTTPRequestHead
        let body: ByteBuffer?
    }

    struct Response: Sendable {
        let status: Int
        let body: ByteBuffer
    }

    enum Failure: Error, CustomStringConvertible {
        case timedOut(TimeAmount)
        case closed
        case cannotConnect(String, String)
        case tls(String, String)
        /// Given up by the agent before an answer came (`abandonAll`): central stopped answering.
        case abandoned(String)

        var description: String {
            switch self {
            case .cannotConnect(let target, let why): "cannot connect to \(target) (\(why)); is central running there?"
            case .tls(let target, let why): "TLS with \(target) failed: \(why)"
            case .timedOut(let t): "no answer within \(t.nanoseconds / 1_000_000_000) s"
            case .closed: "the connection closed before an answer"
            case .abandoned(let why): why
            }
        }
    }

    let host: String
    let port: Int
    /// Prefix of every request's path (the base URL's path, ending in "/").
    let root: String
    /// TLS for `https://` (nil: plain HTTP, loopback only) and the name to check central's
    /// certificate for (nil: its IP entries are checked against the address connected to).
    private let tls: NIOSSLContext?
    private let serverHostname: String?
    private let group: any EventLoopGroup
    private let lock = NSLock()
    private var idle: [any Channel] = []
    /// Requests sent and not yet answered, by connection: what `abandonAll` fails. Probes
    /// (`counted: false`) are left out of `waitingCount`.
    private var waiting: [ObjectIdentifier: (channel: any Channel, promise: EventLoopPromise<NIOHTTPClientResponseFull>, counted: Bool)] = [:]
    /// When the last answer of any kind arrived (monotonic), for the agent's heartbeat.
    private var lastAnswer = NIODeadline.now()
    static let maxIdle = 4
    /// Largest answer accepted (a snapshot page of 50,000 rows fits).
    static let maxAnswer = 256 << 20

    init(host: String, port: Int, root: String, tls: NIOSSLContext? = nil, serverHostname: String? = nil,
         group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.root = root.hasSuffix("/") ? root : root + "/"
        self.tls = tls
        self.serverHostname = serverHostname
        self.group = group
    }

    deinit {
        for channel in idle { channel.close(promise: nil) }
    }

    /// Sends one request and returns the whole answer. A request on a reused connection that
    /// the server had closed meanwhile is sent once more on a fresh one (every call central
    /// takes is safe to repeat: reads, and pushes deduplicated by mutation id).
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: [UInt8]?,
              timeout: TimeAmount, counted: Bool = true) async throws -> Response {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: root + path)
        head.headers.add(name: "Host", value: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        var buffer: ByteBuffer?
        if let body {
            head.headers.add(name: "Content-Length", value: String(body.count))
            buffer = ByteBuffer(bytes: body)
        } else if method == .POST {
            head.headers.add(name: "Content-Length", value: "0")
        }
        let request = Request(head: head, body: buffer)
        if let channel = takeIdle() {
            do {
                return try await send(request, on: channel, timeout: timeout, counted: counted)
            } catch Failure.timedOut(let t) {
                throw Failure.timedOut(t)
            } catch Failure.abandoned(let why) {
                throw Failure.abandoned(why)
            } catch {
                // Closed while idle: fall through to a fresh connection.
            }
        }
        return try await send(request, on: try await connect(), timeout: timeout, counted: counted)
    }

    /// Requests out and not answered yet, probes left out.
    var waitingCount: Int { lock.withLock { waiting.values.filter(\.counted).count } }

    /// Seconds since central last answered anything on any connection.
    var secondsSinceAnswer: Double {
        Double((NIODeadline.now() - lock.withLock { lastAnswer }).nanoseconds) / 1e9
    }

    /// Fails every request still waiting with `why` and closes every connection, idle ones too:
    /// the agent's heartbeat found central silent, and a long-poll on a paused server would
    /// otherwise wait out its whole timeout.
    func abandonAll(_ why: String) {
        let (busy, spare) = lock.withLock { () -> ([(any Channel, EventLoopPromise<NIOHTTPClientResponseFull>)], [any Channel]) in
            defer {
                waiting.removeAll()
                idle.removeAll()
            }
            return (waiting.values.map { ($0.channel, $0.promise) }, idle)
        }
        for (channel, promise) in busy {
            promise.fail(Failure.abandoned(why))
            channel.close(promise: nil)
        }
        for channel in spare { channel.close(promise: nil) }
    }

    private func send(_ request: Request, on channel: any Channel, timeout: TimeAmount, counted: Bool) async throws -> Response {
        let promise = channel.eventLoop.makePromise(of: NIOHTTPClientResponseFull.self)
        let key = ObjectIdentifier(channel)
        lock.withLock { waiting[key] = (channel, promise, counted) }
        // The timer is armed, the request written and the timer disarmed on the event loop
        // itself: from another thread each of those would wake the loop once more. The timer
        // fails the answer before it closes the connection, so a timeout says so.
        channel.eventLoop.execute {
            let timer = channel.eventLoop.scheduleTask(in: timeout) {
                promise.fail(Failure.timedOut(timeout))
                channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            // A write that fails (the connection closed meanwhile) fails the answer too, so no
            // caller waits on a request that never left. (A promise completes once; later
            // completions are ignored.)
            channel.writeAndFlush((request, promise)).whenFailure { promise.fail($0) }
        }
        let full: NIOHTTPClientResponseFull
        do {
            full = try await promise.futureResult.get()
        } catch {
            lock.withLock { _ = waiting.removeValue(forKey: key) }
            channel.close(promise: nil)
            if case Failure.abandoned = error { throw error }
            if error is NIOExtrasErrors.ClosedBeforeReceivingResponse { throw Failure.closed }
            if let why = Self.tlsFailure(error) { throw Failure.tls("\(host):\(port)", why) }
            throw error
        }
        // Forgotten before the connection can carry another request.
        lock.withLock {
            waiting.removeValue(forKey: key)
            lastAnswer = NIODeadline.now()
        }
        if full.head.isKeepAlive, channel.isActive {
            putIdle(channel)
        } else {
            channel.close(promise: nil)
        }
        return Response(status: Int(full.head.status.code), body: full.body ?? ByteBuffer())
    }

    private func connect() async throws -> any Channel {
        do {
            return try await bootstrap()
        } catch let error as NIOConnectionError {
            let why = error.connectionErrors.first.map { "\($0.error)" } ?? error.dnsAError.map { "\($0)" } ?? "\(error)"
            throw Failure.cannotConnect("\(host):\(port)", why)
        } catch ChannelError.connectTimeout {
            throw Failure.cannotConnect("\(host):\(port)", "no connection within 10 s")
        }
    }

    private func bootstrap() async throws -> any Channel {
        try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [tls, serverHostname] channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname)) }
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(NIOHTTPClientResponseAggregator(maxContentLength: Self.maxAnswer))
                    try sync.addHandler(RequestPartsEncoder())
                    try sync.addHandler(RequestResponseHandler<Request, NIOHTTPClientResponseFull>())
                }
            }
            .connect(host: host, port: port)
            .get()
    }

    /// Words for a failed handshake, or nil when `error` is not about TLS.
    static func tlsFailure(_ error: any Error) -> String? {
        let text = "\(error)"
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "central's certificate is not for this host name or address (\(text))"
        }
        guard error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError else { return nil }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "central's certificate is not signed by a trusted CA (is --ca-file the CA that signed it?)"
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("uncleanShutdown") {
            return "the other side does not speak TLS (is central started with --tls-cert, or is this URL http://?)"
        }
        return text
    }

    private func takeIdle() -> (any Channel)? {
        lock.withLock {
            while let channel = idle.popLast() {
                if channel.isActive { return channel }
            }
            return nil
        }
    }

    private func putIdle(_ channel: any Channel) {
        let extra = lock.withLock { () -> (any Channel)? in
            guard idle.count < Self.maxIdle else { return channel }
            idle.append(channel)
            return nil
        }
        extra?.close(promise: nil)
    }
}

/// Writes one whole request as HTTP/1.1 parts.
private final class RequestPartsEncoder: ChannelOutboundHandler {
    typealias OutboundIn = HTTPConnectionPool.Request
    typealias OutboundOut = HTTPClientRequestPart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }
}
