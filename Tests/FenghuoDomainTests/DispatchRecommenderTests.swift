import FenghuoDomain
import Foundation
import Testing

/// A small town cut by a river with one bridge, worked out by hand:
///
///     north bank   N ──2000 m── BN
///                                │ bridge 500 m
///     south bank   I ──2000 m── BS          I ──1500 m── E
///
/// Every road is 36 km/h (10 m/s). N is 300 m from the incident at I as the crow flies, across
/// the water, but 4500 m (450 s) by road; E is 1500 m away both ways (150 s).
enum RiverTown {
    static let now = Date(timeIntervalSince1970: 1_796_090_400)
    static let i = GeoPoint(lat: 30.5000, lon: 114.3000)
    static let n = GeoPoint(lat: 30.5027, lon: 114.3000)
    static let bn = GeoPoint(lat: 30.5027, lon: 114.3209)
    static let bs = GeoPoint(lat: 30.5000, lon: 114.3209)
    static let e = GeoPoint(lat: 30.5000, lon: 114.2844)
    /// 20 km west of E (2000 s more): beyond any alternate's reach from I.
    static let far = GeoPoint(lat: 30.5000, lon: 114.0760)

    static func graph() throws -> RoadGraph {
        try RoadGraph(nodes: [RoadNode(id: "I", location: i), RoadNode(id: "N", location: n), RoadNode(id: "BN", location: bn),
                              RoadNode(id: "BS", location: bs), RoadNode(id: "E", location: e),
                              RoadNode(id: "FAR", location: far)],
                      edges: [RoadEdge(from: "N", to: "BN", lengthMeters: 2000, speedKmh: 36, oneway: false, name: "北岸路"),
                              RoadEdge(from: "BN", to: "BS", lengthMeters: 500, speedKmh: 36, oneway: false, name: "云川大桥"),
                              RoadEdge(from: "BS", to: "I", lengthMeters: 2000, speedKmh: 36, oneway: false, name: "南岸路"),
                              RoadEdge(from: "I", to: "E", lengthMeters: 1500, speedKmh: 36, oneway: false, name: "西街"),
                              RoadEdge(from: "E", to: "FAR", lengthMeters: 20000, speedKmh: 36, oneway: false, name: "西郊公路")])
    }

    static func unit(_ id: String, _ kind: String, at point: GeoPoint, district: String = "binhu",
                     status: UnitStatus = .available, incident: String? = nil, agency: Agency = .fire) -> ResponseUnit {
        ResponseUnit(id: id, agency: agency, kind: kind, name: id, district: district, station: "\(id)站", location: point,
                     status: status, incidentID: incident, statusChangedAt: now)
    }

    static func fire(_ id: String = "J1", priority: Priority = .critical) -> Incident {
        Incident(id: id, agency: .fire, typeCode: "fire_home", priority: priority, district: "binhu", address: "滨江路1号",
                 location: i, callerName: "李四", callerPhone: "139", narrative: "三楼冒烟", createdAt: now)
    }

    static func card(_ lines: (String, Int)...) -> RunCards {
        RunCards(lines.map { RunCardLine(typeCode: "fire_home", priority: nil, district: nil, kind: $0.0, count: $0.1) })
    }
}

