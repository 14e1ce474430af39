import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for servers the tests start as separate processes (which cannot be told to
/// bind port 0 and report back). Ports come from below the kernel's ephemeral range
/// (32768–60999 on Linux), so no outgoing connection and no `bind(0)` of another test holds
/// one, and from one counter for the whole test process, so two tests running at the same
/// time never get the same port: a random pick let a second central fail to bind while its
/// health check was answered by the first.
public enum LoopbackPorts {
    private static let lock = NSLock()
    private nonisolated(unsafe) static var next = 20_000 + Int(getpid() % 500) * 20

    /// A port no other test in this process was given and that nothing listens on right now.
    public static func fresh() -> Int {
        lock.withLock {
            while true {
                let port = next
                next = next >= 32_700 ? 20_000 : next + 1
                if bindable(port) { return port }
            }
        }
    }

    private static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
