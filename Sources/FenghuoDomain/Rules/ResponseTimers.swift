import Foundation

/// The timed steps of an incident (各环节时限): from the call to a unit named, to a unit moving,
/// to a unit there, to the work under way.
public enum ResponseStep: String, CaseIterable, Sendable, Codable, Hashable {
    case dispatch, depart, arrive, work

    /// The step an incident in `status` is waiting on; nil once the work is under way or over.
    public init?(waitingIn status: IncidentStatus) {
        switch status {
        case .new: self = .dispatch
        case .dispatched: self = .depart
        case .enRoute: self = .arrive
        case .onScene: self = .work
        case .working, .resolved, .closed, .merged, .cancelled: return nil
        }
    }
}

/// Per priority, the seconds each step may take (`Fixtures/response_targets.tsv`).
public struct ResponseTargets: Sendable, Hashable {
    public private(set) var seconds: [Priority: [ResponseStep: Double]]

    public init(_ seconds: [Priority: [ResponseStep: Double]] = [:]) { self.seconds = seconds }

    public func allowed(_ priority: Priority, _ step: ResponseStep) -> Double? { seconds[priority]?[step] }

    public var isEmpty: Bool { seconds.isEmpty }

    /// The step an incident waits on now, how long it has waited and how long it may.
    public func timer(for incident: Incident, now: Date) -> StepTimer? {
        guard let step = ResponseStep(waitingIn: incident.status), let allowed = allowed(incident.priority, step) else { return nil }
        return StepTimer(step: step, elapsed: max(0, now.timeIntervalSince(incident.statusChangedAt)), allowed: allowed)
    }
}

/// Green, amber from 80 % of the allowed time, red past it.
public enum TimerLevel: Int, Sendable, Comparable {
    case ok, amber, red
    public static func < (a: TimerLevel, b: TimerLevel) -> Bool { a.rawValue < b.rawValue }
}

public struct StepTimer: Sendable, Hashable {
    public static let amberShare = 0.8

    public let step: ResponseStep
    public let elapsed: Double
    public let allowed: Double

    public init(step: ResponseStep, elapsed: Double, allowed: Double) {
        self.step = step
        self.elapsed = elapsed
        self.allowed = allowed
    }

    public var level: TimerLevel {
        if elapsed > allowed { return .red }
        return elapsed >= allowed * Self.amberShare ? .amber : .ok
    }
}

/// A unit that has gone quiet or is late: on scene an hour without a report, or on the way
/// half again as long as its trip's road ETA (from where it set out, not from where it is now:
/// a unit reporting its way closer is not given more time).
public struct UnitFlag: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case silentOnScene
        case lateEnRoute(etaSeconds: Double)
    }

    public static let silentAfter: Double = 3600
    public static let lateShare = 1.5

    public let unitID: String
    public let incidentID: String
    public let kind: Kind
    public let elapsed: Double

    /// The flag for `unit` now, if it earns one; `eta` is its road time to its incident.
    public static func check(_ unit: ResponseUnit, eta: Double?, now: Date) -> UnitFlag? {
        guard let incident = unit.incidentID else { return nil }
        let elapsed = now.timeIntervalSince(unit.statusChangedAt)
        switch unit.status {
        case .onScene where elapsed > silentAfter:
            return UnitFlag(unitID: unit.id, incidentID: incident, kind: .silentOnScene, elapsed: elapsed)
        case .enRoute:
            guard let eta, elapsed > eta * lateShare else { return nil }
            return UnitFlag(unitID: unit.id, incidentID: incident, kind: .lateEnRoute(etaSeconds: eta), elapsed: elapsed)
        default:
            return nil
        }
    }
}

/// One line of the alert line (告警): an overdue step or a flagged unit, with the incident it
/// concerns, most urgent first.
public struct DispatchAlert: Sendable, Hashable {
    public enum Subject: Sendable, Hashable {
        case step(StepTimer)
        case unit(UnitFlag)
        /// A major incident not yet reported to the 应急办 (上报).
        case reportDue
    }

    public let incidentID: String
    public let priority: Priority
    public let subject: Subject
    /// How far past its limit: elapsed ÷ allowed (a flagged unit counts as its own limit's).
    public let overdue: Double

    public init(incidentID: String, priority: Priority, subject: Subject, overdue: Double) {
        self.incidentID = incidentID
        self.priority = priority
        self.subject = subject
        self.overdue = overdue
    }

    /// What is overdue among `watch` now: the steps past their time, and the flagged units;
    /// and a P1 still waiting for a unit from its first second. By priority, then the most
    /// overdue first.
    /// A major incident (`plans.isMajor`) not yet reported is listed too, as due, until it is resolved.
    public static func alerts(_ watch: DispatchWatch, targets: ResponseTargets, plans: Plans = Plans(), now: Date) -> [DispatchAlert] {
        var out: [DispatchAlert] = []
        var priorities: [String: Priority] = [:]
        for incident in watch.incidents {
            priorities[incident.id] = incident.priority
            // While the work goes on: once resolved, a late report is the detail's reminder, not an alarm.
            if incident.status.isOpen, incident.status != .resolved, incident.report == nil, plans.isMajor(incident) {
                out.append(DispatchAlert(incidentID: incident.id, priority: incident.priority, subject: .reportDue, overdue: 1))
            }
            guard let timer = targets.timer(for: incident, now: now),
                  timer.level == .red || (incident.priority == .critical && incident.status == .new) else { continue }
            out.append(DispatchAlert(incidentID: incident.id, priority: incident.priority, subject: .step(timer),
                                     overdue: timer.elapsed / max(1, timer.allowed)))
        }
        for unit in watch.units {
            guard let flag = UnitFlag.check(unit, eta: watch.etaSeconds[unit.id], now: now) else { continue }
            let limit: Double = switch flag.kind {
            case .silentOnScene: UnitFlag.silentAfter
            case .lateEnRoute(let eta): eta * UnitFlag.lateShare
            }
            out.append(DispatchAlert(incidentID: flag.incidentID, priority: priorities[flag.incidentID] ?? .low,
                                     subject: .unit(flag), overdue: flag.elapsed / max(1, limit)))
        }
        return out.sorted { ($0.priority.rawValue, -$0.overdue, $0.incidentID) < ($1.priority.rawValue, -$1.overdue, $1.incidentID) }
    }
}

/// What the alert line watches: the open incidents (waiting on a step, or major and not yet reported), the units working
/// for incidents, and each en-route unit's road ETA to its incident: the trip's (from where
/// it set out, what it is held to) and what is left of it (from where it last reported).
public struct DispatchWatch: Sendable, Hashable {
    public var incidents: [Incident]
    public var units: [ResponseUnit]
    public var etaSeconds: [String: Double]
    public var remainingSeconds: [String: Double]

    public init(incidents: [Incident] = [], units: [ResponseUnit] = [], etaSeconds: [String: Double] = [:],
                remainingSeconds: [String: Double] = [:]) {
        self.incidents = incidents
        self.units = units
        self.etaSeconds = etaSeconds
        self.remainingSeconds = remainingSeconds
    }
}
