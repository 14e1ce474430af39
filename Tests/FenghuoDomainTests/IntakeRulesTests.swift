import FenghuoDomain
import Foundation
import Testing

/// A small gazetteer: two districts, two streets, a road that is no district's street, a landmark.
enum SmallCity {
    static let laocheng = District(code: "laocheng", name: "老城区", nameEN: "Laocheng", location: GeoPoint(lat: 30.53, lon: 114.30), population: 1)
    static let binhu = District(code: "binhu", name: "滨湖区", nameEN: "Binhu", location: GeoPoint(lat: 30.49, lon: 114.40), population: 1)
    static let gazetteer = Gazetteer(
        streets: [(district: "laocheng", name: "解放路"), (district: "laocheng", name: "解放北路"), (district: "binhu", name: "湖心路")],
        landmarks: [Gazetteer.Place(kind: .landmark, name: "文庙新村", district: "laocheng", location: GeoPoint(lat: 30.5223, lon: 114.2702), detail: "小区")],
        roads: [(name: "湖心路", point: GeoPoint(lat: 30.49, lon: 114.39)), (name: "滨湖大桥", point: GeoPoint(lat: 30.495, lon: 114.398))],
        districts: [laocheng, binhu])
}

@Suite("Intake rules: gazetteer, coordinates, premises, duplicates")
struct IntakeRulesTests {
    // MARK: Gazetteer

    @Test func a_road_that_is_no_districts_street_takes_the_district_of_the_nearest_seat() throws {
        let bridge = try #require(SmallCity.gazetteer.place(named: "滨湖大桥"))
        #expect(bridge.kind == .road)
        #expect(bridge.district == "binhu")
        // A street keeps its own district and gains its road's point.
        let street = try #require(SmallCity.gazetteer.place(named: "湖心路"))
        #expect(street.kind == .street)
        #expect(street.location == GeoPoint(lat: 30.49, lon: 114.39))
    }

    @Test func a_house_number_is_read_after_the_longest_street_name_with_or_without_hao() throws {
        let g = SmallCity.gazetteer
        let a = try #require(g.houseNumber(in: "解放北路12号"))
        #expect(a.street.name == "解放北路")
        #expect(a.number == 12)
        #expect(g.houseNumber(in: "解放路88")?.number == 88)
        #expect(g.houseNumber(in: "解放路") == nil)
        #expect(g.houseNumber(in: "解放路88号3单元") == nil)
        #expect(g.houseNumber(in: "光明路5号") == nil)
        #expect(g.resolve("文庙新村")?.kind == .landmark)
        #expect(g.resolve("湖心路8号")?.district == "binhu")
    }

    // MARK: Coordinates

    @Test func typed_coordinates_are_two_numbers_in_range_and_anything_else_says_why() {
        #expect(TypedCoordinates("30.5412,114.3021") == .point(GeoPoint(lat: 30.5412, lon: 114.3021)))
        #expect(TypedCoordinates(" 30.5412 ，114.3021 ") == .point(GeoPoint(lat: 30.5412, lon: 114.3021)))
        #expect(TypedCoordinates("解放路88号") == .notCoordinates)
        #expect(TypedCoordinates("110") == .notCoordinates)
        guard case .invalid = TypedCoordinates("30.5.4,114") else { Issue.record("30.5.4 parsed"); return }
        guard case .invalid = TypedCoordinates("95,114") else { Issue.record("lat 95 accepted"); return }
        guard case .invalid = TypedCoordinates("30,114,5") else { Issue.record("three numbers accepted"); return }
        #expect(TypedCoordinates(String(repeating: "1", count: 50) + ",1") == .notCoordinates)
    }

    @Test func the_city_box_holds_its_roads_and_two_kilometres_around_them() throws {
        let box = try #require(GeoBounds(around: [GeoPoint(lat: 30.4, lon: 114.2), GeoPoint(lat: 30.6, lon: 114.5)], marginMeters: 2_000))
        #expect(box.contains(GeoPoint(lat: 30.41, lon: 114.3)))
        #expect(box.contains(GeoPoint(lat: 30.385, lon: 114.3)))   // 1.7 km south of the last road
        #expect(!box.contains(GeoPoint(lat: 30.37, lon: 114.3)))   // 3.3 km south
        #expect(!box.contains(GeoPoint(lat: 39.9, lon: 116.4)))
        #expect(District.nearest(to: GeoPoint(lat: 30.5, lon: 114.39), in: [SmallCity.laocheng, SmallCity.binhu])?.code == "binhu")
    }

