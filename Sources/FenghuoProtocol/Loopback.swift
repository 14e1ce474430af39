/// Whether a host name or address stays on this machine. Plain HTTP is allowed there only:
/// anywhere else a password or a token would cross a network in clear, so central will not
/// listen there without TLS and the agent will not talk to it without TLS.
public enum Loopback {
    /// `localhost`, any address in 127.0.0.0/8, `::1` (with or without brackets).
    public static func contains(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ $0.count <= 3 && UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
