import FenghuoDomain
import Foundation
import Testing

@Suite("Step timers: amber at 80 %, red past the time; the alert line, most urgent first")
struct ResponseTimerTests {
    static let called = Date(timeIntervalSince1970: 1_796_090_400)
    static let targets = ResponseTargets([
        .critical: [.dispatch: 60, .depart: 60, .arrive: 480, .work: 300],
        .normal: [.dispatch: 300, .depart: 120, .arrive: 1200, .work: 900],
    ])

    static func incident(_ id: String, _ priority: Priority, _ status: IncidentStatus, since: Date = called) -> Incident {
        Incident(id: id, agency: .fire, typeCode: "fire_home", priority: priority, district: "binhu", address: "湖心路8号",
                 location: GeoPoint(lat: 30.49, lon: 114.39), callerName: "", callerPhone: "", narrative: "", status: status,
                 unitIDs: status == .new ? [] : ["F-01"], createdAt: called, statusChangedAt: since)
    }

    static func unit(_ id: String, _ status: UnitStatus, incident: String, since: Date) -> ResponseUnit {
        ResponseUnit(id: id, agency: .fire, kind: "水罐车", name: id, district: "binhu", station: "s",
                     location: GeoPoint(lat: 30.49, lon: 114.39), status: status, incidentID: incident, statusChangedAt: since)
    }

    @Test(arguments: [(IncidentStatus.new, ResponseStep.dispatch), (.dispatched, .depart), (.enRoute, .arrive), (.onScene, .work)])
    func each_waiting_status_times_its_step(_ status: IncidentStatus, _ step: ResponseStep) {
        #expect(ResponseStep(waitingIn: status) == step)
    }

    @Test func work_under_way_and_finished_incidents_are_not_timed() {
        for status in [IncidentStatus.working, .resolved, .closed, .merged, .cancelled] {
            #expect(Self.targets.timer(for: Self.incident("J1", .critical, status), now: Self.called.addingTimeInterval(9999)) == nil)
        }
    }

    @Test func the_timer_is_green_then_amber_from_80_percent_then_red_past_its_time() {
        let i = Self.incident("J1", .critical, .new)
        let at = { (s: Double) in Self.targets.timer(for: i, now: Self.called.addingTimeInterval(s))?.level }
        #expect(at(47) == .ok)
        #expect(at(48) == .amber)
        #expect(at(60) == .amber)
        #expect(at(61) == .red)
        #expect(Self.targets.timer(for: Self.incident("J2", .normal, .enRoute), now: Self.called.addingTimeInterval(1000))?.level == .amber)
    }

    @Test func a_unit_on_scene_an_hour_without_a_report_or_on_the_way_half_again_its_eta_is_flagged() {
        let now = Self.called.addingTimeInterval(4000)
        #expect(UnitFlag.check(Self.unit("F-01", .onScene, incident: "J1", since: Self.called), eta: nil, now: now)?.kind == .silentOnScene)
        #expect(UnitFlag.check(Self.unit("F-01", .onScene, incident: "J1", since: now.addingTimeInterval(-3599)), eta: nil, now: now) == nil)
        let moving = Self.unit("F-02", .enRoute, incident: "J1", since: now.addingTimeInterval(-400))
        #expect(UnitFlag.check(moving, eta: 300, now: now) == nil, "400 s of a 300 s ETA is within half again")
        #expect(UnitFlag.check(moving, eta: 260, now: now)?.kind == .lateEnRoute(etaSeconds: 260))
        #expect(UnitFlag.check(moving, eta: nil, now: now) == nil, "no ETA, no judgement")
    }

    @Test func the_alert_line_lists_overdue_steps_and_flagged_units_by_priority_then_how_far_over() {
        let now = Self.called.addingTimeInterval(900)
        let watch = DispatchWatch(
            incidents: [Self.incident("J-N1", .normal, .new, since: now.addingTimeInterval(-400)),     // 400/300 over
                        Self.incident("J-N2", .normal, .new, since: now.addingTimeInterval(-100)),     // within
                        Self.incident("J-C1", .critical, .dispatched, since: now.addingTimeInterval(-90)),  // 90/60 over
                        Self.incident("J-C2", .critical, .new, since: now.addingTimeInterval(-10))],   // a waiting P1: always
            units: [Self.unit("F-09", .enRoute, incident: "J-N2", since: now.addingTimeInterval(-800))],
            etaSeconds: ["F-09": 200])
        let alerts = DispatchAlert.alerts(watch, targets: Self.targets, now: now)
        #expect(alerts.map(\.incidentID) == ["J-C1", "J-C2", "J-N2", "J-N1"])
        guard case .unit(let flag) = alerts[2].subject else { Issue.record("\(alerts)"); return }
        #expect(flag.unitID == "F-09")
    }
}
