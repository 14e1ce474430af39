import FenghuoDomain

/// The intake form's own words (address search, known caller, premises, duplicates).
extension Strings {
    enum IntakeText {
        case street, road, landmark, priorityField, coordinates, seatDistance, outsideCity
        case premiseHeading, callerHeading, callerNone, duplicateHeading, samePhone, metres, minutesAgo
        case fieldAddress, ticket
    }

    func intake(_ t: IntakeText) -> String {
        let zh = language == .zh
        return switch t {
        case .street: zh ? "街道" : "street"
        case .road: zh ? "道路" : "road"
        case .landmark: zh ? "地标" : "landmark"
        case .priorityField: zh ? "等级" : "Priority"
        case .coordinates: zh ? "坐标" : "coordinates"
        case .seatDistance: zh ? "距区政府" : "from the district seat"
        case .outsideCity: zh ? "坐标不在本市范围内" : "the coordinates are outside the city"
        case .premiseHeading: zh ? "⚠ 地址警示" : "⚠ Premise warnings"
        case .callerHeading: zh ? "来电号码的历史记录" : "This phone called before"
        case .callerNone: zh ? "来电号码无历史记录" : "No earlier calls from this phone"
        case .duplicateHeading: zh ? "可能重复的未结警情" : "Possible duplicates (open incidents)"
        case .samePhone: zh ? "同一号码" : "same phone"
        case .metres: zh ? "米" : "m"
        case .minutesAgo: zh ? "分钟前" : "min ago"
        case .fieldAddress: zh ? "地址" : "Address"
        case .ticket: zh ? "工单" : "ticket"
        }
    }

    /// `P1 特急` / `P1 critical`: a priority as the form's picker lists it.
    func priorityChoice(_ p: Priority) -> String {
        language == .zh ? "P\(p.rawValue) \(priority(p))" : ["P1 critical", "P2 high", "P3 normal", "P4 low"][p.rawValue - 1]
    }
}

extension Strings {
    /// Asked when a new call looks like an open incident.
    func duplicateQuestion(_ id: String) -> String {
        language == .zh ? "可能是 \(id) 的重复报警：m 并入该警情（报警人和描述记入其处警记录），Enter 仍按新警情登记，其他键继续修改"
            : "this may repeat \(id): m merges it there (caller and story go into its timeline), Enter registers it as new, any other key edits on"
    }

    func mergeLabel(into id: String) -> String {
        language == .zh ? "重复报警并入 \(id)" : "second call merged into \(id)"
    }
}
