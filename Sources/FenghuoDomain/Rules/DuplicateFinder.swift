import Foundation

/// When two calls may be one incident: per incident type, the distance and time window within
/// which an open incident of a compatible type is a possible duplicate (fixture
/// `duplicate_rules.tsv`; types without a line use the defaults), and the type pairs that are
/// compatible across agencies (a 火灾 and a 交通事故 with a burning car).
public struct DuplicateRules: Hashable, Sendable {
    public struct Window: Hashable, Sendable {
        public let radiusMeters: Double
        public let minutes: Int

        public init(radiusMeters: Double, minutes: Int) {
            self.radiusMeters = radiusMeters
            self.minutes = minutes
        }
    }

    public static let defaultWindow = Window(radiusMeters: 300, minutes: 15)
    /// The same phone calling again within this many minutes is a duplicate whatever the place.
    public static let samePhoneMinutes = 30

    public let windows: [String: Window]
    /// Unordered pairs of type codes, each stored both ways.
    public let compatible: Set<[String]>

    public init(windows: [String: Window] = [:], compatible: [(String, String)] = []) {
        self.windows = windows
        self.compatible = Set(compatible.flatMap { [[$0.0, $0.1], [$0.1, $0.0]] })
    }

    public func window(for type: String) -> Window { windows[type] ?? Self.defaultWindow }

    /// Same agency, or a listed pair.
    public func areCompatible(_ a: IncidentType, _ b: IncidentType) -> Bool {
        a.agency == b.agency || compatible.contains([a.code, b.code])
    }
}

/// A new call as the intake form has it so far: any part may still be missing.
public struct IncidentDraft: Hashable, Sendable {
    public var typeCode: String?
    public var location: GeoPoint?
    public var phone: String

    public init(typeCode: String? = nil, location: GeoPoint? = nil, phone: String = "") {
        self.typeCode = typeCode
        self.location = location
        self.phone = phone
    }
}

/// An open incident that may be the call being typed, and why.
public struct DuplicateMatch: Hashable, Sendable {
    public let incident: Incident
    /// Metres from the draft's location; nil when either has none to compare.
    public let meters: Double?
    public let minutesAgo: Int
    public let samePhone: Bool
    public let nearby: Bool
}

/// Possible duplicates of a call being typed, for the intake form (and the merge the lead adds).
public enum DuplicateFinder {
    /// Open incidents that are within the window of the draft's type (the wider of the two
    /// types' windows) and of a compatible type, or that came from the same phone within
    /// `samePhoneMinutes`; nearest first, then newest. A draft without a type matches by
    /// place on the default window against any type.
    public static func matches(for draft: IncidentDraft, among open: [Incident], types: [String: IncidentType],
                               rules: DuplicateRules, now: Date, limit: Int = 5) -> [DuplicateMatch] {
        let phone = normalizedPhone(draft.phone)
        let draftType = draft.typeCode.flatMap { types[$0] }
        var found: [DuplicateMatch] = []
        for incident in open where incident.status.isOpen {
            let age = now.timeIntervalSince(incident.createdAt)
            guard age >= -60 else { continue }  // a clock a minute ahead is still "now"
            let minutes = max(0, Int(age / 60))
            let samePhone = phone.count >= 5 && normalizedPhone(incident.callerPhone) == phone
                && age <= Double(DuplicateRules.samePhoneMinutes * 60)
            var meters: Double?
            var nearby = false
            if let here = draft.location {
                let d = here.meters(to: incident.location)
                meters = d
                let theirs = rules.window(for: incident.typeCode)
                let window = draftType.map { rules.window(for: $0.code) } ?? DuplicateRules.defaultWindow
                let radius = max(window.radiusMeters, theirs.radiusMeters)
                let span = Double(max(window.minutes, theirs.minutes) * 60)
                let compatible = draftType.map { mine in types[incident.typeCode].map { rules.areCompatible(mine, $0) } ?? false } ?? true
                nearby = compatible && d <= radius && age <= span
            }
            if samePhone || nearby {
                found.append(DuplicateMatch(incident: incident, meters: meters, minutesAgo: minutes, samePhone: samePhone, nearby: nearby))
            }
        }
        return Array(found.sorted {
            ($0.meters ?? .infinity, -$0.incident.createdAt.timeIntervalSince1970, $0.incident.id)
                < ($1.meters ?? .infinity, -$1.incident.createdAt.timeIntervalSince1970, $1.incident.id)
        }.prefix(limit))
    }

    /// Digits only, without a leading +86 or 0086: `138 0000 0000` and `+86 13800000000` are one phone.
    public static func normalizedPhone(_ phone: String) -> String {
        var digits = String(phone.unicodeScalars.filter { $0.isASCII && CharacterSet.decimalDigits.contains($0) }.map(Character.init))
        for prefix in ["0086", "86"] where digits.hasPrefix(prefix) && digits.count > 11 { digits.removeFirst(prefix.count); break }
        return digits
    }
}
