import FenghuoProtocol
import FenghuoDomain
import Foundation
import Logging
import NIOCore
import NIOExtras
import NIOPosix

/// Serves the console on a unix socket in the agent's folder: newline-delimited JSON, one
/// request a line, answered by events (see `AgentRequest`, `AgentEvent`).
public struct AgentSocketServer: Sendable {
    /// The longest request line read: well above the largest command central takes
    /// (`ProtocolLimits.maxCommandBytes`); a longer one is answered with an error and the
    /// connection closed, so no client can make the agent buffer without end.
    public static let maxLine = 256 << 10

    let agent: Agent
    let path: String
    let logger: Logger

    public init(agent: Agent, path: String, logger: Logger) {
        self.agent = agent
        self.path = path
        self.logger = logger
    }

    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder(),
                                                                                      maximumBufferSize: Self.maxLine))
                    return Connection(channel: child, lines: try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child))
                }
            }
        chmod(path, 0o600)
        logger.info("serving the console on \(path)")
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await serve(connection) }
                }
            }
        }
    }

    /// A console's connection: its lines as an async channel, and the channel itself, which
    /// events to a subscriber are written to directly.
    struct Connection: Sendable {
        let channel: any Channel
        let lines: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    }

    private func serve(_ connection: Connection) async {
        var subscription: UUID?
        defer {
            if let subscription { Task { await agent.unsubscribe(subscription) } }
        }
        do {
            try await connection.lines.executeThenClose { inbound, outbound in
                do {
                    for try await line in inbound {
                        let request: AgentRequestLine
                        switch Result(catching: { () throws(AgentRequestLine.Problem) in try AgentRequestLine.read(Data(line.readableBytesView)) }) {
                        case .success(let line): request = line
                        case .failure(let problem):
                            switch problem {
                            case .unreadable(let why): try await send(.error(code: "bad_request", message: why), nil, outbound)
                            case .badCommand(let rejection, let id): try await send(.rejected(mutationID: nil, rejection), id, outbound)
                            }
                            continue
                        }
                        let replyTo = request.id
                        switch request.request {
                        case .status:
                            try await send(.status(await agent.status()), replyTo, outbound)
                        case .subscribe:
                            guard subscription == nil else { continue }
                            // Written from the agent's executor as each event happens; a console that
                            // stops reading loses events rather than growing the agent's memory.
                            let channel = connection.channel
                            subscription = await agent.subscribe { event in
                                guard channel.isWritable, let line = try? Self.line(event, replyTo: nil) else { return }
                                channel.writeAndFlush(line, promise: nil)
                            }
                        case .wait(let id):
                            try await send(await agent.outcome(of: id), replyTo, outbound)
                        case .login(let password):
                            // A login takes up to its timeout: answered apart, so the connection
                            // keeps serving the console's other requests meanwhile.
                            let channel = connection.channel
                            Task {
                                let answer: AgentEvent
                                do {
                                    answer = .status(try await agent.offer(password: password, from: "the console"))
                                } catch let revoked as AgentRevoked {
                                    answer = .error(code: ErrorCode.revoked.rawValue, message: revoked.description)
                                } catch {
                                    answer = .error(code: "not_waiting", message: "\(error)")
                                }
                                if let line = try? Self.line(answer, replyTo: replyTo) { channel.writeAndFlush(line, promise: nil) }
                            }
                        case .submit(let command, let baseVersion, let wait):
                            let id: Int64
                            do {
                                id = try await agent.submit(command, baseVersion: baseVersion)
                            } catch let tooLarge as CommandTooLarge {
                                try await send(.rejected(mutationID: nil, tooLarge.rejection), replyTo, outbound)
                                continue
                            } catch let revoked as AgentRevoked {
                                try await send(.rejected(mutationID: nil, revoked.rejection), replyTo, outbound)
                                continue
                            } catch {
                                try await send(.error(code: "outbox", message: "the command was not queued: \(error)"), replyTo, outbound)
                                continue
                            }
                            try await send(.queued(mutationID: id), replyTo, outbound)
                            if wait {
                                // The outcome is awaited apart, so the connection keeps serving requests.
                                let channel = connection.channel
                                Task {
                                    let outcome = await agent.outcome(of: id)
                                    if let line = try? Self.line(outcome, replyTo: replyTo) { channel.writeAndFlush(line, promise: nil) }
                                }
                            }
                        }
                    }
                } catch is ByteToMessageDecoderError.PayloadTooLargeError {
                    // Answered, then closed (leaving `executeThenClose`): the rest of the line is not read.
                    logger.notice("a console sent a request line over \(Self.maxLine) bytes; closing its connection")
                    try await send(.error(code: ErrorCode.tooLarge.rawValue,
                                          message: "request line over \(Self.maxLine) bytes (a command may be at most \(ProtocolLimits.maxCommandBytes) bytes as JSON); the connection is closed"), nil, outbound)
                }
            }
        } catch {
            logger.debug("console connection closed: \(error)")
        }
    }

    private func send(_ event: AgentEvent, _ replyTo: Int64?, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        try await outbound.write(try Self.line(event, replyTo: replyTo))
    }

    /// An event as one line of JSON.
    static func line(_ event: AgentEvent, replyTo: Int64?) throws -> ByteBuffer {
        var data = try JSONEncoder().encode(AgentEventLine(event, replyTo: replyTo))
        data.append(0x0A)
        return ByteBuffer(bytes: data)
    }
}
