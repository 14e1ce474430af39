import FenghuoProtocol
import Foundation
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Where central is and how to reach it: `http://` on loopback, `https://` anywhere, checking
/// central's certificate against the system's roots or the CA in `--ca-file`. Checked once
/// when the agent starts, so a wrong URL or CA file is a message then, not retries forever.
public struct CentralEndpoint: Sendable {
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case notAURL(String)
        case plainOverNetwork(host: String)
        case caFileWithPlain(String)
        case unreadableCAFile(path: String, why: String)
        case noCertificateInCAFile(path: String, why: String)

        public var description: String {
            switch self {
            case .notAURL(let text):
                "--central '\(text)' is not a URL like http://127.0.0.1:8480 or https://central.example:8480."
            case .plainOverNetwork(let host):
                """
                --central http://\(host) is not on this machine, and over plain HTTP the password and every token would \
                cross the network in clear. Use https:// (central started with --tls-cert and --tls-key, or behind a TLS \
                reverse proxy) and, unless its certificate is signed by a CA this system trusts, --ca-file with that CA.
                """
            case .caFileWithPlain(let path):
                "--ca-file \(path) is for https:// only; --central is http:// (loopback), so no certificate is checked. Drop one of the two."
            case .unreadableCAFile(let path, let why): "--ca-file \(path): cannot read it (\(why))."
            case .noCertificateInCAFile(let path, let why):
                "--ca-file \(path): no PEM certificate in it (\(why)); give the CA certificate that signed central's, as a -----BEGIN CERTIFICATE----- block."
            }
        }
    }

    public let url: URL
    let host: String
    let port: Int
    /// Prefix of every request's path, ending in "/".
    let root: String
    /// The client side of TLS for `https://`; nil for plain HTTP on loopback.
    let tls: NIOSSLContext?

    public init(url: URL, caFile: String? = nil) throws(Problem) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { throw .notAURL(url.absoluteString) }
        self.url = url
        self.host = host
        root = url.path.isEmpty ? "/" : (url.path.hasSuffix("/") ? url.path : url.path + "/")
        if scheme == "http" {
            guard Loopback.contains(host: host) else { throw .plainOverNetwork(host: url.port.map { "\(host):\($0)" } ?? host) }
            if let caFile { throw .caFileWithPlain(caFile) }
            port = url.port ?? 80
            tls = nil
            return
        }
        port = url.port ?? 443
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            guard access(caFile, R_OK) == 0 else { throw .unreadableCAFile(path: caFile, why: String(cString: strerror(errno))) }
            let roots: [NIOSSLCertificate]
            do {
                roots = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw .noCertificateInCAFile(path: caFile, why: "\(error)")
            }
            guard !roots.isEmpty else { throw .noCertificateInCAFile(path: caFile, why: "the file is empty") }
            configuration.trustRoots = .certificates(roots)
        }
        do {
            tls = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .noCertificateInCAFile(path: caFile ?? "(system roots)", why: "\(error)")
        }
    }

    /// The name the certificate must carry: a DNS name is sent for SNI and checked; for an IP
    /// address NIOSSL checks the certificate's IP entries against the peer's address.
    var serverHostname: String? {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let isAddress = bare.contains(":") || bare.split(separator: ".").allSatisfy { UInt8($0) != nil }
        return isAddress ? nil : bare
    }
}
