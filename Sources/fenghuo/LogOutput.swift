import FenghuoDomain
import Foundation
import Logging

/// Where every process's log lines go: standard error (the demo and the benchmarks send it to
/// a file), each line masked by `SensitiveText` first, so no phone or identity-card number,
/// token or password reaches a log file, whichever logger wrote it (ours, Hummingbird's, NIO's).
enum LogOutput {
    /// Sets swift-log's handler once for the process: the stream handler's usual format, on
    /// the masking stream.
    static func bootstrap(level: Logger.Level = .info) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler(label: label, stream: MaskedStandardError())
            handler.logLevel = level
            return handler
        }
    }
}

/// Standard error, with each text masked before it is written (a log line is one write).
struct MaskedStandardError: TextOutputStream, Sendable {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(SensitiveText.masked(string).utf8))
    }
}
