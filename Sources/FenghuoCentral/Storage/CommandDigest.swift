import FenghuoCrypto
import FenghuoDomain
import Foundation

extension CommandEnvelope {
    /// SHA-256 over the command as it was sent (name, base version, arguments in key order),
    /// each part length-prefixed so no two commands share an encoding. Central keeps it per
    /// mutation: a retried upload carries the same bytes; a different command under a used
    /// mutation id is refused, never answered as a duplicate (which a console reads as applied).
    func contentDigest() throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        func part(_ text: String) {
            let utf8 = Array(text.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        part(name)
        part(baseVersion.map(String.init) ?? "-")
        for key in args.keys.sorted() {
            part(key)
            switch args[key]! {
            case .text(let text): part("t"); part(text)
            case .flag(let flag): part("f"); part(flag ? "1" : "0")
            case .list(let items): part("l"); part(String(items.count)); items.forEach(part)
            }
        }
        return try Digest.hash(bytes, with: .sha256)
    }
}
