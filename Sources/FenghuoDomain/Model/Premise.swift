import Foundation

/// A warning an address carries (危化品仓库, 独居老人, 曾有持械 …): what a dispatcher and the
/// crews must know before they arrive. Fixture `premises.tsv`.
public struct Premise: Hashable, Sendable {
    /// A landmark's name, or a street with a house number (`解放路88号`).
    public let address: String
    public let district: String
    /// A short kind (危化品, 独居老人, 持械 …).
    public let kind: String
    /// The warning, in Chinese.
    public let warning: String

    public init(address: String, district: String, kind: String, warning: String) {
        self.address = address
        self.district = district
        self.kind = kind
        self.warning = warning
    }
}

/// The premises of the city and which of them an address names.
public struct PremiseAdvisories: Sendable {
    public let premises: [Premise]

    public init(_ premises: [Premise] = []) { self.premises = premises }

    /// The warnings for `address`: a premise matches when the address is it, or begins with it
    /// (`文庙新村5栋` is in 文庙新村, `解放路88号3单元` at 解放路88号); a house number is read with
    /// or without 号, and `解放路8号` never matches 解放路88号.
    public func matching(_ address: String, in gazetteer: Gazetteer) -> [Premise] {
        let text = Self.canonical(address, gazetteer)
        guard text.count >= 2 else { return [] }
        // A house number's 号 ends it, so 解放路8号 is never a prefix of 解放路88号.
        return premises.filter { text.hasPrefix(Self.canonical($0.address, gazetteer)) }
    }

    /// A house number always with 号 (`解放路88` → `解放路88号`), the rest as typed, trimmed.
    static func canonical(_ address: String, _ gazetteer: Gazetteer) -> String {
        let text = gazetteer.withoutDistrict(address)
        if let (street, number) = gazetteer.houseNumber(in: text) { return Gazetteer.address(street.name, number: number) }
        // `解放路88号3单元`: only the leading street and number are rewritten.
        return text
    }
}
