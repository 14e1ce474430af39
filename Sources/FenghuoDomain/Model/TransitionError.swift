/// A life-cycle step that the rules refuse: which record, which step, from which state, and why.
public struct TransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let entity: String
    public let id: String
    public let event: String
    public let from: String
    public let reason: String

    public init(entity: String, id: String, event: String, from: String, reason: String) {
        self.entity = entity
        self.id = id
        self.event = event
        self.from = from
        self.reason = reason
    }

    public var description: String {
        "\(entity) \(id): cannot \(event) while \(from): \(reason)"
    }
}
