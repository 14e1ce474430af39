import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// The intake form's reference data as seeded and read back: gazetteer, premises, duplicate
/// windows, the city's box, and a caller's earlier calls.
@Suite("Intake reference reads")
struct IntakeReferenceTests {
    let reader = DemoCity.database.reader
    let fixtures = DemoCity.fixtures

    @Test("The shipped premises are at least 40, each at an address the gazetteer knows, in its district")
    func premisesFixture() throws {
        #expect(fixtures.premises.count >= 40)
        let gazetteer = fixtures.gazetteer
        for p in fixtures.premises {
            let place = try #require(gazetteer.resolve(p.address), "\(p.address)")
            #expect(place.district == p.district, "\(p.address)")
        }
        // Every kind the issue names is there.
        let kinds = Set(fixtures.premises.map(\.kind))
        for kind in ["危化品仓库", "独居老人", "曾有持械", "高层无消防电梯", "有犬只", "临街燃气调压站"] {
            #expect(kinds.contains(kind), "\(kind)")
        }
    }

    @Test("The directory carries the gazetteer, the premises, the duplicate windows and the city's box as seeded")
    func directoryIntake() throws {
        let directory = try reader.directory()
        let g = directory.gazetteer
        // Every street and landmark, and the roads' names besides.
        let streets = fixtures.streets.values.reduce(0) { $0 + $1.count }
        let landmarks = fixtures.landmarks.values.reduce(0) { $0 + $1.count }
        #expect(g.places.filter { $0.kind == .street }.count == streets)
        #expect(g.places.filter { $0.kind == .landmark }.count == landmarks)
        #expect(g.places.contains { $0.kind == .road })
        #expect(g.place(named: "文庙新村")?.location == GeoPoint(lat: 30.522286, lon: 114.270191))
        #expect(g.place(named: "解放路")?.district == "laocheng")
        #expect(directory.premises.premises == fixtures.premises)
        #expect(directory.premises.matching("解放路88号", in: g).map(\.kind) == ["独居老人"])
        #expect(directory.duplicateRules.window(for: "fire_home") == .init(radiusMeters: 500, minutes: 30))
        #expect(directory.duplicateRules.window(for: "theft") == DuplicateRules.defaultWindow)
        let box = try #require(directory.cityBounds)
        for d in fixtures.districts { #expect(box.contains(d.location), "\(d.code)") }
        #expect(!box.contains(GeoPoint(lat: 39.9, lon: 116.4)))
        // The same box central checks typed coordinates against.
        #expect(box == StreetLocator(nodes: fixtures.roadNodes, edges: fixtures.roadEdges).bounds)
    }

    @Test("A caller's earlier incidents and tickets come newest first, at most the limit of each, by exact phone")
    func callerHistory() throws {
        let phone = try #require(try DemoCity.database.reader.openIncidents(since: .distantPast).first(where: { !$0.callerPhone.isEmpty })?.callerPhone)
        let found = try reader.callerHistory(phone: phone, limit: 5)
        #expect(!found.incidents.isEmpty)
        #expect(found.incidents.allSatisfy { $0.callerPhone == phone })
        #expect(found.incidents.map(\.createdAt) == found.incidents.map(\.createdAt).sorted(by: >))
        #expect(found.incidents.count <= 5 && found.tickets.count <= 5)
        #expect(try reader.callerHistory(phone: "00000000000", limit: 5).incidents.isEmpty)
        #expect(try reader.callerHistory(phone: "", limit: 5).incidents.isEmpty)
    }

    @Test("Open incidents since an instant are open and no older")
    func openSince() throws {
        let since = DemoCity.now.addingTimeInterval(-6 * 3600)
        let rows = try reader.openIncidents(since: since)
        #expect(rows.allSatisfy { $0.status.isOpen && $0.createdAt >= since })
    }
}
