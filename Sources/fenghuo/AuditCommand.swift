import ArgumentParser
import FenghuoCentral
import FenghuoTUI
import Foundation
import GRDB

/// `fenghuo audit verify|show`: central's audit log, read from its data folder without
/// changing a byte (the store is opened read-only, so a copy taken as evidence can be checked).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Central's audit log: check its SM3 hash chain, list its entries.",
        discussion: """
            Every command central applies or rejects, every login (and failed login), scope change and \
            compaction is appended to an audit log in central.sqlite, each entry hashed with SM3 over its \
            fields and the previous entry's hash. Safe while central is serving.
            """,
        subcommands: [Verify.self, Show.self])

    /// Central's store in `data`, opened for reading only.
    static func open(_ data: String) throws -> DatabaseQueue {
        let path = Central.DataFolder(path: data).database
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no central store in \(data) (no central.sqlite): give the folder of `fenghuo central init --data DIR`.")
        }
        var config = Configuration()
        config.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            guard try queue.read({ try $0.tableExists("audit_log") }) else {
                throw ValidationError("\(path) has no audit log yet (made by an older fenghuo): run `fenghuo central serve --data \(data)` once to add it.")
            }
        } catch let error as DatabaseError {
            throw ValidationError("cannot read \(path): \(error.message ?? "\(error)") (is it a central store, and readable by you?)")
        }
        return queue
    }

    static func language(_ lang: String) throws -> Bool {
        switch lang {
        case "zh": return true
        case "en": return false
        default: throw ValidationError("--lang '\(lang)' is not zh or en.")
        }
    }
}

// MARK: verify

extension AuditCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the whole hash chain; name the first edited, deleted, inserted or moved entry.",
            discussion: """
                Exit status: 0 the chain is intact (the count and the head hash are printed: keep the head \
                elsewhere and pass it as --head next time, which also finds entries cut from the end); \
                2 the chain is broken (the first bad entry is named); 1 the log could not be read.
                """)

        @Option(name: .long, help: "Central's data folder (made by `fenghuo central init`).")
        var data: String

        @Option(name: .long, help: "A head hash printed by an earlier verify: it must still be in the chain.")
        var head: String?

        @Option(name: .long, help: "Language of the messages: zh (default) or en.")
        var lang: String = "zh"

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func validate() throws {
            if let head, head.count != 64 || !head.allSatisfy(\.isHexDigit) {
                throw ValidationError("--head '\(head.prefix(80))' is not a hash: give the 64 hex digits a verify printed.")
            }
        }

        func run() throws {
            let zh = try AuditCommand.language(lang)
            let queue = try AuditCommand.open(data)
            let onTerminal = isatty(STDERR_FILENO) == 1
            // Long chains report as they go: every 10,000 entries on a terminal, every 100,000 in a log.
            let progress: (Int64, Int64) -> Void = { done, total in
                guard total >= 100_000, onTerminal || done % 100_000 == 0 || done == total else { return }
                let line = zh ? "已核对 \(done)/\(total) 条" : "checked \(done)/\(total) entries"
                FileHandle.standardError.write(Data((onTerminal ? "\r\(line)" : line + "\n").utf8))
                if onTerminal, done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
            let head = head?.lowercased()
            let result = try queue.read { try AuditLog.verify(in: $0, head: head, progress: progress) }
            switch result {
            case .intact(let count, let head):
                if json { return try printJSON(["intact": true, "count": count, "head": head]) }
                print(zh ? "审计链完好：\(count) 条，链头 \(head)" : "audit chain intact: \(count) entries, head \(head)")
            case .broken(let broken):
                if json {
                    try printJSON(["intact": false, "seq": broken.seq, "problem": broken.description])
                } else {
                    print(zh ? "审计链被改动：\(Self.zh(broken))" : "audit chain broken: \(broken)")
                }
                throw ExitCode(2)
            }
        }

        static func zh(_ b: ChainBreak) -> String {
            switch b.problem {
            case .missing(let next): "第 \(b.seq) 条缺失：第 \(b.seq - 1) 条之后是第 \(next) 条（被删除？）"
            case .outOfPlace(let expected): "第 \(b.seq) 条出现在第 \(expected) 条的位置（被插入或重新编号？）"
            case .brokenLink(let expected, let found):
                "第 \(b.seq) 条记录的上一条哈希是 \(found.prefix(16))…，而第 \(b.seq - 1) 条的哈希是 \(expected.prefix(16))…（之前的条目被改动、删除或插入，或本条被移动）"
            case .hashMismatch(let stored, let computed):
                "第 \(b.seq) 条的内容与其哈希不符（计算得 \(computed.prefix(16))…，存储为 \(stored.prefix(16))…）：内容被改动，或本条被移动"
            case .headNotFound(let head, let last):
                "先前记下的链头 \(head.prefix(16))… 不在链中（链止于第 \(last) 条）：末尾的条目被删除，或整条链被重写"
            }
        }
    }
}

// MARK: show