    // MARK: Premises

    @Test func a_premise_matches_its_address_and_what_lies_inside_it_but_not_another_number() {
        let premises = PremiseAdvisories([
            Premise(address: "解放路88号", district: "laocheng", kind: "独居老人", warning: "独居老人，行动不便"),
            Premise(address: "文庙新村", district: "laocheng", kind: "老旧小区", warning: "巷道窄，消防车进不去"),
        ])
        let g = SmallCity.gazetteer
        #expect(premises.matching("解放路88号", in: g).map(\.kind) == ["独居老人"])
        #expect(premises.matching("解放路88", in: g).map(\.kind) == ["独居老人"])
        #expect(premises.matching("解放路88号3单元", in: g).map(\.kind) == ["独居老人"])
        #expect(premises.matching("解放路8号", in: g).isEmpty)
        #expect(premises.matching("解放路881号", in: g).isEmpty)
        #expect(premises.matching("文庙新村5栋", in: g).map(\.kind) == ["老旧小区"])
        #expect(premises.matching("解", in: g).isEmpty)
        // As the queue writes addresses: district first, a compound after the number.
        #expect(premises.matching("老城区解放路88号鼓楼花园", in: g).map(\.kind) == ["独居老人"])
    }

    // MARK: Duplicates

    static let types: [String: IncidentType] = [
        "fire_home": IncidentType(code: "fire_home", agency: .fire, name: "住宅火灾", nameEN: "Home fire", priority: .critical),
        "fire_shop": IncidentType(code: "fire_shop", agency: .fire, name: "商铺火灾", nameEN: "Shop fire", priority: .critical),
        "trauma": IncidentType(code: "trauma", agency: .ambulance, name: "外伤", nameEN: "Trauma", priority: .high),
        "theft": IncidentType(code: "theft", agency: .police, name: "盗窃", nameEN: "Theft", priority: .normal),
    ]
    static let now = Date(timeIntervalSince1970: 1_796_090_400)
    static let here = GeoPoint(lat: 30.5300, lon: 114.3000)

    /// An open incident `metres` north of `here`, called in `minutes` ago.
    static func open(_ id: String, _ type: String, metresNorth metres: Double, minutesAgo minutes: Double, phone: String = "",
                     status: IncidentStatus = .new) -> Incident {
        var i = Incident(id: id, agency: types[type]!.agency, typeCode: type, priority: .high, district: "laocheng", address: "解放路\(id)号",
                         location: GeoPoint(lat: here.lat + metres / 111_195, lon: here.lon), callerName: "", callerPhone: phone,
                         narrative: "", createdAt: now.addingTimeInterval(-minutes * 60))
        i.status = status
        return i
    }

    @Test func open_incidents_of_the_same_agency_within_300_m_and_15_min_are_duplicates_nearest_first() {
        let open = [Self.open("1", "fire_shop", metresNorth: 250, minutesAgo: 5),
                    Self.open("2", "fire_home", metresNorth: 100, minutesAgo: 14),
                    Self.open("3", "fire_home", metresNorth: 350, minutesAgo: 2),     // too far
                    Self.open("4", "fire_home", metresNorth: 50, minutesAgo: 16),     // too old
                    Self.open("5", "theft", metresNorth: 10, minutesAgo: 1),          // another agency
                    Self.open("6", "fire_home", metresNorth: 10, minutesAgo: 1, status: .closed)]
        let found = DuplicateFinder.matches(for: IncidentDraft(typeCode: "fire_home", location: Self.here), among: open,
                                            types: Self.types, rules: DuplicateRules(), now: Self.now)
        #expect(found.map(\.incident.id) == ["2", "1"])
        #expect(found.first.map { abs($0.meters! - 100) < 1 } == true)
        #expect(found.first?.minutesAgo == 14)
    }

