import COpenSSL
import Foundation

/// Message digests through OpenSSL's EVP interface (SM3 is the national standard digest).
public enum Digest {
    public enum Algorithm: String, Sendable { case sm3 = "SM3", sha256 = "SHA256" }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func hash(_ data: [UInt8], with algorithm: Algorithm) throws -> [UInt8] {
        guard let md = EVP_get_digestbyname(algorithm.rawValue) else {
            throw Failure(description: "OpenSSL has no \(algorithm.rawValue) digest (is OpenSSL 3 installed?)")
        }
        guard let ctx = EVP_MD_CTX_new() else { throw Failure(description: "EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestInit_ex(ctx, md, nil) == 1,
              data.withUnsafeBytes({ EVP_DigestUpdate(ctx, $0.baseAddress, $0.count) }) == 1,
              EVP_DigestFinal_ex(ctx, &out, &length) == 1 else {
            throw Failure(description: "\(algorithm.rawValue) digest failed")
        }
        return Array(out.prefix(Int(length)))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
