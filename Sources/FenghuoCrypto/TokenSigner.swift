import COpenSSL
import Foundation

/// Signed, expiring bearer tokens: `base64url(claims JSON).base64url(HMAC-SHA256)`. Central keeps
/// the key; nobody else can mint or alter a token, and an expired one is refused.
public struct TokenSigner: Sendable {
    public struct Claims: Codable, Equatable, Sendable {
        public let username: String
        public let role: String
        public let department: String
        public let clientID: String
        public let expiresAt: Int64

        public init(username: String, role: String, department: String, clientID: String, expiresAt: Int64) {
            self.username = username
            self.role = role
            self.department = department
            self.clientID = clientID
            self.expiresAt = expiresAt
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed, badSignature, expired
        public var description: String {
            switch self {
            case .malformed: "the token is not a Fenghuo token; log in again"
            case .badSignature: "the token's signature does not match; log in again"
            case .expired: "the token has expired; log in again"
            }
        }
    }

    private let key: [UInt8]

    public init(key: [UInt8]) {
        precondition(key.count >= 32, "a token key needs at least 32 bytes")
        self.key = key
    }

    public static func randomKey() throws -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        guard RAND_bytes(&key, 32) == 1 else { throw Digest.Failure(description: "RAND_bytes failed") }
        return key
    }

    public func sign(_ claims: Claims) throws -> String {
        let payload = try JSONEncoder().encode(claims)
        return Self.base64url(Array(payload)) + "." + Self.base64url(try mac(Array(payload)))
    }

    public func verify(_ token: String, now: Date) throws(Failure) -> Claims {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let payload = Self.bytes(base64url: parts[0]), let signature = Self.bytes(base64url: parts[1]),
              let expected = try? mac(payload) else { throw .malformed }
        guard signature.count == expected.count, CRYPTO_memcmp(signature, expected, expected.count) == 0 else {
            throw .badSignature
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: Data(payload)) else { throw .malformed }
        guard Int64(now.timeIntervalSince1970) < claims.expiresAt else { throw .expired }
        return claims
    }

    private func mac(_ data: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &out, &length) != nil else {
            throw Digest.Failure(description: "HMAC-SHA256 failed")
        }
        return Array(out.prefix(Int(length)))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64url text: Substring) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }
}
