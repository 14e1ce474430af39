import FenghuoDomain

/// Rejections worded from their code and details, in the console's language: no sentence of
/// central's reaches the screen.
extension Strings {
    public func rejection(_ r: CommandRejection, directory: Directory = Directory()) -> String {
        let zh = language == .zh
        func pick(_ z: String, _ e: String) -> String { zh ? z : e }
        func entity(_ e: EntityKind) -> String { zh ? e.label.zh : e.label.en }
        func department(_ code: String?) -> String {
            guard let code else { return pick("无部门", "no department") }
            guard let d = directory.departments[code] else { return code }
            return zh ? d.name : d.nameEN
        }
        // A command by the console's name for it (关闭, not closeIncident).
        func named(_ raw: String) -> String { Command.Name(rawValue: raw).map { commandTitle($0) } ?? raw }
        switch r.reason {
        case .unknownCommand(let name):
            return pick("未知命令“\(name)”，可用：", "unknown command '\(name)'; commands: ")
                + Command.Name.allCases.map(\.rawValue).joined(separator: " ")
        case .unknownArgument(let c, let k, let accepted):
            return pick("\(named(c)) 没有参数“\(k)”，可用参数：\(accepted.joined(separator: " "))",
                        "\(named(c)) takes no argument '\(k)'; it takes \(accepted.joined(separator: " "))")
        case .missingArgument(let c, let k):
            let help = Command.Name(rawValue: c)?.spec.argument(k)?.help
            return pick("\(named(c)) 缺少 \(k)=…（\(help?.zh ?? k)）", "\(named(c)) needs \(k)=… (\(help?.en ?? k))")
        case .badValue(let c, let k, let v, _):
            let kind = Command.Name(rawValue: c)?.spec.argument(k)?.kind.label
            return pick("\(named(c)) 的 \(k)=“\(v)”不是\(kind?.zh ?? "有效值")", "\(named(c)): \(k)='\(v)' is not \(kind?.en ?? "valid")")
        case .tooLong(let c, let k, let max):
            return pick("\(named(c)) 的 \(k) 超过 \(max) 字", "\(named(c)): \(k) is longer than \(max) characters")
        case .notKeyValue(let w):
            return pick("“\(w)”不是 键=值 形式（含空格的值请加引号：键=\"a b\"）",
                        "'\(w)' is not key=value (quote a value with spaces: key=\"a b\")")
        case .unclosedQuote:
            return pick("引号没有闭合", "a quote is not closed")
        case .ambiguous(let k, let v, let candidates):
            return pick("\(k)=“\(v)”有多个匹配：\(candidates.joined(separator: " "))，请写明其一",
                        "\(k)='\(v)' matches several: \(candidates.joined(separator: " ")); give one")
        case .unknownCode(let kind, let v):
            return pick("没有名为或代码为“\(v)”的\(kind.label.zh)", "no \(kind.label.en) has the code or name '\(v)'")
        case .forbidden(let c, let r, let allowed):
            return pick("\(named(c)) 只限\(allowed.map(role).joined(separator: "、"))使用，你的角色是\(role(r))",
                        "\(named(c)) is for the \(allowed.map(role).joined(separator: "/")) role; you are a \(role(r))")
        case .notFound(let e, let id):
            return pick("找不到\(entity(e)) \(id)", "no \(entity(e)) \(id)")
        case .staleVersion(let id, let base, let current):
            return pick("\(id) 已被他人更新（你看到的是第\(base)版，现为第\(current)版），请看最新状态后重试",
                        "\(id) changed meanwhile (you saw version \(base), now \(current)); look again and retry")
        case .illegalTransition(let e, let id, let event, let state, _):
            return pick("\(entityName(e)) \(id) 当前为“\(stateName(e, state))”，不能\(eventName(event, of: e))",
                        "\(entityName(e)) \(id) is \(stateName(e, state)): cannot \(eventName(event, of: e))")
        case .agencyMismatch(let unit, let ua, let ia):
            return pick("力量 \(unit) 属\(agency(ua))，警情属\(agency(ia))", "unit \(unit) is \(agency(ua)); the incident is \(agency(ia))")
        case .otherDepartment(let id, let d, let yours):
            return pick("\(id) 属于\(department(d))，不是你的部门（\(department(yours))）",
                        "\(id) is with \(department(d)), not your department (\(department(yours)))")
        case .notTicketDepartment(let d):
            return pick("\(department(d)) 不承办工单", "\(department(d)) does not handle tickets")
        case .controlCharacter(let c, let k):
            return pick("\(named(c)) 的 \(k) 含控制字符，请输入普通文字", "\(named(c)): \(k) contains a control character; type plain text")
        case .mutationReused(let m):
            return pick("中心在本终端第\(m)号命令下记录的是另一条命令，本条未执行（本终端编号是否被他处使用？）",
                        "central holds a different command as this console's number \(m): this one was not applied (is the console's id used elsewhere?)")
        case .tooLarge(let bytes, let limit?):
            return pick("命令有 \(bytes) 字节，超过中心接受的上限 \(limit) 字节，未执行（请缩短文字）",
                        "the command is \(bytes) bytes, over the \(limit) bytes central takes; it was not applied (shorten its text)")
        case .tooLarge(let bytes, nil):
            return pick("命令有 \(bytes) 字节，中心以过大拒收，未执行（请缩短文字）",
                        "the command is \(bytes) bytes, and central refused it as too large; it was not applied (shorten its text)")
        case .unitsCommitted(let id, let units):
            return pick("警情 \(id) 仍有力量 \(units.joined(separator: "、")) 在警情上：关闭时一并释放（确认时按 y），或先让其撤离",
                        "\(id) still has \(units.joined(separator: ", ")) committed: release them with the close (y when asked), or clear them first")
        case .wrongDisposition(let code, let use, let a, let fitting):
            let names = fitting.map { directory.dispositions[$0].map { zh ? $0.name : $0.nameEN } ?? $0 }
            let verb = use == .resolve ? pick("处置完毕", "resolving") : pick("撤销", "cancelling")
            let name = directory.dispositions[code].map { zh ? $0.name : $0.nameEN } ?? code
            return pick("“\(name)”不能用于\(agency(a))警情的\(verb)，可选：\(names.joined(separator: "、"))",
                        "'\(name)' is not for \(verb) a \(agency(a)) incident; choose one of: \(names.joined(separator: ", "))")
        case .linksOpen(let id, let parts):
            return pick("警情 \(id) 的联动警情 \(parts.joined(separator: "、")) 尚未关闭：先关闭它们，或关闭时解除联动（确认时按 y）",
                        "\(id) has linked parts still open (\(parts.joined(separator: ", "))): close them first, or release the links with the close (y when asked)")
        case .other("too_large", _):
            // Withdrawn by an agent older than the reason: no sizes were kept.
            return pick("命令超过中心接受的大小，未执行（too_large）", "the command is larger than central takes; it was not applied (too_large)")
        case .other("revoked", _):  // ErrorCode.revoked: the agent refused a submit
            return pick("未排队：本终端已被中心吊销", "not queued: this console was revoked by central")
        case .other(let code, _):
            return pick("被拒绝（\(code)）", "refused (\(code))")
        }
    }

