import FenghuoDomain

public enum Language: String, CaseIterable, Sendable {
    case zh, en
}

/// Every piece of UI text, in Chinese and English: one catalog, so a new string is added in
/// both languages at once and nothing is left untranslated.
public struct Strings: Sendable {
    public let language: Language
    public init(_ language: Language) { self.language = language }

    public enum Text: CaseIterable, Sendable {
        case appName, appSubtitle
        case paneDispatch, paneHotline, paneApprovals, paneDashboard
        case incidentQueue, unitBoard, ticketQueue, ticketDetail, approvalQueue, incidentDetail, approvalDetail
        case colPriority, colNumber, colType, colDistrict, colAddress, colStatus, colSince, colUnit, colName
        case colCategory, colSummary, colDepartment, colDeadline, colTimeLeft
        case colCase, colItem, colKind, colApplicant, colSignOff, colDaysLeft, colDaysLeftShort
        case colSinceShort, colDepartmentShort, colSinceCall, colSinceCallShort
        case noRows, noMatches, loading, filterPrompt, commandPrompt, filterHint, commandHint
        case keyUp, keyDown, keyPageUp, keyPageDown, keyOpen, keyBack, keyFilter, keyHelp, keyQuit, keyPanes, keyFocus, keyCommand, keyTop, keyBottom
        case keyLanguage, keyWaitingOnly, waitingOnlyTag
        case helpTitle, helpGlobal, helpClose, helpCommands
        case tooSmall
        case caller, phone, narrative, address, created, statusChanged, assignedUnits, confidentialNote, timeline, currentIncident
        case unitLeft, priorityLabel, signOffLegend
        case callerHotline, reply, knowledge, satisfaction, satisfied, unsatisfied, applicant, item, accepted, deadline, steps
        case opinion, provisionalNote, overdue
        case tileIncidentsToday, tileOpenIncidents, tileTicketsOpened, tileTicketsClosed, tileTicketsOverdue
        case tileApprovalsOnTime, sparkIncidents, sparkTickets, rankingTitle, colOverdue, colOpen
        case usageLabel, moreBelow, moreCut
        case cmdPane, cmdFilter, cmdClear, cmdLang, cmdHelp, cmdQuit, cmdQueue
        case localMode, rows, filterActive, clockStopped
        case cmdAssign, cmdDispatchNumbered, cmdEnRoute, cmdArrive, cmdClearScene, cmdWork, cmdResolve, cmdClose, cmdCancel, cmdMerge, cmdNote, cmdUnit, cmdTransfer, cmdAccept, cmdReturn, cmdReply
        case cmdCallback, cmdRemark, cmdMemo, cmdApprove, cmdReject, cmdSubmit, helpWrites
        case cmdPlan, cmdLink, cmdCheck, cmdReport, cmdPriority, cmdCasualties, cmdHandoff, cmdEscalate
        case linkedParts, linkedFrom, planTitle, planNone, reportLabel, reportNeeded, casualtiesLabel, incidentLink
        case noIncidentSelected, noTicketSelected, noCaseSelected
        case online, offline, stale, snapshotting, agentDown, revoked
        case keyNew, newIncident, newTicket, formRequired, formDiscard, formNoMatches, formHint, formPickerPrompt
        case formPriority, formCategory, formSummary, formDetail
    }

    public func callAsFunction(_ text: Text) -> String {
        let pair = Self.table(text)
        return language == .zh ? pair.0 : pair.1
    }

