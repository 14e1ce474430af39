import FenghuoDomain
import FenghuoTUI

/// The address field's type-ahead over the gazetteer: streets, roads and landmarks matched as
/// the type picker matches (name, or pinyin initials: `jfl` → 解放路), and, when the text ends
/// in a number, that house number on the streets its first part matches (`jfl88` → 解放路88号).
struct AddressSearch: Sendable {
    /// Lines the list offers at most.
    static let limit = 8

    let places: [Gazetteer.Place]
    /// One a place, code `p:INDEX`, built once when the form opens (the pinyin keys cost).
    let candidates: [Picker.Candidate]
    private let streetCandidates: [Picker.Candidate]

    init(_ context: ConsoleContext) {
        let gazetteer = context.directory.gazetteer
        let places = gazetteer.places
        let candidates = places.enumerated().map { index, place in
            Picker.Candidate(code: "p:\(index)", label: place.name, detail: Self.detail(place, context))
        }
        self.places = places
        self.candidates = candidates
        streetCandidates = candidates.enumerated().filter { places[$0.offset].kind != .landmark }.map(\.element)
    }

    static func detail(_ place: Gazetteer.Place, _ context: ConsoleContext) -> String {
        let s = context.strings
        let kind = switch place.kind {
        case .street: s.intake(.street)
        case .road: s.intake(.road)
        case .landmark: place.detail.isEmpty ? s.intake(.landmark) : place.detail
        }
        return "\(context.districtName(place.district)) · \(kind)"
    }

    /// What `text` matches, best first: house numbers, then places.
    func suggestions(for text: String, context: ConsoleContext) -> [Picker.Candidate] {
        let query = text.trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty, query.count <= 40 else { return [] }
        if case .notCoordinates = TypedCoordinates(query) {} else { return [] }
        var out: [Picker.Candidate] = []
        if let (stem, number) = Self.houseNumber(in: query) {
            for i in Picker.matching(stem, in: streetCandidates).prefix(3) {
                let street = streetCandidates[i]
                guard let index = Int(street.code.dropFirst(2)) else { continue }
                out.append(Picker.Candidate(code: "h:\(index):\(number)", label: Gazetteer.address(street.label, number: number),
                                            detail: street.detail))
            }
        }
        for i in Picker.matching(query, in: candidates) {
            guard out.count < Self.limit else { break }
            out.append(candidates[i])
        }
        return Array(out.prefix(Self.limit))
    }

    /// `解放路88号`, `jfl88`, `解放路 88`: the part before a trailing house number, and the number.
    static func houseNumber(in text: String) -> (stem: String, number: Int)? {
        var body = Substring(text)
        if body.hasSuffix("号") { body = body.dropLast() }
        let digits = body.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 5, let number = Int(String(digits.reversed())), number > 0 else { return nil }
        let stem = body.dropLast(digits.count).trimmingCharacters(in: .whitespaces)
        return stem.isEmpty ? nil : (stem, number)
    }

    /// The address a suggestion's code stands for: its place, and a house number if any.
    func taken(_ code: String) -> (place: Gazetteer.Place, number: Int?)? {
        let parts = code.split(separator: ":")
        guard parts.count >= 2, let index = Int(parts[1]), places.indices.contains(index) else { return nil }
        if parts[0] == "h", parts.count == 3, let number = Int(parts[2]) { return (places[index], number) }
        return parts[0] == "p" ? (places[index], nil) : nil
    }
}
