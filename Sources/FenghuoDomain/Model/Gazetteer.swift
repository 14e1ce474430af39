import Foundation

/// The city's place names an intake address is searched over: the streets of each district,
/// the landmarks (with coordinates), and the names of the road graph's roads. Addresses with
/// a house number (`解放路88号`) are a street and a number.
public struct Gazetteer: Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case street, road, landmark
    }

    public struct Place: Hashable, Sendable {
        public let kind: Kind
        public let name: String
        public let district: String
        /// A landmark's coordinates, or the middle node of a road; nil for a street with no road.
        public let location: GeoPoint?
        /// A landmark's kind (小区, 医院 …).
        public let detail: String

        public init(kind: Kind, name: String, district: String, location: GeoPoint?, detail: String = "") {
            self.kind = kind
            self.name = name
            self.district = district
            self.location = location
            self.detail = detail
        }
    }

    /// Streets, then landmarks, then roads not already either: each name once.
    public let places: [Place]
    private let byName: [String: Int]
    /// Street and road names, longest first (湖心路一巷 before 湖心路).
    private let thoroughfares: [String]
    /// District names, longest first: an address may begin with one (`滨湖区湖心路8号`).
    private let districtNames: [String]
    /// Where along its road a street address lies (as central places it); nil without roads.
    public var locator: StreetLocator?

    /// `roads` are the road graph's names with a point on each; a road that is no district's
    /// street is given the district whose seat is nearest that point.
    public init(streets: [(district: String, name: String)], landmarks: [Place], roads: [(name: String, point: GeoPoint)],
                districts: [District]) {
        var places: [Place] = []
        var byName: [String: Int] = [:]
        func add(_ place: Place) {
            guard !place.name.isEmpty, byName[place.name] == nil else { return }
            byName[place.name] = places.count
            places.append(place)
        }
        let roadPoint = Dictionary(roads.map { ($0.name, $0.point) }, uniquingKeysWith: { a, _ in a })
        for s in streets { add(Place(kind: .street, name: s.name, district: s.district, location: roadPoint[s.name])) }
        // Before the roads: a landmark's access road bears its name, and the landmark is what a caller means.
        for l in landmarks { add(Place(kind: .landmark, name: l.name, district: l.district, location: l.location, detail: l.detail)) }
        for r in roads.sorted(by: { $0.name < $1.name }) {
            guard let district = District.nearest(to: r.point, in: districts) else { continue }
            add(Place(kind: .road, name: r.name, district: district.code, location: r.point))
        }
        self.places = places
        self.byName = byName
        districtNames = districts.map(\.name).filter { !$0.isEmpty }.sorted { ($0.count, $0) > ($1.count, $1) }
        thoroughfares = places.filter { $0.kind != .landmark }.map(\.name).sorted { ($0.count, $0) > ($1.count, $1) }
    }

    public init() { self.init(streets: [], landmarks: [], roads: [], districts: []) }

    public func place(named name: String) -> Place? { byName[name].map { places[$0] } }

    /// The longest street or road name `text` starts with, and the house number after it
    /// (`解放路88号` → 解放路, 88; `解放路88` too); nil when no number follows a known name.
    public func houseNumber(in text: String) -> (street: Place, number: Int)? {
        let text = withoutDistrict(text)
        for name in thoroughfares where text.hasPrefix(name) {
            let rest = text.dropFirst(name.count)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 5, let number = Int(digits), number > 0 else { continue }
            let tail = rest.dropFirst(digits.count)
            guard tail.isEmpty || tail == "号" else { continue }
            return place(named: name).map { ($0, number) }
        }
        return nil
    }

    /// The place an address names: a place by its whole name, or a street with a house number.
    public func resolve(_ address: String) -> Place? {
        let text = withoutDistrict(address)
        return place(named: text) ?? houseNumber(in: text)?.street
    }

    /// The address without a leading district name, trimmed (`滨湖区湖心路8号` → `湖心路8号`).
    func withoutDistrict(_ address: String) -> String {
        let text = address.trimmingCharacters(in: .whitespaces)
        guard let name = districtNames.first(where: { text.hasPrefix($0) && text.count > $0.count }) else { return text }
        return String(text.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
    }

    /// Where `address` lies as far as the gazetteer can tell: a landmark's point, else the
    /// point of the road it names (the house number choosing the node), else its street's.
    public func location(of address: String) -> GeoPoint? {
        let text = address.trimmingCharacters(in: .whitespaces)
        if let place = place(named: text), place.kind == .landmark { return place.location }
        return locator?.locate(text) ?? resolve(text)?.location
    }

    /// `解放路88号`: a street's address at a house number.
    public static func address(_ street: String, number: Int) -> String { "\(street)\(number)号" }
}
