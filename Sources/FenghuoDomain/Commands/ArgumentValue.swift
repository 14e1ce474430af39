/// An argument's value as it travels: text, yes/no, or a list of ids.
public enum ArgumentValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case text(String)
    case flag(Bool)
    case list([String])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Text first: nearly every argument is text, and each failed attempt costs an error.
        if let s = try? c.decode(String.self) { self = .text(s) }
        else if let b = try? c.decode(Bool.self) { self = .flag(b) }
        else if let l = try? c.decode([String].self) { self = .list(l) }
        else {
            throw DecodingError.typeMismatch(ArgumentValue.self, .init(codingPath: decoder.codingPath,
                                                                      debugDescription: "an argument is a string, a boolean or a list of strings"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .flag(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        }
    }

    public var description: String {
        switch self {
        case .text(let s): s
        case .flag(let b): b ? "true" : "false"
        case .list(let l): l.joined(separator: ",")
        }
    }
}

/// A command's name and arguments as they travel (`{"name": …, "args": {…}}`), not yet checked
/// against the command's declaration; `Command(_:)` checks them.
public struct CommandPayload: Hashable, Sendable, Codable {
    public let name: Command.Name
    public let args: [String: ArgumentValue]

    public init(name: Command.Name, args: [String: ArgumentValue]) {
        self.name = name
        self.args = args
    }
}

/// The checked arguments of one command, read by key and kind (the declaration has already
/// said each exists and has the right kind).
struct CheckedArguments {
    let values: [String: ArgumentValue]

    func text(_ key: String) -> String {
        if case .text(let s)? = values[key] { return s }
        return ""
    }

    func optionalText(_ key: String) -> String? {
        if case .text(let s)? = values[key], !s.isEmpty { return s }
        return nil
    }

    func flag(_ key: String, default value: Bool = false) -> Bool {
        if case .flag(let b)? = values[key] { return b }
        return value
    }

    func list(_ key: String) -> [String] {
        if case .list(let l)? = values[key] { return l }
        return []
    }
}