    // swiftlint:disable:next cyclomatic_complexity
    static func table(_ text: Text) -> (String, String) {
        switch text {
        case .appName: ("烽火", "Fenghuo")
        case .appSubtitle: ("城市运行指挥台", "City Command Center")
        case .paneDispatch: ("调度", "Dispatch")
        case .paneHotline: ("热线", "Hotline")
        case .paneApprovals: ("审批", "Approvals")
        case .paneDashboard: ("看板", "Dashboard")
        case .incidentQueue: ("警情队列", "Incident queue")
        case .unitBoard: ("力量状态", "Unit board")
        case .ticketQueue: ("工单队列", "Ticket queue")
        case .ticketDetail: ("工单详情", "Ticket detail")
        case .approvalQueue: ("审批队列", "Approval queue")
        case .incidentDetail: ("警情详情", "Incident detail")
        case .approvalDetail: ("办件详情", "Case detail")
        case .colPriority: ("级", "P")
        case .colNumber: ("编号", "Number")
        case .colType: ("类型", "Type")
        case .colDistrict: ("辖区", "District")
        case .colAddress: ("地址", "Address")
        case .colStatus: ("状态", "Status")
        case .colSince: ("状态时长", "In state")
        case .colSinceCall: ("接警时长", "Since call")
        case .colSinceCallShort: ("接警", "Call")
        case .colUnit: ("呼号", "Unit")
        case .colName: ("名称", "Name")
        case .colCategory: ("类别", "Category")
        case .colSummary: ("诉求摘要", "Summary")
        case .colDepartment: ("承办单位", "Department")
        case .colDeadline: ("办理时限", "Deadline")
        case .colTimeLeft: ("剩余", "Left")
        case .colCase: ("办件号", "Case")
        case .colItem: ("事项", "Item")
        case .colKind: ("类型", "Type")
        case .colApplicant: ("申请人", "Applicant")
        case .colSignOff: ("会签", "Sign-off")
        case .colDaysLeft: ("剩余工作日", "Days left")
        case .colDaysLeftShort: ("余日", "Left")
        case .colSinceShort: ("时长", "Since")
        case .colDepartmentShort: ("承办", "Dept")
        case .noRows: ("（暂无记录）", "(nothing here)")
        case .noMatches: ("（没有匹配的记录）", "(no matches)")
        case .loading: ("加载中…", "Loading…")
        case .filterPrompt: ("/", "/")
        case .commandPrompt: (":", ":")
        case .filterHint: ("输入关键字或 状态:待派 辖区:江北，回车确认，Esc 取消",
                           "type words or status:new district:Jiangbei, Enter keeps, Esc clears")
        case .commandHint: ("输入命令，Tab 补全，help 查看全部", "type a command, Tab completes, 'help' lists all")
        case .keyUp: ("上移", "up")
        case .keyDown: ("下移", "down")
        case .keyPageUp: ("上一页", "page up")
        case .keyPageDown: ("下一页", "page down")
        case .keyOpen: ("详情", "open")
        case .keyBack: ("返回", "back")
        case .keyFilter: ("筛选", "filter")
        case .keyHelp: ("帮助", "help")
        case .keyQuit: ("退出", "quit")
        case .keyPanes: ("切换面板", "switch pane")
        case .keyFocus: ("切换焦点", "switch focus")
        case .keyCommand: ("命令", "command")
        case .keyTop: ("到顶", "first row")
        case .keyBottom: ("到底", "last row")
        case .keyLanguage: ("中/英", "language")
        case .keyWaitingOnly: ("只看待派", "waiting only")
        case .waitingOnlyTag: ("仅待派", "waiting only")
        case .helpTitle: ("帮助 · 按键", "Help · keys")
        case .helpGlobal: ("全局", "Everywhere")
        case .helpClose: ("按 Esc 或 ? 关闭", "Esc or ? closes")
        case .helpCommands: ("命令（按 : 输入）", "Commands (after :)")
        case .tooSmall: ("终端窗口太小", "Terminal too small")
        case .caller: ("报警人", "Caller")
        case .phone: ("电话", "Phone")
        case .narrative: ("警情描述", "Narrative")
        case .timeline: ("处警记录（新的在上）", "Timeline (newest first)")
        case .currentIncident: ("当前警情", "Incident")
        case .address: ("地址", "Address")
        case .created: ("接警时间", "Received")
        case .statusChanged: ("状态变更", "Status since")
        case .assignedUnits: ("出动力量", "Units")
        case .confidentialNote: ("【涉密】", "[confidential]")
        case .unitLeft: ("已撤离", "left")
        case .priorityLabel: ("等级", "Priority")
        case .signOffLegend: ("✓同意 ○待签 ✗不同意", "✓ yes ○ pending ✗ no")
        case .callerHotline: ("来电人", "Caller")
        case .reply: ("答复", "Reply")
        case .knowledge: ("知识库", "Knowledge base")
        case .satisfaction: ("回访", "Callback")
        case .satisfied: ("满意", "satisfied")
        case .unsatisfied: ("不满意", "not satisfied")
        case .applicant: ("申请人", "Applicant")
        case .item: ("事项", "Item")
        case .accepted: ("受理日期", "Accepted")
        case .deadline: ("法定时限", "Deadline")
        case .steps: ("会签进度", "Sign-off")
        case .opinion: ("意见", "Opinion")
        case .provisionalNote: ("≈ 超出已发布的节假日安排，按普通周末暂估", "≈ beyond the published holiday schedule: estimated with plain weekends")
        case .overdue: ("超期", "overdue")
        case .tileIncidentsToday: ("今日接警", "Incidents today")
        case .tileOpenIncidents: ("在办警情", "Open incidents")
        case .tileTicketsOpened: ("今日新增工单", "New tickets")
        case .tileTicketsClosed: ("今日办结", "Closed today")
        case .tileTicketsOverdue: ("超期工单", "Overdue")
        case .tileApprovalsOnTime: ("审批按时办结率", "Appr. on time")
        case .sparkIncidents: ("近24小时接警", "Incidents, last 24 h")
        case .sparkTickets: ("近24小时工单", "Tickets, last 24 h")
        case .rankingTitle: ("承办单位超期排名", "Departments by overdue tickets")
        case .colOverdue: ("超期", "Late")
        case .colOpen: ("在办", "Open")
        case .usageLabel: ("用法", "usage")
        case .moreBelow: ("…（Enter 查看全部）", "… (Enter shows all)")
        case .moreCut: ("…（窗口放大可见更多）", "… (a larger window shows more)")
        case .cmdPane: ("切换到该面板（也可用 1–4）", "switch to that pane (or 1–4)")
        case .cmdFilter: ("筛选当前列表，如 filter 江北区", "filter the list, e.g. filter 江北区")
        case .cmdClear: ("清除筛选", "clear the filter")
        case .cmdLang: ("界面语言：lang zh 或 lang en", "language: lang zh or lang en")
        case .cmdHelp: ("显示本帮助", "show this help")
        case .cmdQuit: ("退出（也可按 q）", "quit (or q)")
        case .cmdQueue: ("命令队列：待发与最近结果（也可按 Q）", "the command queue: waiting and lately settled (or Q)")
        case .localMode: ("本地库", "local db")
        case .rows: ("行", "rows")
        case .filterActive: ("筛选", "filter")
        case .clockStopped: ("停表", "paused")
        case .cmdAssign: ("给选中警情派出力量，如 assign P-BH-01,A-BH-02", "dispatch units to the selected incident, e.g. assign P-BH-01,A-BH-02")
        case .cmdDispatchNumbered: ("按当天序号派车：d 42 F-BH-01 A-BH-03", "dispatch by the day's number: d 42 F-BH-01 A-BH-03")
        case .cmdEnRoute: ("力量报出动", "a unit reports it is on its way")
        case .cmdArrive: ("力量报到场", "a unit reports it is there")
        case .cmdClearScene: ("力量撤离现场", "a unit leaves the scene")
        case .cmdWork: ("选中警情现场开始处置（处置中）", "the crews of the selected incident are at work")
        case .cmdResolve: ("选中警情处置完毕（已结束），注明处置结果；Tab 补全", "mark the selected incident resolved, with how it ended (Tab completes)")
        case .cmdClose: ("关闭选中警情，仍在警情上的力量一并释放", "close the selected incident, releasing its units still on it")
        case .cmdCancel: ("撤销选中警情：撤销类别（误报、重复…）和理由", "cancel the selected incident: kind (false alarm, duplicate…) and why")
        case .cmdMerge: ("把选中警情（重复报警）并入另一起警情，可写当天序号", "merge the selected incident (a duplicate) into another; the day's number will do")
        case .cmdNote: ("在选中警情的处警记录中加备注", "add a note to the selected incident's timeline")
        case .cmdPlan: ("打开警情详情查看处置预案：plan（选中警情）或 plan 42（当天序号）", "open an incident's detail with its plan: plan (selected) or plan 42 (the day's number)")
        case .cmdLink: ("联动：请另一警种出警，如 link 120（类型缺省按预案），或 link 42 120", "link another agency: link 120 (type from the plan), or link 42 120")
        case .cmdCheck: ("勾选预案中已落实的一项：check 序号", "check off an item of the plan: check N")
        case .cmdReport: ("向应急办上报选中警情，可附内容", "report the selected incident to the emergency office, with optional words")
        case .cmdPriority: ("调整等级：p 1（选中警情）或 p 42 1（当天序号）", "set the priority: p 1 (selected) or p 42 1 (the day's number)")
        case .cmdCasualties: ("报告伤亡人数（3 人以上须上报）", "report the casualties (3 or more: report to the emergency office)")
        case .cmdHandoff: ("非紧急警情转 12345 热线：handoff 工单分类（警情撤销）", "hand a non-emergency to 12345: handoff CATEGORY (the incident ends)")
        case .cmdEscalate: ("工单转警：escalate 警情类型 [等级]（工单办结）", "escalate the ticket to an incident: escalate TYPE [PRIORITY]")
        case .linkedParts: ("联动", "Linked")
        case .linkedFrom: ("联动自", "Part of")
        case .planTitle: ("处置预案", "Plan")
        case .planNone: ("本类型无预案", "no plan for this type")
        case .reportLabel: ("上报", "Reported")
        case .reportNeeded: ("重大警情，须上报应急办（:report）", "major incident: report it to the emergency office (:report)")
        case .casualtiesLabel: ("伤亡", "Casualties")
        case .incidentLink: ("关联警情", "Incident")
        case .cmdUnit: ("更新力量状态：unit 呼号 depart|arrive|clear|release|backInStation|outOfService|backInService",
                        "update a unit: unit ID depart|arrive|clear|release|backInStation|outOfService|backInService")
        case .cmdTransfer: ("把选中工单转派给部门，如 transfer water", "route the selected ticket to a department, e.g. transfer water")
        case .cmdAccept: ("部门签收选中工单", "accept the selected ticket for your department")
        case .cmdReturn: ("退回选中工单并说明理由", "send the selected ticket back, with the reason")
        case .cmdReply: ("答复选中工单", "reply to the selected ticket")
        case .cmdCallback: ("记录回访结果：callback yes|no（满意/不满意）", "record the callback: callback yes|no (satisfied or not)")
        case .cmdRemark: ("在选中工单的办理记录中加备注", "add a note to the selected ticket's timeline")
        case .cmdMemo: ("加内部备注：仅热线与承办部门可见，不对来电人公开", "add an internal note: for the hotline and the department, never shown to the caller")
        case .cmdApprove: ("本部门同意选中办件，可附意见", "sign off the selected case for your department, with an optional opinion")
        case .cmdReject: ("本部门不同意选中办件，附意见", "refuse the selected case for your department, with an opinion")
        case .cmdSubmit: ("发送任意命令：submit 名称 键=值 …", "send any command: submit NAME key=value …")
        case .helpWrites: ("写操作（经代理发往中心；help 命令 查看说明）", "Writes, via the agent (help VERB explains)")
        case .noIncidentSelected: ("请先在调度面板选中一条警情", "select an incident in the dispatch pane first")
        case .noTicketSelected: ("请先在热线面板选中一张工单", "select a ticket in the hotline pane first")
        case .noCaseSelected: ("请先在审批面板选中一个办件", "select a case in the approvals pane first")
        case .online: ("● 在线", "● online")
        case .offline: ("○ 离线", "○ offline")
        case .stale: ("数据陈旧", "stale")
        case .snapshotting: ("初次同步", "first sync")
        case .agentDown: ("代理未连接", "no agent")
        case .revoked: ("本终端已被中心吊销：本地数据已清除，请联系管理员", "this console was revoked by central: its local data is wiped; contact an administrator")
        case .keyNew: ("新建", "new")
        case .newIncident: ("新建警情", "new incident")
        case .newTicket: ("新建工单", "new ticket")
        case .formRequired: ("必填", "required")
        case .formDiscard: ("放弃已输入的内容？ y/n", "discard what you typed? y/n")
        case .formNoMatches: ("无匹配项", "no matches")
        case .formHint: ("Tab 下一项  Enter 选定/提交  Esc 取消", "Tab next field  Enter picks/submits  Esc cancels")
        case .formPickerPrompt: ("输入名称或拼音首字母", "type a name or code")
        case .formPriority: ("优先级", "priority")
        case .formCategory: ("分类", "Category")
        case .formSummary: ("标题", "Summary")
        case .formDetail: ("详情", "Detail")
        }
    }

