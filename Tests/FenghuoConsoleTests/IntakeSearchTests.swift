import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Foundation
import Testing
import TestSupport

/// The new-incident form over the demo city: address search (pinyin, house numbers, `LAT,LON`),
/// the editable priority, premise warnings, the known caller and possible duplicates.
@Suite("Intake form: address search, priority, caller, premises, duplicates")
struct IntakeSearchTests {
    typealias Rig = IntakeFormTests.Rig

    /// The form open with 住宅火灾 chosen and the address field focused.
    func fireCall() -> Rig {
        let rig = Rig(pane: .dispatch)
        rig.press(.char("n"))
        rig.type("住宅火灾")
        rig.press(.enter)
        return rig
    }

    @Test func pinyin_initials_find_a_landmark_and_taking_it_fills_the_address_and_the_district() throws {
        let rig = fireCall()
        rig.type("wmxc")                       // 文庙新村
        #expect(rig.screen.contains("文庙新村  老城区 · 小区"))
        rig.press(.enter)
        rig.type("13800000000")                // the district is filled and the priority proposed: on to the phone
        #expect(!rig.screen.contains("wmxc"))
        rig.press(.up, .up)                    // back to the district to look
        #expect(rig.screen.contains("[文庙新村"))
        #expect(rig.screen.contains("[老城区"))
        rig.press(.tab, .tab, .tab, .tab)      // to the narrative
        rig.type("三楼起火")
        rig.press(.enter)
        let sent = try #require(rig.sent.first)
        guard case .createIncident(let n) = sent.command else { Issue.record("\(sent.command)"); return }
        #expect(n.address == "文庙新村")
        #expect(n.district == "laocheng")
        // A landmark's own coordinates go to central: the roads cannot place a compound's name.
        #expect(n.location == GeoPoint(lat: 30.522286, lon: 114.270191))
        #expect(n.priority == .critical)
    }

    @Test func a_house_number_after_pinyin_initials_offers_that_number_on_the_street_and_shows_its_warning() throws {
        let rig = fireCall()
        rig.type("jfl88")
        #expect(rig.screen.contains("解放路88号  老城区 · 街道"))
        rig.press(.enter)
        #expect(rig.screen.contains("[解放路88号"))
        #expect(rig.screen.contains("⚠ 地址警示"))
        #expect(rig.screen.contains("独居老人：独居老人（八十五岁"))
    }

    @Test func typing_the_address_in_full_shows_its_warning_at_once() {
        let rig = fireCall()
        rig.type("江北大道168号")
        #expect(rig.screen.contains("危化品仓库：化工原料经营部仓库"))
        rig.press(.escape)                     // hides the list, keeps the text
        #expect(rig.screen.contains("[江北大道168号"))
        #expect(rig.screen.contains("[江北区"))
    }

    @Test func typed_coordinates_in_the_city_place_the_call_and_pick_the_nearest_district() throws {
        let rig = fireCall()
        rig.type("30.5412,114.3021")
        #expect(rig.screen.contains("坐标 → 老城区"))
        rig.press(.tab, .tab, .tab, .tab, .tab)   // district, priority, phone, caller, narrative
        rig.type("路边冒烟")
        rig.press(.enter)
        let sent = try #require(rig.sent.first)
        guard case .createIncident(let n) = sent.command else { Issue.record("\(sent.command)"); return }
        #expect(n.location == GeoPoint(lat: 30.5412, lon: 114.3021))
        #expect(n.district == "laocheng")
    }

