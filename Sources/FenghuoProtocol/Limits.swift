/// The sizes both sides agree on. An agent refuses to queue what central would never accept,
/// and splits its pushes to fit a body.
public enum ProtocolLimits {
    /// Largest request body central reads (a push batch, a login).
    public static let maxBody = 1 << 20
    /// Largest single command, as its JSON envelope: far above any declared argument limits
    /// (the longest text is 4,000 characters), far below a body.
    public static let maxCommandBytes = 64 << 10
    /// A client id: what central issues or accepts (`c-` and a UUID): ASCII letters, digits, `-`.
    public static let maxClientID = 64
    /// A user name and a password at login.
    public static let maxUsername = 64
    public static let maxPassword = 256

    /// Whether a client id is made of the characters central accepts: nothing a pattern or a
    /// scope list could read as syntax (`%`, `_`, `,`), no control characters.
    public static func isValidClientID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxClientID
            && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }
    }
}