    public func agency(_ a: Agency) -> String {
        switch (a, language) {
        case (.police, .zh): "公安"
        case (.fire, .zh): "消防"
        case (.ambulance, .zh): "急救"
        case (.traffic, .zh): "交警"
        case (.police, .en): "Police"
        case (.fire, .en): "Fire"
        case (.ambulance, .en): "EMS"
        case (.traffic, .en): "Traffic"
        }
    }

    public func status(_ s: IncidentStatus) -> String {
        let zh: String, en: String
        switch s {
        case .new: (zh, en) = ("待派", "new")
        case .dispatched: (zh, en) = ("已派", "sent")
        case .enRoute: (zh, en) = ("出动", "moving")
        case .onScene: (zh, en) = ("到场", "scene")
        case .working: (zh, en) = ("处置中", "working")
        case .resolved: (zh, en) = ("已结束", "done")
        case .closed: (zh, en) = ("已关闭", "closed")
        case .merged: (zh, en) = ("合并", "merged")
        case .cancelled: (zh, en) = ("撤销", "void")
        }
        return language == .zh ? zh : en
    }

    public func status(_ s: UnitStatus) -> String {
        let zh: String, en: String
        switch s {
        case .available: (zh, en) = ("待命", "free")
        case .dispatched: (zh, en) = ("已派", "sent")
        case .enRoute: (zh, en) = ("途中", "route")
        case .onScene: (zh, en) = ("到场", "scene")
        case .returning: (zh, en) = ("返回", "back")
        case .outOfService: (zh, en) = ("停用", "OOS")
        }
        return language == .zh ? zh : en
    }

