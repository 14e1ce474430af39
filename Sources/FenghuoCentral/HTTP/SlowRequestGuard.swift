import Hummingbird
import HummingbirdTLS
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body does not arrive in time. A request's head must
/// arrive within the idle timeout (Hummingbird closes a connection that sends no complete head),
/// but once the head is in, nothing bounds the body: 100 clients each sending one byte a second
/// held 100 connections open. Placed after the HTTP decoder, this sees each request's parts.
///
/// It also has a connection closed when its client hung up (by `HangUpWatcher`). Hummingbird allows half-closed
/// connections, so a client's FIN only reaches the pipeline as `inputClosed` and the connection
/// stays open: a long-poll whose client went away waited out its 30 s (`ConnectionGone` watches
/// the close). No client of central half-closes and waits for an answer; the agent never does,
/// and every call it makes is safe to repeat.
final class SlowRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let bodyTimeout: TimeAmount
    private var timer: Scheduled<Void>?

    init(bodyTimeout: TimeAmount) { self.bodyTimeout = bodyTimeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: bodyTimeout) { context.close(promise: nil) }
        case .body:
            break
        case .end:
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    /// The hang-up is watched at the front of the pipeline, not here: NIO's HTTP pipeline
    /// handler holds an `inputClosed` that arrives while a request is being answered (a FIN
    /// that came with the request, before central read it) until the answer is written, so a
    /// long-poll whose client sent and hung up at once still waited its 30 s.
    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(HangUpWatcher(), position: .first)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }
}

/// Closes the connection when its client half-closes (see `SlowRequestGuard`). First in the
/// pipeline, below TLS and HTTP, so no handler above can hold the event back.
final class HangUpWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension CentralServer {
    /// How long a connection may sit without a complete request head (also between requests
    /// on a kept-alive connection), and how long a body may take once its head is in.
    public static let headerTimeout: TimeAmount = .seconds(15)
    public static let bodyTimeout: TimeAmount = .seconds(30)

    /// HTTP/1.1 with those timeouts, for `Application(server:)`, inside TLS when given. The
    /// idle timer sits above TLS, so a connection that never finishes its handshake is cut
    /// off like one that never sends a head.
    public static func http1(headerTimeout: TimeAmount = headerTimeout, bodyTimeout: TimeAmount = bodyTimeout,
                             tls: CentralTLS? = nil) throws -> HTTPServerBuilder {
        let plain = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [SlowRequestGuard(bodyTimeout: bodyTimeout)],
                                                                 idleTimeout: headerTimeout))
        guard let tls else { return plain }
        return try .tls(plain, tlsConfiguration: tls.configuration)
    }
}
