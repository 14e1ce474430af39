import Foundation
import Hummingbird
import NIOCore

/// What the HTTP handlers add to the audit log (logins); commands are audited by the store,
/// in their own transaction.
extension CentralServer {
    /// Appends `entry` off the handler threads (it waits for the writer) and fails the request
    /// if the entry cannot be written: an unaudited login is not let through.
    func audit(_ entry: AuditEntry) async throws {
        let storage = storage
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { continuation.resume(with: Result { try storage.audit(entry) }) }
        }
    }

    /// The peer's IP address, when the request context knows it (a context conforming to
    /// `RemoteAddressRequestContext`); empty otherwise.
    static func address(of context: some RequestContext) -> String {
        guard let address = (context as? any RemoteAddressRequestContext)?.remoteAddress else { return "" }
        return address.ipAddress ?? address.pathname ?? ""
    }
}
