import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A password file's first line, as `fenghuo agent --password-file` reads it; nil when the file
/// cannot be read or its first line is empty.
enum PasswordFile {
    static func firstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty else { return nil }
        return String(line)
    }
}

/// A password typed on the agent's terminal, not echoed. The read blocks, so it runs on a
/// thread of its own; nil at the end of input.
enum TerminalPassword {
    static func ask(_ prompt: String) async -> String? {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: read(prompt)) }
            thread.name = "agent-password-prompt"
            thread.start()
        }
    }

    private static func read(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(("\n" + prompt).utf8))
        var saved = termios()
        let isTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
