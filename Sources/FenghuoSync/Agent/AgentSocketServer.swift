import FenghuoDomain
import Foundation
import Logging
import NIOCore
import NIOExtras
import NIOPosix

/// Serves the console on a unix socket in the agent's folder: newline-delimited JSON, one
/// request a line, answered by events (see `AgentRequest`, `AgentEvent`).
public struct AgentSocketServer: Sendable {
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
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
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
                for try await line in inbound {
                    let request: AgentRequest
                    do {
                        request = try JSONDecoder().decode(AgentRequest.self, from: Data(line.readableBytesView))
                    } catch {
                        try await send(AgentEvent(kind: .error, code: "bad_request",
                                                  message: "each line must be a JSON request like {\"op\":\"status\"}: \(error)"),
                                       outbound)
                        continue
                    }
                    switch request.op {
                    case .status:
                        try await send(AgentEvent(kind: .status, status: await agent.status()), outbound)
                    case .subscribe:
                        guard subscription == nil else { continue }
                        // Written from the agent's executor as each event happens; a console that
                        // stops reading loses events rather than growing the agent's memory.
                        let channel = connection.channel
                        subscription = await agent.subscribe { event in
                            guard channel.isWritable, let line = try? Self.line(event) else { return }
                            channel.writeAndFlush(line, promise: nil)
                        }
                    case .wait:
                        guard let id = request.mutationID else {
                            try await send(AgentEvent(kind: .error, code: "bad_request", message: "wait needs mutationID"), outbound)
                            continue
                        }
                        try await send(await agent.outcome(of: id), outbound)
                    case .submit:
                        guard let name = request.name else {
                            try await send(AgentEvent(kind: .error, code: "bad_request", message: "submit needs name"), outbound)
                            continue
                        }
                        let id: Int64
                        do {
                            id = try await agent.submit(name: name, args: request.args ?? [:], baseVersion: request.baseVersion)
                        } catch let rejection as CommandRejection {
                            try await send(AgentEvent(kind: .rejected, code: rejection.code.rawValue, message: rejection.message), outbound)
                            continue
                        } catch {
                            try await send(AgentEvent(kind: .error, code: "outbox", message: "the command was not queued: \(error)"), outbound)
                            continue
                        }
                        try await send(AgentEvent(kind: .queued, mutationID: id), outbound)
                        if request.wait == true { try await send(await agent.outcome(of: id), outbound) }
                    }
                }
            }
        } catch {
            logger.debug("console connection closed: \(error)")
        }
    }

    private func send(_ event: AgentEvent, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        try await outbound.write(try Self.line(event))
    }

    /// An event as one line of JSON.
    static func line(_ event: AgentEvent) throws -> ByteBuffer {
        var data = try JSONEncoder().encode(event)
        data.append(0x0A)
        return ByteBuffer(bytes: data)
    }
}
