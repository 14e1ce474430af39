/// A record's id, typed by the kind of record it names, so an incident's id cannot be passed
/// where a unit's is expected. On the wire and in the store it is the plain text.
public struct Identifier<Subject>: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

extension Incident { public typealias ID = Identifier<Incident> }
extension ResponseUnit { public typealias ID = Identifier<ResponseUnit> }
extension Ticket { public typealias ID = Identifier<Ticket> }
extension ApprovalCase { public typealias ID = Identifier<ApprovalCase> }

/// A text in both of the console's languages, for declarations (commands, arguments, choices).
public struct LocalizedText: Hashable, Sendable, Codable {
    public let zh: String
    public let en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
}
