import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Foundation
import GRDB
import Testing
import TestSupport

/// The recommendation beside an open incident, and `D` sending it (the demo city's roads,
/// run cards and units, in real SQLite).
@Suite("Recommendation in the incident detail")
struct RecommendationTests {
    /// A high-rise fire just called in (its card asks for five kinds of unit), opened.
    static func openWaitingFire(_ rig: WriteRig) throws -> String {
        let id = "J20261201-9001"
        try rig.database.writer.write { db in
            try db.execute(sql: "CREATE TEMP TABLE copy AS SELECT * FROM incident WHERE is_open = 1 AND district = 'binhu' LIMIT 1")
            try db.execute(sql: """
                UPDATE copy SET id = ?, agency = '119', type_code = 'fire_highrise', priority = 1, status = 'new',
                unit_ids = '[]', version = 1
                """, arguments: [id])
            try db.execute(sql: "INSERT INTO incident SELECT * FROM copy")
        }
        rig.notice(.changed)
        rig.press(.char("/"))
        rig.type(id)
        rig.press(.enter)
        #expect(rig.model.dispatch.queue.selectedRow?.id == id)
        rig.press(.enter)
        #expect(rig.model.dispatch.showingDetail)
        return id
    }

    /// The minutes the screen gives unit `id` (`≈5分` after its id), wherever it is shown.
    static func minutesLeft(_ id: String, on screen: String) -> [Double] {
        screen.split(separator: "\n").compactMap { line -> Double? in
            guard let at = line.range(of: id), let sign = line[at.upperBound...].range(of: "≈") else { return nil }
            let digits = line[sign.upperBound...].prefix { $0.isNumber || $0 == "." }
            return Double(digits)
        }
    }

    @Test func an_en_route_units_time_left_follows_its_position_reports_in_the_incident_detail() throws {
        // Given the fire with a far engine on its way (it set out from its station)
        let rig = try WriteRig(pane: .dispatch)
        let id = try Self.openWaitingFire(rig)
        rig.press(.escape)
        let unit = "F-LN-01"
        try rig.database.writer.write { db in
            try db.execute(sql: """
                UPDATE unit SET status = 'en_route', incident_id = ?, trip_lat = lat, trip_lon = lon, version = version + 1,
                status_version = version + 1 WHERE id = ?
                """, arguments: [id, unit])
            try db.execute(sql: "UPDATE incident SET status = 'en_route', unit_ids = ?, version = version + 1 WHERE id = ?",
                            arguments: [unit, id])
        }
        rig.notice(.changed)
        rig.press(.enter)
        let before = Self.minutesLeft(unit, on: rig.screen)
        #expect(before.count == 1, "the crew line: \(rig.screen)")
        let far = try #require(before.first)
        #expect(far > 5, "\(rig.screen)")
        // When its locator reports it half way there, then at the scene
        try rig.database.writer.write { db in
            try db.execute(sql: """
                UPDATE unit SET lat = (lat + (SELECT lat FROM incident WHERE id = ?)) / 2, lon = (lon + (SELECT lon FROM incident WHERE id = ?)) / 2,
                moved_at = ?, version = version + 1 WHERE id = ?
                """, arguments: [id, id, Int(Date().timeIntervalSince1970), unit])
        }
        rig.notice(.changed)
        let half = try #require(Self.minutesLeft(unit, on: rig.screen).first, "\(rig.screen)")
        #expect(half < far, "\(half) after \(far)")
        try rig.database.writer.write { db in
            try db.execute(sql: """
                UPDATE unit SET lat = (SELECT lat FROM incident WHERE id = ?), lon = (SELECT lon FROM incident WHERE id = ?),
                version = version + 1 WHERE id = ?
                """, arguments: [id, id, unit])
        }
        rig.notice(.changed)
        let there = Self.minutesLeft(unit, on: rig.screen)
        #expect(there.count == 1 && there.allSatisfy { $0 <= 1 }, "\(rig.screen)")
        // And the watch still holds it to the trip's time from where it set out
        let watch = try rig.database.reader.dispatchWatch()
        #expect(watch.etaSeconds[unit].map { $0 / 60 > far - 1 } == true, "\(watch.etaSeconds)")
        #expect(watch.remainingSeconds[unit].map { $0 < 60 } == true)
    }

    @Test func a_waiting_incident_opens_with_its_recommendation_and_D_sends_exactly_those_units() throws {
        let rig = try WriteRig(pane: .dispatch)
        let id = try Self.openWaitingFire(rig)
        let expected = try #require(try rig.database.reader.recommendation(for: id))
        #expect(!expected.unitIDs.isEmpty)
        #expect(rig.screen.contains("出动建议"), "\(rig.screen)")
        #expect(rig.screen.contains(expected.unitIDs[0]), "\(rig.screen)")
        rig.press(.char("D"))
        let sent = try #require(rig.sent.last, "D sent nothing: \(rig.screen)")
        #expect(sent.command == .dispatch(incident: .init(id), units: expected.unitIDs.map { .init($0) }))
    }

    @Test func s_swaps_the_selected_unit_for_its_lines_alternate_before_sending() throws {
        let rig = try WriteRig(pane: .dispatch)
        let id = try Self.openWaitingFire(rig)
        let expected = try #require(try rig.database.reader.recommendation(for: id))
        let alternate = try #require(expected.lines[0].alternates.first, "the first line has no alternate")
        rig.press(.char("s"))
        rig.press(.char("D"))
        let sent = try #require(rig.sent.last)
        var units = expected.unitIDs
        units[0] = alternate.unitID
        #expect(sent.command == .dispatch(incident: .init(id), units: units.map { .init($0) }))
    }

    @Test func r_shows_the_unit_board_instead_and_D_then_sends_nothing() throws {
        let rig = try WriteRig(pane: .dispatch)
        _ = try Self.openWaitingFire(rig)
        rig.press(.char("r"))
        #expect(rig.screen.contains("力量状态"))
        #expect(!rig.screen.contains("出动建议"))
        rig.press(.char("D"))
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("没有可派的建议车辆"), "\(rig.screen)")
    }

    @Test func a_leader_sees_the_recommendation_but_D_is_refused_on_the_console() throws {
        let rig = try WriteRig(pane: .dispatch, role: .leader, operatorLabel: "leader1")
        _ = try Self.openWaitingFire(rig)
        rig.press(.char("D"))
        #expect(rig.sent.isEmpty)
    }

    @Test func d_on_the_board_sends_the_selected_unit_to_the_selected_incident() throws {
        let rig = try WriteRig(pane: .dispatch)
        let incident = try #require(rig.model.dispatch.queue.selectedRow)
        rig.press(.tab, .down, .down)
        let unit = rig.model.dispatch.units[2]
        rig.press(.char("d"))
        let sent = try #require(rig.sent.last, "d sent nothing: \(rig.screen)")
        #expect(sent.command == .dispatch(incident: .init(incident.id), units: [.init(unit.id)]))
        #expect(sent.baseVersion == incident.version)
    }
}
