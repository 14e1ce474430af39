import ArgumentParser
import Foundation

/// Ends a child process when the process that started it is gone (even after kill -9), so a
/// demo never leaves servers behind.
public enum ParentWatch {
    public static func start(_ parent: Int32?) {
        guard let parent else { return }
        let thread = Thread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
            exit(0)
        }
        thread.start()
    }
}

public enum FreePort {
    /// A port the kernel says is free now (bound to 0, read back, released).
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw ValidationError("cannot find a free port on 127.0.0.1; pass --port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}


/// Files of the project the binaries read at run time.
public enum ProjectFiles {
    /// `Themes/`: `FENGHUO_THEMES`, else in the current folder, else beside the sources built.
    public static func themes() -> URL {
        if let path = ProcessInfo.processInfo.environment["FENGHUO_THEMES"] { return URL(fileURLWithPath: path) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Themes")
        if FileManager.default.fileExists(atPath: cwd.path) { return cwd }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Themes")
    }
}
