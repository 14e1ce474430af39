/// One write, as a console sends it: who (client), which of its writes (strictly increasing
/// mutation id), what (a named command with text arguments) and, for state changes, the version
/// of the record the user was looking at.
public struct CommandEnvelope: Codable, Hashable, Sendable {
    public let clientID: String
    public let mutationID: Int64
    public let name: String
    public let args: [String: String]
    public let baseVersion: Int?

    public init(clientID: String, mutationID: Int64, name: String, args: [String: String], baseVersion: Int? = nil) {
        self.clientID = clientID
        self.mutationID = mutationID
        self.name = name
        self.args = args
        self.baseVersion = baseVersion
    }
}

/// The commands central knows, by name: what a console may queue.
public enum CommandCatalog {
    public static let names = ["createIncident", "dispatch", "resolveIncident", "closeIncident", "cancelIncident",
                               "updateUnitStatus", "createTicket", "transferTicket", "acceptTicket", "returnTicket",
                               "replyTicket", "recordCallback", "createApproval", "startReview", "signOff"]
}

/// Why central refused a command; the reason travels back to the console that sent it.
public struct CommandRejection: Error, Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Codable, Sendable {
        case unknownCommand = "unknown_command"
        case badArgument = "bad_argument"
        case notFound = "not_found"
        case staleVersion = "stale_version"
        case illegalTransition = "illegal_transition"
        case forbidden
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// Typed access to a command's text arguments, each failure naming the argument.
public struct CommandArguments: Sendable {
    public let command: String
    public let values: [String: String]

    public init(command: String, values: [String: String]) {
        self.command = command
        self.values = values
    }

    public func text(_ key: String) throws(CommandRejection) -> String {
        guard let value = values[key].map(Self.trimmed), !value.isEmpty else {
            throw CommandRejection(.badArgument, "\(command) needs \(key)=…")
        }
        return value
    }

    public func optionalText(_ key: String) -> String? {
        values[key].map(Self.trimmed).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value without surrounding white space; most values have none, and are returned as
    /// they are without Foundation's scan.
    static func trimmed(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return value }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func list(_ key: String) throws(CommandRejection) -> [String] {
        let items = try text(key).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw CommandRejection(.badArgument, "\(command) needs \(key)=A,B,…") }
        return items
    }

    public func bool(_ key: String) throws(CommandRejection) -> Bool {
        switch try text(key).lowercased() {
        case "true", "yes", "1", "是": return true
        case "false", "no", "0", "否": return false
        default: throw CommandRejection(.badArgument, "\(command): \(key) must be true or false, not '\(values[key] ?? "")'")
        }
    }

    public func choice<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type = E.self) throws(CommandRejection) -> E
    where E.RawValue == String {
        let raw = try text(key)
        guard let value = E(rawValue: raw) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw CommandRejection(.badArgument, "\(command): \(key)='\(raw)' is not one of \(allowed)")
        }
        return value
    }
}