@Suite("Dispatch recommender: the run card filled with the nearest units by road")
struct DispatchRecommenderTests {
    @Test func the_unit_nearest_by_road_is_sent_not_the_one_nearest_across_the_river() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(), runCards: RiverTown.card(("水罐消防车", 1)))
        let units = [RiverTown.unit("F-N", "水罐消防车", at: RiverTown.n), RiverTown.unit("F-E", "水罐消防车", at: RiverTown.e)]
        let r = recommender.recommend(for: RiverTown.fire(), units: units)
        #expect(r.incidentNode == "I")
        #expect(r.lines.count == 1)
        let pick = try #require(r.lines[0].picks.first)
        #expect(pick.unitID == "F-E")
        #expect(abs(pick.etaSeconds - 150) < 0.001)
        #expect(abs(pick.roadMeters - 1500) < 0.001)
        #expect(pick.fromNode == "E" && pick.toNode == "I")
        let alternate = try #require(r.lines[0].alternates.first)
        #expect(alternate.unitID == "F-N")
        #expect(abs(alternate.etaSeconds - 450) < 0.001)
        #expect(abs(alternate.roadMeters - 4500) < 0.001)
        #expect(r.shortfall == 0)
        #expect(r.unitIDs == ["F-E"])
    }

    @Test func a_kind_with_too_few_free_units_names_its_shortfall() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(),
                                              runCards: RiverTown.card(("水罐消防车", 2), ("云梯消防车", 1)))
        let units = [RiverTown.unit("F-E", "水罐消防车", at: RiverTown.e),
                     RiverTown.unit("F-BUSY", "水罐消防车", at: RiverTown.i, status: .onScene, incident: "J9"),
                     RiverTown.unit("F-OUT", "水罐消防车", at: RiverTown.i, status: .outOfService)]
        let r = recommender.recommend(for: RiverTown.fire(), units: units)
        #expect(r.lines.map(\.kind) == ["水罐消防车", "云梯消防车"])
        #expect(r.lines[0].picks.map(\.unitID) == ["F-E"])
        #expect(r.lines[0].shortfall == 1)
        #expect(r.lines[1].picks.isEmpty)
        #expect(r.lines[1].shortfall == 1)
        #expect(r.shortfall == 2)
    }

    @Test func units_already_committed_to_the_incident_count_toward_its_card() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(), runCards: RiverTown.card(("水罐消防车", 2)))
        let units = [RiverTown.unit("F-ON", "水罐消防车", at: RiverTown.i, status: .onScene, incident: "J1"),
                     RiverTown.unit("F-E", "水罐消防车", at: RiverTown.e), RiverTown.unit("F-N", "水罐消防车", at: RiverTown.n)]
        let r = recommender.recommend(for: RiverTown.fire(), units: units)
        #expect(r.lines[0].committed == ["F-ON"])
        #expect(r.lines[0].picks.map(\.unitID) == ["F-E"])
        #expect(r.lines[0].alternates.map(\.unitID) == ["F-N"])
        #expect(r.shortfall == 0)
    }

    @Test func a_unit_from_another_district_is_marked_as_cross_district_support() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(), runCards: RiverTown.card(("水罐消防车", 1)))
        let r = recommender.recommend(for: RiverTown.fire(), units: [RiverTown.unit("F-N", "水罐消防车", at: RiverTown.n, district: "jiangbei")])
        let pick = try #require(r.lines[0].picks.first)
        #expect(pick.unitID == "F-N")
        #expect(pick.crossDistrict)
    }

    @Test func a_returning_unit_may_be_sent_but_an_available_one_as_near_comes_first_by_call_sign() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(), runCards: RiverTown.card(("救护车", 1)))
        let units = [RiverTown.unit("A-2", "救护车", at: RiverTown.e, status: .returning, agency: .ambulance),
                     RiverTown.unit("A-1", "救护车", at: RiverTown.e, agency: .ambulance)]
        let r = recommender.recommend(for: RiverTown.fire(), units: units)
        #expect(r.lines[0].picks.map(\.unitID) == ["A-1"])
        #expect(r.lines[0].alternates.map(\.unitID) == ["A-2"])
    }

    @Test func alternates_are_sought_only_so_far_beyond_the_last_pick_but_a_pick_is_found_however_far() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(), runCards: RiverTown.card(("水罐消防车", 1), ("云梯消防车", 1)))
        let units = [RiverTown.unit("F-E", "水罐消防车", at: RiverTown.e), RiverTown.unit("F-FAR", "水罐消防车", at: RiverTown.far),
                     RiverTown.unit("L-N", "云梯消防车", at: RiverTown.n)]
        let r = recommender.recommend(for: RiverTown.fire(), units: units)
        // The last pick (the ladder across the bridge) is 450 s away: alternates out to 450 × 1.5 + 600 s.
        #expect(r.lines[0].picks.map(\.unitID) == ["F-E"])
        #expect(r.lines[0].alternates.isEmpty, "an engine 2150 s away was offered as an alternate")
        let far = recommender.recommend(for: RiverTown.fire(), units: [RiverTown.unit("F-FAR", "水罐消防车", at: RiverTown.far)])
        #expect(far.lines[0].picks.map(\.unitID) == ["F-FAR"])
        #expect(abs((far.lines[0].picks.first?.etaSeconds ?? 0) - 2150) < 0.001)
    }

    @Test func swapping_a_pick_takes_the_lines_first_alternate() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(), runCards: RiverTown.card(("水罐消防车", 1)))
        let units = [RiverTown.unit("F-N", "水罐消防车", at: RiverTown.n), RiverTown.unit("F-E", "水罐消防车", at: RiverTown.e)]
        let swapped = recommender.recommend(for: RiverTown.fire(), units: units).swapping(line: 0, pick: 0)
        #expect(swapped.unitIDs == ["F-N"])
        #expect(swapped.lines[0].alternates.map(\.unitID) == ["F-E"])
        #expect(swapped.swapping(line: 3, pick: 0) == swapped)
    }

    @Test func an_incident_type_without_a_card_gets_no_recommendation() throws {
        let recommender = DispatchRecommender(graph: try RiverTown.graph(), runCards: RunCards())
        let r = recommender.recommend(for: RiverTown.fire(), units: [RiverTown.unit("F-E", "水罐消防车", at: RiverTown.e)])
        #expect(!r.hasCard)
        #expect(r.unitIDs.isEmpty)
    }
}

