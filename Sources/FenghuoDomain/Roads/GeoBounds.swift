import Foundation

/// A latitude/longitude box: the city's extent, inside which a typed `LAT,LON` must fall.
public struct GeoBounds: Hashable, Sendable {
    public let minLat: Double
    public let maxLat: Double
    public let minLon: Double
    public let maxLon: Double

    public init(minLat: Double, maxLat: Double, minLon: Double, maxLon: Double) {
        self.minLat = minLat
        self.maxLat = maxLat
        self.minLon = minLon
        self.maxLon = maxLon
    }

    /// The smallest box holding every point, widened by `margin` metres on each side; nil for none.
    public init?(around points: some Sequence<GeoPoint>, marginMeters margin: Double = 0) {
        var box: (Double, Double, Double, Double)?
        for p in points {
            guard let b = box else { box = (p.lat, p.lat, p.lon, p.lon); continue }
            box = (min(b.0, p.lat), max(b.1, p.lat), min(b.2, p.lon), max(b.3, p.lon))
        }
        guard let (a, b, c, d) = box else { return nil }
        let dLat = margin / GeoPoint.earthRadiusMeters * 180 / .pi
        let dLon = dLat / max(0.01, cos((a + b) / 2 * .pi / 180))
        self.init(minLat: a - dLat, maxLat: b + dLat, minLon: c - dLon, maxLon: d + dLon)
    }

    public func contains(_ p: GeoPoint) -> Bool {
        (minLat...maxLat).contains(p.lat) && (minLon...maxLon).contains(p.lon)
    }

    /// `30.40–30.66, 114.15–114.50`: how an error names the box.
    public var description: String {
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        return "\(f(minLat))–\(f(maxLat)), \(f(minLon))–\(f(maxLon))"
    }

    /// The city's box as central and consoles agree on it: the road graph's extent and 2 km
    /// around it, or, with no roads, 15 km around the district seats.
    public static func city(roads: some Sequence<GeoPoint>, seats: some Sequence<GeoPoint>) -> GeoBounds? {
        GeoBounds(around: roads, marginMeters: 2_000) ?? GeoBounds(around: seats, marginMeters: 15_000)
    }
}

/// A typed `LAT,LON` (`30.5412,114.3021`, a full-width comma or spaces allowed).
public enum TypedCoordinates: Hashable, Sendable {
    /// The text is not trying to be coordinates (it has a letter, a hanzi, no comma …).
    case notCoordinates
    /// It looks like coordinates and is not valid ones: the reason, in both languages.
    case invalid(LocalizedText)
    case point(GeoPoint)

    /// At most this many characters are read as coordinates (`-90.1234567,-180.1234567` fits).
    public static let maxLength = 40

    public init(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let allowed = Set("0123456789.,，-+ ")
        guard !trimmed.isEmpty, trimmed.count <= Self.maxLength, trimmed.allSatisfy({ allowed.contains($0) }),
              trimmed.contains(where: { $0 == "," || $0 == "，" }), trimmed.contains(where: \.isNumber) else {
            self = .notCoordinates
            return
        }
        let parts = trimmed.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "，" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]), lat.isFinite, lon.isFinite,
              parts.allSatisfy({ !$0.contains(" ") }) else {
            self = .invalid(LocalizedText(zh: "坐标应为 纬度,经度 两个数，如 30.5412,114.3021",
                                          en: "coordinates are two numbers, LAT,LON, e.g. 30.5412,114.3021"))
            return
        }
        guard (-90...90).contains(lat), (-180...180).contains(lon) else {
            self = .invalid(LocalizedText(zh: "纬度应在 −90…90、经度在 −180…180 之间", en: "latitude must be −90…90 and longitude −180…180"))
            return
        }
        self = .point(GeoPoint(lat: lat, lon: lon))
    }

    /// `30.541200,114.302100`: the argument's wire form.
    public static func text(of p: GeoPoint) -> String { String(format: "%.6f,%.6f", p.lat, p.lon) }
}

extension District {
    /// The district whose seat is nearest `point` (the fixtures have seats, not boundaries).
    public static func nearest(to point: GeoPoint, in districts: some Sequence<District>) -> District? {
        districts.min { ($0.location.meters(to: point), $0.code) < ($1.location.meters(to: point), $1.code) }
    }
}
