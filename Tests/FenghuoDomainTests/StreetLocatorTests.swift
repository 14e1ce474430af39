import FenghuoDomain
import Foundation
import Testing

@Suite("Street locator: an intake address placed on the road it names")
struct StreetLocatorTests {
    static let nodes = (0..<4).map { RoadNode(id: "H\($0)", location: GeoPoint(lat: 30.49, lon: 114.39 + Double($0) * 0.001)) }
        + [RoadNode(id: "X0", location: GeoPoint(lat: 30.50, lon: 114.40)), RoadNode(id: "X1", location: GeoPoint(lat: 30.51, lon: 114.40))]
    static let edges = [
        RoadEdge(from: "H0", to: "H1", lengthMeters: 100, speedKmh: 40, oneway: false, name: "湖心路"),
        RoadEdge(from: "H1", to: "H2", lengthMeters: 100, speedKmh: 40, oneway: false, name: "湖心路"),
        RoadEdge(from: "H2", to: "H3", lengthMeters: 100, speedKmh: 40, oneway: false, name: "湖心路"),
        RoadEdge(from: "X0", to: "X1", lengthMeters: 1100, speedKmh: 30, oneway: false, name: "湖心路一巷"),
    ]

    @Test func the_house_number_picks_the_node_along_the_named_road_west_to_east() {
        let locator = StreetLocator(nodes: Self.nodes, edges: Self.edges)
        #expect(locator.locate("滨湖区湖心路1号") == Self.nodes[0].location)
        #expect(locator.locate("滨湖区湖心路8号渔光小区") == Self.nodes[3].location)   // (8 − 1) / 2 = 3
        #expect(locator.locate("滨湖区湖心路") == Self.nodes[0].location)
        #expect(locator.locate("滨湖区湖心路9号") == Self.nodes[0].location)           // 4 wraps round
    }

    @Test func the_longest_road_name_in_the_address_wins_and_an_unknown_road_places_nothing() {
        let locator = StreetLocator(nodes: Self.nodes, edges: Self.edges)
        #expect(locator.locate("湖心路一巷3号") == Self.nodes[5].location)
        #expect(locator.locate("南湖路12号") == nil)
    }

    @Test func a_new_call_lies_on_its_street_when_the_roads_are_known() throws {
        var records = RecordsInMemory(reference: ReferenceTables(
            calendar: WorkingDayCalendar(years: [], entries: []),
            incidentTypes: ["fire_home": IncidentType(code: "fire_home", agency: .fire, name: "住宅火灾", nameEN: "Residential fire", priority: .critical)],
            districts: ["binhu": District(code: "binhu", name: "滨湖区", nameEN: "Binhu", location: GeoPoint(lat: 30.49, lon: 114.395), population: 1)],
            ticketCategories: [:], departments: [:], approvalItems: [:],
            streets: StreetLocator(nodes: Self.nodes, edges: Self.edges)))
        let duty = User(username: "duty1", name: "值班员", role: .duty, department: "cmd")
        let now = Date(timeIntervalSince1970: 1_796_090_400)
        let onStreet = try Deciders.decide(.createIncident(NewIncident(type: "fire_home", district: "binhu", address: "滨湖区湖心路3号",
                                                                        narrative: "厨房起火")), by: duty, at: now, reading: records, baseVersion: nil)
        guard case .incident(let made)? = onStreet.first?.record else { Issue.record("\(onStreet)"); return }
        #expect(made.location == Self.nodes[1].location)
        records.store(onStreet)
        let elsewhere = try Deciders.decide(.createIncident(NewIncident(type: "fire_home", district: "binhu", address: "滨湖区某小区",
                                                                         narrative: "冒烟")), by: duty, at: now, reading: records, baseVersion: nil)
        guard case .incident(let other)? = elsewhere.first?.record else { Issue.record("\(elsewhere)"); return }
        #expect(other.location == GeoPoint(lat: 30.49, lon: 114.395), "an address naming no road lies at the district's seat")
    }
}