    @Test func a_listed_pair_is_compatible_across_agencies_and_a_types_own_window_widens_the_search() {
        let open = [Self.open("1", "trauma", metresNorth: 450, minutesAgo: 25)]
        let draft = IncidentDraft(typeCode: "fire_home", location: Self.here)
        #expect(DuplicateFinder.matches(for: draft, among: open, types: Self.types, rules: DuplicateRules(), now: Self.now).isEmpty)
        let rules = DuplicateRules(windows: ["fire_home": .init(radiusMeters: 500, minutes: 30)], compatible: [("fire_home", "trauma")])
        #expect(DuplicateFinder.matches(for: draft, among: open, types: Self.types, rules: rules, now: Self.now).map(\.incident.id) == ["1"])
        // The pair is read both ways: an ambulance call finds the fire.
        let fire = [Self.open("2", "fire_home", metresNorth: 450, minutesAgo: 25)]
        #expect(DuplicateFinder.matches(for: IncidentDraft(typeCode: "trauma", location: Self.here), among: fire, types: Self.types,
                                        rules: rules, now: Self.now).map(\.incident.id) == ["2"])
    }

    @Test func the_same_phone_within_30_min_is_a_duplicate_anywhere_whatever_the_type() {
        let open = [Self.open("1", "theft", metresNorth: 9_000, minutesAgo: 29, phone: "138 0000 0000"),
                    Self.open("2", "theft", metresNorth: 9_000, minutesAgo: 31, phone: "13800000000")]
        let found = DuplicateFinder.matches(for: IncidentDraft(typeCode: "fire_home", phone: "+86 13800000000"), among: open,
                                            types: Self.types, rules: DuplicateRules(), now: Self.now)
        #expect(found.map(\.incident.id) == ["1"])
        #expect(found.first?.samePhone == true)
        #expect(found.first?.meters == nil)
    }
}

@Suite("createIncident: priority and location arguments")
struct CreateIncidentArgumentsTests {
    @Test func the_dispatchers_priority_replaces_the_types_and_a_bad_one_is_refused_by_the_declaration() throws {
        var desk = Desk()
        let changes = try desk.run(.createIncident(NewIncident(type: "theft", district: "binhu", address: "湖滨路1号", narrative: "x",
                                                                priority: .critical)), by: Desk.duty)
        guard case .incident(let made)? = changes.first?.record else { Issue.record("\(changes)"); return }
        #expect(made.priority == .critical)
        for bad in ["0", "5", "P1", "urgent"] {
            #expect(throws: CommandRejection.self) {
                try Command(CommandPayload(name: .createIncident, args: ["type": .text("theft"), "district": .text("binhu"), "address": .text("x"),
                                                                          "narrative": .text("y"), "priority": .text(bad)]))
            }
        }
        let two = try Command(CommandPayload(name: .createIncident, args: ["type": .text("theft"), "district": .text("binhu"), "address": .text("x"),
                                                                            "narrative": .text("y"), "priority": .text("2")]))
        guard case .createIncident(let n) = two else { Issue.record("\(two)"); return }
        #expect(n.priority == .high)
    }

    @Test func typed_coordinates_place_the_incident_and_outside_the_city_they_are_refused() throws {
        var desk = Desk()
        let at = GeoPoint(lat: 30.5, lon: 114.4)
        let changes = try desk.run(.createIncident(NewIncident(type: "theft", district: "binhu", address: "30.5,114.4", narrative: "x",
                                                                location: at)), by: Desk.duty)
        guard case .incident(let made)? = changes.first?.record else { Issue.record("\(changes)"); return }
        #expect(made.location == at)
        // Beijing is not in 云川市: the district seats' box (15 km round) does not hold it.
        let reason = desk.refusal(.createIncident(NewIncident(type: "theft", district: "binhu", address: "x", narrative: "x",
                                                              location: GeoPoint(lat: 39.9, lon: 116.4))), by: Desk.duty)
        guard case .badValue(_, let key, _, let expected)? = reason else { Issue.record("\(String(describing: reason))"); return }
        #expect(key == "location")
        #expect(expected.contains("inside the city"))
        // The declaration refuses what is not two numbers, naming the argument.
        #expect(throws: CommandRejection.self) {
            try Command(CommandPayload(name: .createIncident, args: ["type": .text("theft"), "district": .text("binhu"), "address": .text("x"),
                                                                      "narrative": .text("y"), "location": .text("north of the bridge")]))
        }
        // The wire form keeps the point.
        let command = Command.createIncident(NewIncident(type: "theft", district: "binhu", address: "x", narrative: "y", location: at))
        #expect(try Command(command.payload) == command)
    }
}

@Suite("Gazetteer: addresses written with their district")
struct GazetteerDistrictPrefixTests {
    @Test func a_leading_district_name_is_read_past() throws {
        let g = SmallCity.gazetteer
        #expect(g.resolve("滨湖区湖心路8号")?.name == "湖心路")
        #expect(g.houseNumber(in: "老城区解放路88号")?.number == 88)
        #expect(g.resolve("老城区文庙新村")?.kind == .landmark)
        #expect(g.resolve("老城区") == nil)
    }
}
