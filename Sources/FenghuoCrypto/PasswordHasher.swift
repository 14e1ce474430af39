import COpenSSL
import Foundation

/// Salted PBKDF2-HMAC-SHA256 password hashes in a self-describing text form:
/// `pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX`, so the cost can rise without a migration.
public struct PasswordHasher: Sendable {
    public let iterations: Int

    /// 210,000 iterations is OWASP's 2023 advice for PBKDF2-HMAC-SHA256.
    public init(iterations: Int = 210_000) {
        precondition((1...Int(Int32.max)).contains(iterations))
        self.iterations = iterations
    }

    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&salt, Int32(salt.count)) == 1 else {
            throw Digest.Failure(description: "RAND_bytes failed: the system has no entropy source")
        }
        let key = try derive(password, salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(Digest.hex(salt))$\(Digest.hex(key))"
    }

    /// Whether `password` matches `stored`; a malformed stored hash never matches.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), (1...Int(Int32.max)).contains(rounds),
              let salt = Self.bytes(fromHex: parts[2]), let expected = Self.bytes(fromHex: parts[3]), (32...64).contains(expected.count),
              let key = try? derive(password, salt: salt, iterations: rounds, length: expected.count) else {
            return false
        }
        // Constant-time comparison: the time taken says nothing about where the bytes differ.
        return CRYPTO_memcmp(key, expected, key.count) == 0
    }

    private func derive(_ password: String, salt: [UInt8], iterations: Int, length: Int = 32) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let utf8 = Array(password.utf8)
        let ok = utf8.withUnsafeBufferPointer { pw in
            pw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(pw.count, 1)) { p in
                PKCS5_PBKDF2_HMAC(p, Int32(pw.count), salt, Int32(salt.count), Int32(iterations),
                                  EVP_sha256(), Int32(length), &out)
            }
        }
        guard ok == 1 else { throw Digest.Failure(description: "PBKDF2 failed") }
        return out
    }

    static func bytes(fromHex hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0, !hex.isEmpty else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