    @Test func coordinates_outside_the_city_or_malformed_are_refused_beside_the_address_naming_it() {
        let rig = fireCall()
        rig.type("39.9042,116.4074")
        rig.press(.tab)
        rig.type("lcq")
        rig.press(.tab, .tab, .tab, .tab)
        rig.type("x")
        rig.press(.enter)
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("地址：坐标不在本市范围内"))
        // Corrected to a malformed pair: still refused, saying what a pair is.
        rig.press(.ctrl("u"))
        rig.type("30.5.4,114")
        rig.press(.enter)
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("地址：坐标应为"))
    }

    @Test func the_type_proposes_the_priority_and_a_chosen_priority_stays_when_the_type_changes() throws {
        let rig = fireCall()
        rig.type("湖心路8号")
        rig.press(.tab, .tab)                  // district (filled from the street), priority
        #expect(rig.screen.contains("[P1 特急"))
        rig.type("p3")
        rig.press(.enter)
        rig.press(.up, .up, .up, .up)          // back to the type
        rig.press(.backspace)
        rig.type("盗窃")
        rig.press(.enter)
        #expect(rig.screen.contains("[P3 一般"))
        rig.press(.tab, .tab, .tab, .tab, .tab)
        rig.type("x")
        rig.press(.enter)
        let sent = try #require(rig.sent.first)
        guard case .createIncident(let n) = sent.command else { Issue.record("\(sent.command)"); return }
        #expect(n.type == "theft")
        #expect(n.priority == .normal)
        #expect(n.district == "binhu")
    }

    @Test func a_known_phone_shows_the_callers_earlier_incidents_newest_first() throws {
        let reader = DemoCity.database.reader
        let caller = try #require(try reader.openIncidents(since: .distantPast).first { !$0.callerPhone.isEmpty })
        let earlier = try reader.callerHistory(phone: caller.callerPhone, limit: 5).incidents
        let rig = fireCall()
        rig.press(.tab, .tab, .tab)            // district, priority, phone
        rig.type(caller.callerPhone)
        #expect(rig.screen.contains("来电号码的历史记录"))
        let newest = try #require(earlier.first)
        #expect(rig.screen.contains(newest.id))
        // A phone nobody called from says so.
        rig.press(.ctrl("u"))
        rig.type("19900000001")
        #expect(rig.screen.contains("来电号码无历史记录"))
        #expect(!rig.screen.contains("来电号码的历史记录"))
    }

    @Test func an_open_incident_from_the_same_phone_within_30_minutes_is_listed_as_a_possible_duplicate() throws {
        let reader = DemoCity.database.reader
        let recent = try reader.openIncidents(since: DemoCity.now.addingTimeInterval(-30 * 60)).first { !$0.callerPhone.isEmpty }
        let incident = try #require(recent, "the demo city has an open call of the last 30 minutes")
        let rig = fireCall()
        rig.press(.tab, .tab, .tab)
        rig.type(incident.callerPhone)
        #expect(rig.screen.contains("可能重复的未结警情"))
        #expect(rig.screen.contains("\(incident.id)  "))
        #expect(rig.screen.contains("同一号码"))
    }

    @Test func an_open_incident_of_a_compatible_type_nearby_is_listed_with_its_distance() throws {
        let reader = DemoCity.database.reader
        let open = try reader.openIncidents(since: DemoCity.now.addingTimeInterval(-15 * 60))
        let directory = try reader.directory()
        let incident = try #require(open.first, "the demo city has an open call of the last 15 minutes")
        let rig = Rig(pane: .dispatch)
        rig.press(.char("n"))
        rig.type(directory.incidentTypes[incident.typeCode]!.name)
        rig.press(.enter)
        // Typed at the incident's own point: 0 m away, of its own type.
        rig.type(TypedCoordinates.text(of: incident.location))
        #expect(rig.screen.contains("可能重复的未结警情"))
        #expect(rig.screen.contains("\(incident.id)  \(directory.incidentTypes[incident.typeCode]!.name)"))
        #expect(rig.screen.contains(" 0 米"))
    }

    /// A call typed at the point of the demo city's newest open incident, its form submitted
    /// once: the duplicate question is up.
    func secondCall(_ narrative: String) throws -> (Rig, Incident) {
        let reader = DemoCity.database.reader
        let open = try reader.openIncidents(since: DemoCity.now.addingTimeInterval(-15 * 60))
        let directory = try reader.directory()
        let incident = try #require(open.first, "the demo city has an open call of the last 15 minutes")
        let rig = Rig(pane: .dispatch)
        rig.press(.char("n"))
        rig.type(directory.incidentTypes[incident.typeCode]!.name)
        rig.press(.enter)
        rig.type(TypedCoordinates.text(of: incident.location))
        rig.press(.tab, .tab, .tab, .tab, .tab)
        rig.type(narrative)
        rig.press(.enter)
        return (rig, incident)
    }

    @Test func enter_on_a_call_with_a_listed_duplicate_asks_and_m_merges_it_into_that_incident() throws {
        let (rig, incident) = try secondCall("又一位路人报警，同一地点")
        // Not sent: the form asks first, naming the incident it may repeat.
        #expect(rig.sent.isEmpty, "\(rig.screen)")
        #expect(rig.screen.replacingOccurrences(of: "\\s", with: "", options: .regularExpression).contains("可能是\(incident.id)的重复报警"), "\(rig.screen)")
        rig.press(.char("m"))
        let sent = try #require(rig.sent.first, "\(rig.screen)")
        guard case .createIncident(let n) = sent.command else { Issue.record("\(sent.command)"); return }
        #expect(n.mergeInto == incident.id)
        #expect(n.narrative == "又一位路人报警，同一地点")
    }

    @Test func enter_again_registers_the_call_as_new_despite_the_duplicate() throws {
        let (rig, _) = try secondCall("另一起，不是同一件事")
        #expect(rig.sent.isEmpty)
        rig.press(.enter)
        let sent = try #require(rig.sent.first, "\(rig.screen)")
        guard case .createIncident(let n) = sent.command else { Issue.record("\(sent.command)"); return }
        #expect(n.mergeInto == nil)
    }
}