    public func status(_ s: TicketStatus) -> String {
        let zh: String, en: String
        switch s {
        case .registered: (zh, en) = ("待派单", "new")
        case .assigned: (zh, en) = ("已派单", "routed")
        case .inProgress: (zh, en) = ("办理中", "working")
        case .returned: (zh, en) = ("已退回", "returned")
        case .replied: (zh, en) = ("待回访", "replied")
        case .closed: (zh, en) = ("已办结", "closed")
        }
        return language == .zh ? zh : en
    }

    public func status(_ s: ApprovalStatus) -> String {
        let zh: String, en: String
        switch s {
        case .accepted: (zh, en) = ("已受理", "accepted")
        case .underReview: (zh, en) = ("会签中", "review")
        case .suspended: (zh, en) = ("待补正", "waiting")
        case .approved: (zh, en) = ("准予", "approved")
        case .rejected: (zh, en) = ("不予", "refused")
        case .withdrawn: (zh, en) = ("撤回", "withdrawn")
        }
        return language == .zh ? zh : en
    }

    public func approvalType(_ t: ApprovalType) -> String {
        guard language == .en else { return t.rawValue }
        switch t {
        case .registration: return "Reg"
        case .approval: return "Appr"
        case .ratification: return "Rat"
        case .examination: return "Exam"
        case .filing: return "File"
        }
    }

