import ArgumentParser
import FenghuoConsole
import FenghuoDomain
import Foundation
import GRDB

/// What `fenghuo list` keeps, and in which order: items in one of the kind's own statuses, from
/// a time on, newest first. Every value is checked before a file is opened, and a wrong one is
/// refused with the values that would do, in the language asked for.
struct ListFilter {
    let kind: ListCommand.Kind
    /// A status code of the kind (`new`, `on_scene`), never a name.
    let status: String?
    let since: Date?

    init(kind: ListCommand.Kind, status: String?, since: String?, now: Date, language: Language) throws {
        let zh = language == .zh
        self.kind = kind
        if let status {
            guard let statuses = Self.statuses(kind) else {
                throw ValidationError(zh
                    ? "--status：\(Self.noun(kind, zh: true))没有可选的状态；它用于 incidents、units、tickets、approvals。"
                    : "--status: \(kind.rawValue) have no status to choose from; it applies to incidents, units, tickets and approvals.")
            }
            let typed = status.trimmingCharacters(in: .whitespaces)
            let code = typed.lowercased().replacingOccurrences(of: "-", with: "_")
            guard let found = statuses.first(where: { $0.code == code || $0.zh == typed || $0.en.lowercased() == code }) else {
                let valid = statuses.map { zh ? "\($0.code)（\($0.zh)）" : "\($0.code) (\($0.zh))" }
                throw ValidationError(zh
                    ? "--status '\(status)' 不是\(Self.noun(kind, zh: true))的状态；可用：\(valid.joined(separator: "、"))。"
                    : "--status '\(status)' is not a status of \(kind.rawValue); use one of: \(valid.joined(separator: ", ")).")
            }
            self.status = found.code
        } else {
            self.status = nil
        }
        if let since {
            guard kind != .rejections else {
                throw ValidationError(zh
                    ? "--since：拒绝记录不带时间；它用于 incidents、units、tickets、approvals、outbox。"
                    : "--since: rejections keep no time; it applies to incidents, units, tickets, approvals and outbox.")
            }
            // The same grammar as `audit show --since`.
            guard let instant = try? AuditCommand.Show.instant(since, now: now) else {
                throw ValidationError(zh
                    ? "--since '\(since)' 不是时间：请写日期 2026-12-01、时刻 2026-12-01T09:00:00+08:00，或从现在往回的时长，如 30m、2h、7d。"
                    : "--since '\(since)' is not a time: give 2026-12-01, 2026-12-01T09:00:00+08:00, or a span back from now like 30m, 2h, 7d.")
            }
            self.since = instant
        } else {
            self.since = nil
        }
    }

    /// The kind's statuses, each code with the names the console shows for it; nil for a kind
    /// without a choice of status (a rejection is always one, a queued command pending).
    static func statuses(_ kind: ListCommand.Kind) -> [(code: String, zh: String, en: String)]? {
        let zh = Strings(.zh), en = Strings(.en)
        switch kind {
        case .incidents: return IncidentStatus.allCases.map { ($0.rawValue, zh.status($0), en.status($0)) }
        case .units: return UnitStatus.allCases.map { ($0.rawValue, zh.status($0), en.status($0)) }
        case .tickets: return TicketStatus.allCases.map { ($0.rawValue, zh.status($0), en.status($0)) }
        case .approvals: return ApprovalStatus.allCases.map { ($0.rawValue, zh.status($0), en.status($0)) }
        case .rejections, .outbox: return nil
        }
    }

    static func noun(_ kind: ListCommand.Kind, zh: Bool) -> String {
        guard zh else { return kind.rawValue }
        switch kind {
        case .incidents: return "警情"
        case .units: return "处置力量"
        case .tickets: return "工单"
        case .approvals: return "审批件"
        case .rejections: return "拒绝记录"
        case .outbox: return "待发命令"
        }
    }

    /// The replica's query for a kind other than the outbox. Each kind is dated by one column:
    /// when an incident or ticket was reported, the day a case was accepted, a unit's last status
    /// change; rejections by their mutation id (they keep no time).
    func query(oldestFirst: Bool, limit: Int?) -> (sql: String, arguments: StatementArguments) {
        let table: String, dated: String?
        switch kind {
        case .incidents: (table, dated) = ("incident", "created_at")
        case .units: (table, dated) = ("unit", "status_changed_at")
        case .tickets: (table, dated) = ("ticket", "created_at")
        case .approvals: (table, dated) = ("approval_case", "accepted_on")
        case .rejections, .outbox: (table, dated) = ("rejection", nil)
        }
        var conditions: [String] = [], values: [any DatabaseValueConvertible] = []
        if let status {
            conditions.append("status = ?")
            values.append(status)
        }
        if let since, let dated {
            conditions.append("\(dated) >= ?")
            // Records keep whole seconds (a case its local day): an item at 10:00:00 is not
            // from 10:00:00.4 on.
            let bound: Int64 = kind == .approvals ? Int64(LocalDate(since).dayNumber) : Int64(since.timeIntervalSince1970.rounded(.up))
            values.append(bound)
        }
        let direction = oldestFirst ? "ASC" : "DESC"
        let select = kind == .rejections ? "SELECT *, 1 AS version, 'rejected' AS status FROM rejection" : "SELECT * FROM \(table)"
        let order = dated.map { "\($0) \(direction), id \(direction)" } ?? "mutation_id \(direction)"
        let sql = select + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY \(order)"
            + (limit.map { " LIMIT \($0)" } ?? "")
        return (sql, StatementArguments(values))
    }
}

/// A queued command as one line: its name and its arguments as `key=value`, in the order its
/// declaration gives them, values with a blank quoted, mobile and ID numbers masked: what a
/// person reads in `list outbox` (and may paste elsewhere) names the work, not the caller.
enum QueuedCommandText {
    static func line(name: String, args: [String: ArgumentValue]) -> String {
        let declared = Command.Name(rawValue: name)?.spec.arguments.map(\.key) ?? []
        let keys = declared.filter { args[$0] != nil } + args.keys.filter { !declared.contains($0) }.sorted()
        let pairs = keys.map { key in
            // A row written by an older agent was never checked: no control character reaches the terminal.
            let value = String(String.UnicodeScalarView(args[key]!.description.unicodeScalars.map {
                $0.properties.generalCategory == .control ? "?" : $0
            }))
            let masked = SensitiveText.masked(value)
            return "\(key)=\(masked.contains(" ") || masked.isEmpty ? "\"\(masked)\"" : masked)"
        }
        return ([name] + pairs).joined(separator: " ")
    }
}
