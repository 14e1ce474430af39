import Foundation
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Central's HTTPS: a PEM certificate chain and its private key, checked when central starts
/// so a mistake is a clear message then, not a handshake failure at every console later.
public struct CentralTLS: Sendable {
    let configuration: TLSConfiguration

    /// What is wrong with the files given to `--tls-cert` and `--tls-key`.
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case unreadable(flag: String, path: String, why: String)
        case noCertificate(path: String, why: String)
        case badKey(path: String, why: String)
        case keyOpenToOthers(path: String, mode: String)
        case mismatch(certificate: String, key: String, why: String)

        public var description: String {
            switch self {
            case .unreadable(let flag, let path, let why): "\(flag) \(path): cannot read it (\(why))."
            case .noCertificate(let path, let why):
                "--tls-cert \(path): no PEM certificate in it (\(why)); give the server's certificate first, then any intermediates, as -----BEGIN CERTIFICATE----- blocks."
            case .badKey(let path, let why):
                "--tls-key \(path): not a PEM private key (\(why)); give the unencrypted key that goes with --tls-cert."
            case .keyOpenToOthers(let path, let mode):
                "--tls-key \(path) can be read by other users (mode \(mode)); whoever reads it can pose as central. Run `chmod 600 \(path)` and start again."
            case .mismatch(let certificate, let key, let why):
                "--tls-cert \(certificate) and --tls-key \(key) do not go together: the key is not the one the certificate was issued for (\(why))."
            }
        }
    }

    /// A server configuration (TLS 1.2 or newer) from the two files, or the first problem found.
    public init(certificate: String, key: String) throws(Problem) {
        for (flag, path) in [("--tls-cert", certificate), ("--tls-key", key)] where access(path, R_OK) != 0 {
            throw .unreadable(flag: flag, path: path, why: String(cString: strerror(errno)))
        }
        var info = stat()
        if stat(key, &info) == 0, info.st_mode & 0o077 != 0 {
            throw .keyOpenToOthers(path: key, mode: String(info.st_mode & 0o777, radix: 8))
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw .noCertificate(path: certificate, why: "\(error)")
        }
        guard !chain.isEmpty else { throw .noCertificate(path: certificate, why: "the file is empty") }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw .badKey(path: key, why: "\(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        // Making the context loads both into BoringSSL, which checks that the key is the certificate's.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .mismatch(certificate: certificate, key: key, why: "\(error)")
        }
        self.configuration = configuration
    }
}
