import FenghuoDomain
import Foundation

/// One line of `duplicate_rules.tsv`: a type's duplicate window and the types it may duplicate
/// across agencies.
public struct DuplicateRuleLine: Sendable, Hashable {
    public let type: String
    public let window: DuplicateRules.Window
    public let compatible: [String]
}

extension FixtureSet {
    /// The gazetteer of the streets and landmarks files (and the roads, once loaded).
    public var gazetteer: Gazetteer {
        Gazetteer(streets: districts.flatMap { d in (streets[d.code] ?? []).map { (district: d.code, name: $0) } },
                  landmarks: landmarkPlaces, roads: roadNodes.isEmpty ? [] : StreetLocator(nodes: roadNodes, edges: roadEdges).roadPoints,
                  districts: districts)
    }

    /// The landmarks as gazetteer places, in district order.
    public var landmarkPlaces: [Gazetteer.Place] {
        districts.flatMap { d in
            (landmarks[d.code] ?? []).map { Gazetteer.Place(kind: .landmark, name: $0.name, district: d.code, location: $0.location, detail: $0.kind) }
        }
    }

    /// `premises.tsv`: each address is a landmark of `landmarks.tsv` or a street of `streets.tsv`
    /// with a house number, in the district given; kind and warning are short Chinese texts.
    static func loadPremises(from dir: URL, gazetteer: Gazetteer, districts: Set<String>) throws(FixtureError) -> [Premise] {
        let table = try TSVTable.load("premises.tsv", in: dir, columns: ["address", "district", "kind", "warning"])
        var out: [Premise] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let address = row.text("address")
            let district = try row.reference("district", in: districts, what: "district")
            let place: Gazetteer.Place
            if let landmark = gazetteer.place(named: address), landmark.kind == .landmark {
                place = landmark
            } else if let (street, _) = gazetteer.houseNumber(in: address), address.hasSuffix("号") {
                place = street
            } else {
                throw row.error("address", "'\(address)' is neither a landmark of landmarks.tsv nor a street of streets.tsv with a house number (解放路88号)")
            }
            guard place.district == district else {
                throw row.error("district", "'\(address)' lies in '\(place.district)', not '\(district)'")
            }
            let kind = row.text("kind"), warning = row.text("warning")
            guard (1...12).contains(kind.count) else { throw row.error("kind", "must be 1–12 characters (has \(kind.count))") }
            guard (4...80).contains(warning.count) else { throw row.error("warning", "must be 4–80 characters (has \(warning.count))") }
            guard warning.contains(where: { PremiseText.isHan($0) }) else { throw row.error("warning", "is written in Chinese") }
            let key = "\(address)|\(kind)"
            if let first = seen[key] { throw row.error("kind", "'\(kind)' at '\(address)' is already on line \(first)") }
            seen[key] = row.line
            out.append(Premise(address: address, district: district, kind: kind, warning: warning))
        }
        return out
    }

    /// `duplicate_rules.tsv`: per incident type, the radius (m) and window (min) within which an
    /// open incident may be the same one, and the other agencies' types it is compatible with.
    static func loadDuplicateRules(from dir: URL, types: Set<String>) throws(FixtureError) -> [DuplicateRuleLine] {
        let table = try TSVTable.load("duplicate_rules.tsv", in: dir, columns: ["type", "radius_m", "window_min", "compatible"])
        var out: [DuplicateRuleLine] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let type = try row.reference("type", in: types, what: "incident type")
            if let first = seen[type] { throw row.error("type", "'\(type)' already has a rule on line \(first)") }
            seen[type] = row.line
            var compatible: [String] = []
            if row.text("compatible") != "-" {
                for code in row.text("compatible").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    guard types.contains(code) else { throw row.error("compatible", "no incident type has code '\(code)'") }
                    guard code != type, !compatible.contains(code) else { throw row.error("compatible", "'\(code)' is listed twice or is the type itself") }
                    compatible.append(code)
                }
            }
            out.append(DuplicateRuleLine(type: type, window: DuplicateRules.Window(radiusMeters: Double(try row.int("radius_m", in: 10...5_000)),
                                                                                  minutes: try row.int("window_min", in: 1...720)),
                                         compatible: compatible))
        }
        return out
    }
}

enum PremiseText {
    static func isHan(_ c: Character) -> Bool {
        c.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
    }
}