    func entityName(_ code: String) -> String {
        switch code {
        case "incident": language == .zh ? "警情" : "incident"
        case "unit": language == .zh ? "力量" : "unit"
        case "ticket": language == .zh ? "工单" : "ticket"
        default: language == .zh ? "审批件" : "case"
        }
    }

    /// A state code of the named kind of record, in the console's words.
    func stateName(_ entity: String, _ code: String) -> String {
        switch entity {
        case "incident": IncidentStatus(rawValue: code).map(status) ?? code
        case "unit": UnitStatus(rawValue: code).map(status) ?? code
        case "ticket": TicketStatus(rawValue: code).map(status) ?? code
        default: ApprovalStatus(rawValue: code).map(status) ?? code
        }
    }

    /// A life-cycle step's name (as the state machines name their events).
    func eventName(_ event: String, of entity: String) -> String {
        guard language == .zh else { return event }
        if entity == "ticket", event == "assign" { return "转派" }
        let names = [
            "dispatch": "派遣", "arrive": "到场", "resolve": "处置完毕", "close": "关闭", "cancel": "撤销",
            "unit departs": "报出动", "unit arrives": "报到场", "start work": "开始处置", "merge": "合并",
            "absorb": "并入重复报警", "take over a unit": "接收力量", "note": "加备注",
            "assign": "派遣", "depart": "出发", "clear": "撤离现场", "release": "取消派遣", "back in station": "归队",
            "go out of service": "停用", "return to service": "恢复执勤", "accept": "签收", "send back": "退回",
            "reply": "答复", "callback": "回访", "start review": "启动审查", "sign off": "会签",
            "record the callback": "记录回访", "request a supplement": "要求补正", "resume review": "恢复审查",
            "withdraw": "撤回",
        ]
        return names[event] ?? "执行此操作"
    }
}
