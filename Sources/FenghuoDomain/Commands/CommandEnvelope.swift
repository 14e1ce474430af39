/// One write as it is pushed to central: who (client), which of its writes (strictly increasing
/// mutation id), what (a command's name and arguments) and, for state changes, the version of
/// the record the user was looking at. The name stays text here so that central can tell an
/// unknown command (a broken client) from a refused one.
public struct CommandEnvelope: Codable, Hashable, Sendable {
    public let clientID: String
    public let mutationID: Int64
    public let name: String
    public let args: [String: ArgumentValue]
    public let baseVersion: Int?

    public init(clientID: String, mutationID: Int64, command: Command, baseVersion: Int? = nil) {
        let payload = command.payload
        self.init(clientID: clientID, mutationID: mutationID, name: payload.name.rawValue, args: payload.args,
                  baseVersion: baseVersion)
    }

    public init(clientID: String, mutationID: Int64, name: String, args: [String: ArgumentValue], baseVersion: Int? = nil) {
        self.clientID = clientID
        self.mutationID = mutationID
        self.name = name
        self.args = args
        self.baseVersion = baseVersion
    }

    /// The typed command, checked against its declaration.
    public func command() throws(CommandRejection) -> Command {
        // The name as sent, cut to what a rejection row and a message should carry.
        guard let name = Command.Name(rawValue: name) else { throw CommandRejection(.unknownCommand(name: String(name.unicodeScalars.prefix(64)))) }
        return try Command(CommandPayload(name: name, args: args))
    }
}