    public func priority(_ p: Priority) -> String {
        switch (p, language) {
        case (.critical, .zh): "特急"
        case (.high, .zh): "紧急"
        case (.normal, .zh): "一般"
        case (.low, .zh): "较低"
        case (_, .en): "P\(p.rawValue)"
        }
    }

    public func role(_ r: Role) -> String {
        switch (r, language) {
        case (.duty, .zh): "值班员"
        case (.hotline, .zh): "话务员"
        case (.staff, .zh): "部门人员"
        case (.leader, .zh): "领导"
        case (.duty, .en): "duty officer"
        case (.hotline, .en): "hotline agent"
        case (.staff, .en): "staff"
        case (.leader, .en): "leader"
        }
    }

    /// Days units for the approval queue: `5天` / `5wd`.
    public func workingDays(_ n: Int) -> String { language == .zh ? "\(n)日" : "\(n)wd" }

    /// Past the deadline, written like the hotline's `超…`: `超2日` / `-2wd`.
    public func overdueWorkingDays(_ n: Int) -> String { language == .zh ? "超\(n)日" : "-\(n)wd" }

    public func peakPerHour(_ n: Int) -> String { language == .zh ? "峰值 \(n)/时" : "max \(n)/h" }

    /// Labels under a 24-hour chart: its start, middle and end.
    public var hourAxis: (String, String, String) {
        language == .zh ? ("24小时前", "12小时前", "现在") : ("-24h", "-12h", "now")
    }

    public func unknownCommand(_ verb: String, verbs: [String]) -> String {
        let list = verbs.joined(separator: " ")
        return language == .zh ? "未知命令“\(verb)”，可用命令：\(list)" : "unknown command '\(verb)'; commands: \(list)"
    }

    public func notAnswering(_ label: String) -> String {
        language == .zh ? "同步代理未响应：\(label) 尚未确认排队，请检查代理（logs/agent.log）"
            : "the sync agent is not answering: \(label) is not confirmed queued; check the agent (logs/agent.log)"
    }

    public func queued(_ label: String, id: Int64) -> String {
        language == .zh ? "已排队 #\(id) \(label)，等待中心确认" : "queued #\(id) \(label); waiting for central"
    }

    public func applied(_ label: String, id: Int64) -> String {
        language == .zh ? "已生效 #\(id) \(label)" : "applied #\(id) \(label)"
    }

    public func rejected(_ label: String, id: Int64, reason: String) -> String {
        language == .zh ? "被中心拒绝 #\(id) \(label)：\(reason)" : "central rejected #\(id) \(label): \(reason)"
    }

    public func tooSmall(width: Int, height: Int, needWidth: Int, needHeight: Int) -> String {
        language == .zh
            ? "当前 \(width)×\(height)，至少需要 \(needWidth)×\(needHeight)，请放大窗口"
            : "now \(width)×\(height); needs at least \(needWidth)×\(needHeight): enlarge the window"
    }
}
