import Foundation
import Hummingbird
import NIOCore

/// A request's context on central: Hummingbird's core plus the connection it came on, for the
/// peer's address (login throttling, the audit log) and for noticing a client that went away
/// in the middle of a long-poll.
public struct CentralContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The peer (nil for an in-process test).
    public var remoteAddress: SocketAddress? { channel.remoteAddress }
}

/// Set once a connection has closed: a long-poll whose client hung up stops waiting.
final class ConnectionGone: @unchecked Sendable {
    private let lock = NSLock()
    private var gone = false

    init(_ channel: any Channel) {
        channel.closeFuture.whenComplete { [self] _ in lock.withLock { gone = true } }
    }

    var isGone: Bool { lock.withLock { gone } }
}
