/// The declarations of every command: one entry each, read by the console, the CLI, the agent
/// and central alike. Adding a command is one entry here, one case in `Command`, and one case
/// in its desk's rules.
extension Command {
    static let specs: [Name: CommandSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// In the order `help` lists them: by desk.
    public static let all: [CommandSpec] = [
        CommandSpec(.createIncident, roles: [.duty], summary: T("接警登记一起新警情", "register a new incident from a call"), arguments: [
            A("type", .catalog(.incidentType), help: T("警情类型，决定接警台和优先级", "incident type; sets the agency and priority"), example: "盗窃"),
            A("district", .catalog(.district), help: T("事发辖区", "district where it happened"), example: "江北区"),
            A("address", .text(maxLength: 200), help: T("事发地址", "address"), example: "滨湖区湖心路8号"),
            A("narrative", .text(maxLength: 2000), help: T("警情描述", "what the caller reports"), example: "电动车被盗"),
            A("caller", .text(maxLength: 50), required: false, help: T("报警人姓名", "caller's name"), example: "张三"),
            A("phone", .text(maxLength: 30), required: false, help: T("报警人电话", "caller's phone"), example: "13800000000"),
            A("confidential", .flag, required: false, help: T("涉密：话务员看不到描述和报警人", "confidential: hidden from hotline agents"), example: "否"),
            A("priority", .choice(Priority.choices), required: false, help: T("等级 1–4（1 最紧急），默认取类型的等级", "priority 1–4 (1 most urgent); default: the type's"),
              example: "1"),
            A("location", .coordinates, required: false, help: T("坐标 纬度,经度（须在本市范围内），默认按地址定位", "LAT,LON inside the city; default: placed by the address"),
              example: "30.5412,114.3021"),
            A("merge_into", .record(.incident), required: false, help: T("重复报警：登记后并入这起在办警情", "a second call: recorded and merged into this open incident"),
              example: "J20261201-0042"),
        ]),
        CommandSpec(.dispatch, roles: [.duty], summary: T("向警情派遣力量", "send units to an incident"), target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("units", .records(.unit), help: T("力量编号，逗号分隔", "unit ids, comma-separated"), example: "P-YX-01,P-YX-02"),
        ]),
        CommandSpec(.workIncident, roles: [.duty], summary: T("现场开始处置（处置中）", "the crews on scene are at work"), target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
        ]),
        CommandSpec(.resolveIncident, roles: [.duty], summary: T("警情处置完毕（已结束），注明处置结果", "mark an incident resolved, with how it ended"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("disposition", .catalog(.disposition), help: T("处置结果", "how it ended"), example: "已扑灭"),
        ]),
        CommandSpec(.closeIncident, roles: [.duty], summary: T("警情关闭（仍有力量在警情上须一并释放）", "close a resolved incident (releasing any unit still on it)"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("release", .flag, required: false, help: T("一并释放仍在警情上的力量", "release the units still committed"), example: "是"),
            A("unlink", .flag, required: false, help: T("解除与未关闭联动警情的联动（各自继续处置）", "release the links to linked parts still open (each goes on alone)"),
              example: "是"),
        ]),
        CommandSpec(.cancelIncident, roles: [.duty], summary: T("撤销警情（误报、重复、报警人撤回）", "cancel an incident (false alarm, duplicate, withdrawn)"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("disposition", .catalog(.disposition), help: T("撤销类别", "kind of cancellation"), example: "误报"),
            A("reason", .text(maxLength: 200), help: T("撤销理由", "why"), example: "报警人称看错了"),
        ]),
        CommandSpec(.mergeIncident, roles: [.duty], summary: T("把重复报警并入另一起警情", "merge a duplicate call into another incident"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("被并入的警情（重复报警）", "the duplicate"), example: "J20261201-0043"),
            A("into", .record(.incident), help: T("保留的警情", "the incident it joins"), example: "J20261201-0042"),
        ]),
        CommandSpec(.noteIncident, roles: [.duty], summary: T("在警情处警记录中加一条备注", "add a note to an incident's timeline"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("text", .text(maxLength: 500), help: T("备注内容", "the note"), example: "现场有浓烟，已疏散三楼住户"),
        ]),
        CommandSpec(.linkIncident, roles: [.duty], summary: T("联动：请另一警种派出联动警情（共享地点和报警人）", "link: another agency joins with a part of its own (same place and caller)"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("发起联动的警情", "the incident asking"), example: "J20261201-0042"),
            A("agency", .choice(Agency.choices), help: T("联动警种 110 公安 119 消防 120 急救 122 交警", "the agency: 110 police, 119 fire, 120 ambulance, 122 traffic"),
              example: "120"),
            A("type", .catalog(.incidentType), required: false, help: T("联动警情的类型（默认按预案）", "the part's incident type (default: the plan's)"), example: "外伤"),
        ]),
        CommandSpec(.checkPlanItem, roles: [.duty], summary: T("勾选预案中已落实的一项", "check off an item of the incident's plan"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("item", .number(1...99), help: T("预案项序号", "the item's number in the plan"), example: "2"),
        ]),
        CommandSpec(.reportIncident, roles: [.duty], summary: T("向应急办值班领导上报重大警情", "report a major incident to the emergency office's leader"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("text", .text(maxLength: 500), required: false, help: T("上报内容", "what is reported"), example: "高层住宅起火，已疏散 40 人"),
        ]),
        CommandSpec(.prioritizeIncident, roles: [.duty], summary: T("调整警情等级", "change an incident's priority"), target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("priority", .choice(Priority.choices), help: T("等级 1–4（1 最紧急）", "priority 1–4 (1 most urgent)"), example: "1"),
        ]),
        CommandSpec(.countCasualties, roles: [.duty], summary: T("报告伤亡人数（3 人以上须上报）", "report the casualties known (3 or more: report to the emergency office)"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("count", .number(0...9_999), help: T("伤亡人数", "casualties"), example: "3"),
        ]),
        CommandSpec(.handoffIncident, roles: [.duty], summary: T("非紧急警情转 12345 热线（生成工单，警情撤销）", "hand a non-emergency to 12345 (a ticket is made, the incident ends)"),
                    target: "incident", arguments: [
            A("incident", .record(.incident), help: T("警情编号", "incident id"), example: "J20261201-0042"),
            A("category", .catalog(.ticketCategory), help: T("工单分类", "the ticket's category"), example: "噪音扰民"),
        ]),
        CommandSpec(.updateUnitStatus, roles: [.duty], summary: T("报告力量状态", "report a unit's status"), target: "unit", arguments: [
            A("unit", .record(.unit), help: T("力量编号", "unit id"), example: "P-YX-01"),
            A("event", .choice(UnitStatusEvent.choices), help: T("状态变化", "what happened"), example: "arrive"),
        ]),
        CommandSpec(.moveUnit, roles: [.duty], summary: T("报告力量当前位置（车载定位）", "report where a unit is now (its vehicle locator)"),
                    target: "unit", arguments: [
            A("unit", .record(.unit), help: T("力量编号", "unit id"), example: "P-YX-01"),
            A("at", .coordinates, help: T("当前位置 纬度,经度（须在本市范围内）", "where it is, LAT,LON inside the city"), example: "30.5412,114.3021"),
        ]),
        CommandSpec(.createTicket, roles: [.hotline], summary: T("登记一张12345工单", "register a 12345 ticket"), arguments: [
            A("category", .catalog(.ticketCategory), help: T("工单分类，决定承办部门和时限", "category; sets the department and deadline"), example: "停水"),
            A("district", .catalog(.district), help: T("所在辖区", "district"), example: "江北区"),
            A("address", .text(maxLength: 200), help: T("地址", "address"), example: "江北区沿江大道12号"),
            A("summary", .text(maxLength: 200), help: T("诉求标题", "summary"), example: "小区停水"),
            A("detail", .text(maxLength: 4000), required: false, help: T("诉求详情", "what the caller asks"), example: "整栋楼停水半天"),
            A("caller", .text(maxLength: 50), required: false, help: T("来电人姓名", "caller's name"), example: "李四"),
            A("phone", .text(maxLength: 30), required: false, help: T("来电人电话", "caller's phone"), example: "13900000000"),
        ]),
        CommandSpec(.transferTicket, roles: [.hotline], summary: T("把工单转派给承办部门", "route a ticket to a department"), target: "ticket", arguments: [
            A("ticket", .record(.ticket), help: T("工单编号", "ticket id"), example: "R20261201-0042"),
            A("department", .catalog(.department), help: T("承办部门", "department"), example: "城管"),
        ]),
        CommandSpec(.acceptTicket, roles: [.staff], summary: T("部门签收工单", "accept a ticket for the department"), target: "ticket", arguments: [
            A("ticket", .record(.ticket), help: T("工单编号", "ticket id"), example: "R20261201-0042"),
        ]),
        CommandSpec(.returnTicket, roles: [.staff], summary: T("把不属本部门的工单退回", "send a ticket back as not the department's"), target: "ticket", arguments: [
            A("ticket", .record(.ticket), help: T("工单编号", "ticket id"), example: "R20261201-0042"),
            A("reason", .text(maxLength: 500), help: T("退回理由", "why it is not the department's"), example: "不属本部门职责"),
        ]),
        CommandSpec(.replyTicket, roles: [.staff], summary: T("答复工单", "reply to a ticket"), target: "ticket", arguments: [
            A("ticket", .record(.ticket), help: T("工单编号", "ticket id"), example: "R20261201-0042"),
            A("text", .text(maxLength: 4000), help: T("答复内容", "the reply for the caller"), example: "已派员处理"),
        ]),
        CommandSpec(.recordCallback, roles: [.hotline], summary: T("记录回访结果", "record the callback's outcome"), target: "ticket", arguments: [
            A("ticket", .record(.ticket), help: T("工单编号", "ticket id"), example: "R20261201-0042"),
            A("satisfied", .flag, help: T("来电人是否满意", "whether the caller was satisfied"), example: "是"),
        ]),
        CommandSpec(.escalateTicket, roles: [.hotline], summary: T("工单转警：紧急情况生成警情（工单办结）", "escalate: the call is an emergency; an incident takes it over"),
                    target: "ticket", arguments: [
            A("ticket", .record(.ticket), help: T("工单编号", "ticket id"), example: "R20261201-0042"),
            A("type", .catalog(.incidentType), help: T("警情类型", "incident type"), example: "燃气泄漏"),
            A("priority", .choice(Priority.choices), required: false, help: T("等级 1–4，默认取类型的等级", "priority 1–4; default: the type's"), example: "1"),
        ]),
        CommandSpec(.noteTicket, roles: [.hotline, .staff], summary: T("在工单记录中添加备注（可设为内部备注）", "add a note to a ticket's timeline (optionally internal)"),
                    target: "ticket", arguments: [
            A("ticket", .record(.ticket), help: T("工单编号", "ticket id"), example: "R20261201-0042"),
            A("text", .text(maxLength: 1000), help: T("备注内容", "the note"), example: "来电人补充：夜间十点后噪声最大"),
            A("internal", .flag, required: false, help: T("内部备注：仅热线与承办部门可见，不对来电人公开", "internal: for the hotline and the department, never shown to the caller"),
              example: "是"),
        ]),
        CommandSpec(.createApproval, roles: [.staff], summary: T("受理一件审批申请", "accept an application at the one-stop window"), arguments: [
            A("item", .catalog(.approvalItem), help: T("审批事项", "approval item"), example: "企业设立登记"),
            A("applicant", .text(maxLength: 100), help: T("申请人", "applicant"), example: "云川市某某有限公司"),
            A("phone", .text(maxLength: 30), required: false, help: T("申请人电话", "applicant's phone"), example: "13700000000"),
        ]),
        CommandSpec(.startReview, roles: [.staff], summary: T("牵头部门启动审查", "start the review (lead department)"), target: "case", arguments: [
            A("case", .record(.approval), help: T("审批件编号", "case id"), example: "SP20261201-001"),
        ]),
        CommandSpec(.signOff, roles: [.staff], summary: T("部门会签意见", "sign off for the department"), target: "case", arguments: [
            A("case", .record(.approval), help: T("审批件编号", "case id"), example: "SP20261201-001"),
            A("approve", .flag, help: T("同意或不同意", "approve or not"), example: "是"),
            A("opinion", .text(maxLength: 1000), required: false, help: T("会签意见", "opinion"), example: "材料齐全，同意"),
            A("department", .catalog(.department), required: false, help: T("会签部门（默认本部门）", "signing department (default: yours)"), example: "market"),
        ]),
    ]

    private static func T(_ zh: String, _ en: String) -> LocalizedText { LocalizedText(zh: zh, en: en) }

    private static func A(_ key: String, _ kind: ArgumentKind, required: Bool = true, help: LocalizedText,
                          example: String) -> ArgumentSpec {
        ArgumentSpec(key, kind, required: required, help: help, example: example)
    }
}
