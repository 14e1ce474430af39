/// A position in central's change feed: the epoch of its history and the last sequence number
/// read. On the wire it is one string, `EPOCH:SEQ`.
public struct FeedCursor: Hashable, Sendable, Codable, CustomStringConvertible {
    public let epoch: String
    public let seq: Int64

    public init(epoch: String, seq: Int64) {
        self.epoch = epoch
        self.seq = seq
    }

    /// `EPOCH:SEQ`; nil for anything else (an empty epoch, a negative or missing number).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let seq = Int64(parts[1]), seq >= 0 else { return nil }
        self.init(epoch: String(parts[0]), seq: seq)
    }

    public var description: String { "\(epoch):\(seq)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let cursor = FeedCursor(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "cursor must be EPOCH:SEQ, got '\(text)'"))
        }
        self = cursor
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