@Suite("Run cards: the most specific card that matches an incident")
struct RunCardTests {
    static let cards = RunCards([
        RunCardLine(typeCode: "fire_home", priority: nil, district: nil, kind: "水罐消防车", count: 1),
        RunCardLine(typeCode: "fire_home", priority: .critical, district: nil, kind: "水罐消防车", count: 2),
        RunCardLine(typeCode: "fire_home", priority: .critical, district: nil, kind: "救护车", count: 1),
        RunCardLine(typeCode: "fire_home", priority: nil, district: "linchuan", kind: "抢险救援车", count: 1),
        RunCardLine(typeCode: "fire_home", priority: .critical, district: "linchuan", kind: "水罐消防车", count: 3),
    ])

    @Test func priority_and_district_beat_priority_which_beats_district_which_beats_the_generic_card() {
        let c = Self.cards
        #expect(c.card(type: "fire_home", priority: .critical, district: "linchuan").map(\.count) == [3])
        #expect(c.card(type: "fire_home", priority: .critical, district: "binhu").map(\.kind) == ["水罐消防车", "救护车"])
        #expect(c.card(type: "fire_home", priority: .high, district: "linchuan").map(\.kind) == ["抢险救援车"])
        #expect(c.card(type: "fire_home", priority: .low, district: "binhu").map(\.count) == [1])
        #expect(c.card(type: "theft", priority: .low, district: "binhu").isEmpty)
    }

    @Test func another_agencys_unit_joins_only_when_the_incidents_card_calls_for_its_kind() throws {
        var records = RecordsInMemory(reference: ReferenceTables(
            calendar: WorkingDayCalendar(years: [], entries: []), incidentTypes: [:], districts: [:], ticketCategories: [:],
            departments: [:], approvalItems: [:], runCards: Self.cards))
        records.incidents["J1"] = RiverTown.fire()
        records.units["A-1"] = RiverTown.unit("A-1", "救护车", at: RiverTown.e, agency: .ambulance)
        records.units["P-1"] = RiverTown.unit("P-1", "巡逻车", at: RiverTown.e, agency: .police)
        let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")
        let changes = try Deciders.decide(.dispatch(incident: "J1", units: ["A-1"]), by: duty, at: RiverTown.now,
                                          reading: records, baseVersion: nil)
        #expect(changes.map(\.record.id) == ["J1", "A-1"])
        do {
            _ = try Deciders.decide(.dispatch(incident: "J1", units: ["P-1"]), by: duty, at: RiverTown.now, reading: records, baseVersion: nil)
            Issue.record("a patrol car the card does not call for joined a fire")
        } catch {
            guard case .agencyMismatch("P-1", .police, .fire) = error.reason else {
                Issue.record("\(error.reason)")
                return
            }
        }
    }
}

@Suite("Short incident numbers")
struct ShortNumberTests {
    @Test func a_days_number_names_todays_incident_first_else_the_only_one_with_it() throws {
        let today = try day("2026-12-02")
        #expect(IDFormat.resolve("42", .incident, today: today, candidates: ["J20261201-0042", "J20261202-0042"]) == "J20261202-0042")
        #expect(IDFormat.resolve("42", .incident, today: today, candidates: ["J20261130-0042"]) == "J20261130-0042")
        #expect(IDFormat.resolve("42", .incident, today: today, candidates: ["J20261130-0042", "J20261129-0042"]) == nil)
        #expect(IDFormat.resolve("42", .incident, today: today, candidates: []) == nil)
        #expect(IDFormat.resolve("J20261130-0042", .incident, today: today, candidates: []) == "J20261130-0042")
        #expect(IDFormat.shortNumber("0") == nil)
        #expect(IDFormat.shortNumber("1234567") == nil)
        #expect(IDFormat.shortNumber("１２") == nil)
    }
}