extension AuditCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit entries, newest last: by user, record or time.",
            discussion: "Times are shown in Asia/Shanghai. --json prints every field, the detail as an object.")

        @Option(name: .long, help: "Central's data folder (made by `fenghuo central init`).")
        var data: String

        @Option(name: .long, help: "Only entries by this user (for a failed login: the name as typed).")
        var user: String?

        @Option(name: .long, help: "Only entries that touched this record id.")
        var record: String?

        @Option(name: .long, help: "Only entries from this time on: 2026-12-01, 2026-12-01T09:00:00+08:00, or back from now: 30m, 2h, 7d.")
        var since: String?

        @Option(name: .long, help: "At most this many entries, the newest (default 50).")
        var limit: Int = 50

        @Option(name: .long, help: "Language of the headers: zh (default) or en.")
        var lang: String = "zh"

        @Flag(name: .long, help: "Print a JSON array (one object an entry, every field).")
        var json = false

        func validate() throws {
            guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be 1–1000000, not \(limit).") }
            if let record, record.isEmpty || record.contains(",") {
                throw ValidationError("--record '\(record)' is not a record id (one id, no commas).")
            }
        }

        func run() throws {
            let zh = try AuditCommand.language(lang)
            let sinceMs = try since.map { try Self.instant($0, now: Date()) }.map { Int64($0.timeIntervalSince1970 * 1000) }
            let query = AuditLog.Query(user: user, record: record, sinceMs: sinceMs, limit: limit)
            let entries = try AuditCommand.open(data).read { try AuditLog.entries(query, in: $0) }
            if json {
                let objects: [[String: Any]] = entries.map { e in
                    let detail = (try? JSONSerialization.jsonObject(with: Data(e.entry.detail.utf8))) ?? e.entry.detail
                    return ["seq": e.seq, "atMs": e.entry.atMs, "at": Self.iso(e.entry.atMs), "user": e.entry.actor.user,
                            "client": e.entry.actor.client, "address": e.entry.actor.address, "action": e.entry.action.rawValue,
                            "records": e.entry.records, "detail": detail, "prevHash": e.previousHash, "hash": e.hash]
                }
                return try printJSON(objects)
            }
            let header = zh ? ["序号", "时间", "用户", "终端", "地址", "动作", "记录", "详情"]
                : ["seq", "time", "user", "client", "address", "action", "records", "detail"]
            let rows = entries.map { e in
                [String(e.seq), Self.local(e.entry.atMs), e.entry.actor.user, e.entry.actor.client, e.entry.actor.address,
                 Self.label(e.entry.action, zh: zh), e.entry.records.joined(separator: ","), e.entry.detail]
            }
            var width: Int? = nil
            if isatty(STDOUT_FILENO) == 1 {
                var size = winsize()
                if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { width = Int(size.ws_col) }
            }
            for line in AuditTable.lines(header: header, rows: rows, caps: [10, 19, 20, 20, 24, 8, 28], width: width) {
                print(line)
            }
            FileHandle.standardError.write(Data((zh ? "\(entries.count) 条\n" : "\(entries.count) entries\n").utf8))
        }

        static func label(_ action: AuditEntry.Action, zh: Bool) -> String {
            guard zh else { return action.rawValue }
            let names: [AuditEntry.Action: String] = [
                .commandApplied: "命令执行", .commandRejected: "命令拒绝", .loginOK: "登录成功", .loginFailed: "登录失败",
                .lockout: "锁定", .scopeChange: "权限变更", .revoke: "吊销", .export: "导出", .seal: "签章",
                .restore: "恢复", .compact: "压缩历史",
            ]
            return names[action] ?? action.rawValue
        }

        static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

        static func local(_ ms: Int64) -> String {
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm:ss"
            f.timeZone = shanghai
            return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
        }

        static func iso(_ ms: Int64) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            f.timeZone = shanghai
            return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
        }

        /// `--since`: an ISO 8601 instant, a day (midnight in Shanghai), or a span back from `now`.
        static func instant(_ text: String, now: Date) throws -> Date {
            let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86_400]
            if let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count >= 0 {
                return now.addingTimeInterval(-count * unit)
            }
            let iso = ISO8601DateFormatter()
            if let date = iso.date(from: text) { return date }
            let day = DateFormatter()
            day.dateFormat = "yyyy-MM-dd"
            day.timeZone = shanghai
            day.locale = Locale(identifier: "en_US_POSIX")
            if let date = day.date(from: text) { return date }
            throw ValidationError("--since '\(text)' is not a time: give 2026-12-01, 2026-12-01T09:00:00+08:00, or a span back from now like 30m, 2h, 7d.")
        }
    }
}

/// Columns aligned by terminal width (a Chinese character takes two columns): each column as
/// wide as its widest cell up to its cap, the last one (the detail) as long as the line allows.
enum AuditTable {
    static func lines(header: [String], rows: [[String]], caps: [Int], width: Int?) -> [String] {
        let all = [header] + rows
        let widths = caps.enumerated().map { column, cap in
            min(cap, all.map { $0[column].displayWidth }.max() ?? 0)
        }
        let fixed = widths.reduce(0, +) + 2 * widths.count
        return all.map { cells in
            var line = ""
            for (column, w) in widths.enumerated() { line += cells[column].padded(toWidth: w) + "  " }
            let last = cells[widths.count]
            if let width, width > fixed + 10 { return line + last.truncated(toWidth: width - fixed) }
            return line + last
        }
    }
}

private func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}
