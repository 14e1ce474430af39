import FenghuoDomain

/// English short names for the city's departments, incident types and ticket categories, for
/// columns too narrow for the full name (`Municipal Housing and Urban-Rural Development Bureau`
/// is 52 columns; every department used to read `Municipal Housing…`).
///
/// They live here, not in `Fixtures/`: the Chinese short name (`住建`) is the department's own
/// official abbreviation and travels with the reference data, while these are the console's
/// wording for a 12-column English cell. A code without an entry (another city's fixtures) gets
/// its long name without the words every department shares (`Municipal`, `Bureau`, …).
enum EnglishShortName {
    static let departments: [String: String] = [
        "cmd": "Command Ctr", "hotline": "12345 Hotline", "psb": "Police", "fire": "Fire & Rescue",
        "ems": "Ambulance", "traffic": "Traffic Police", "urban": "Urban Mgmt", "water": "Water",
        "gas": "Gas", "power": "Power", "health": "Health", "eco": "Environment", "market": "Market Reg",
        "housing": "Housing", "approval": "Approvals", "hrss": "Labour & SI", "edu": "Education",
        "transport": "Transport", "nrp": "Land & Plan", "civil": "Civil Affairs", "culture": "Culture",
        "emergency": "Emergency Mgmt", "drc": "Development",
    ]

    static let incidentTypes: [String: String] = [
        "domestic": "Domestic", "suspicious": "Suspicious", "fraud": "Phone fraud", "missing": "Missing",
        "noise_disturb": "Noise", "neighbor_dispute": "Neighbours", "fire_home": "Home fire",
        "fire_highrise": "High-rise", "fire_debris": "Rubbish fire", "elevator": "Lift trapped",
        "wasp_nest": "Wasp nest", "breathing": "Breathing", "coma": "Unconscious", "obstetric": "Obstetric",
        "elderly_fall": "Elderly fall", "rear_end": "Rear-end", "multi_crash": "Pile-up",
        "pedestrian_hit": "Pedestrian", "drunk_driving": "Drink-drive", "congestion": "Congestion",
        "breakdown": "Breakdown", "illegal_parking": "Parking", "signal_fault": "Signal fault",
        "cordon": "Cordon", "first_aid": "First aid", "traffic_control": "Traffic ctl",
    ]

    /// Each at most 10 columns, the category column's narrowest.
    static let ticketCategories: [String: String] = [
        "water_outage": "No water", "water_burst": "Water leak", "water_quality": "Bad water",
        "water_pressure": "Low flow", "gas_hazard": "Gas hazard", "gas_service": "Gas bills", "power_outage": "No power",
        "power_voltage": "Voltage", "power_line": "Power line", "sanitation": "Sanitation", "noise_construction": "Site noise", "noise_social": "Noise",
        "air_pollution": "Air", "water_pollution": "Waterways", "street_vendor": "Vendors",
        "illegal_build": "Illeg. bld", "streetlight": "Lights", "illegal_land": "Land use", "food_safety": "Food",
        "consumer": "Consumer", "price": "Pricing", "property_mgmt": "Property", "house_quality": "House qual",
        "house_delivery": "New homes", "wage_arrears": "Unpaid pay", "social_insurance": "Social ins",
        "medical": "Medical", "school": "Schools", "tutoring": "Tutoring", "bus": "Buses", "taxi": "Taxis",
        "elderly_care": "Elderly", "social_assist": "Social aid", "tourism": "Tourism",
        "safety_hazard": "Safety", "energy_policy": "Tariffs", "gov_service": "Gov advice",
    ]

    /// Words a department's English name shares with the others, dropped when there is no entry.
    private static let generic: Set<String> = [
        "Municipal", "Bureau", "Commission", "Company", "Detachment", "Center", "Centre", "Group",
        "Administration", "for", "of", "the",
    ]

    static func derived(from name: String) -> String {
        let words = name.split(separator: " ").filter { !generic.contains(String($0)) }
        return words.isEmpty ? name : words.joined(separator: " ")
    }
}

extension ConsoleContext {
    /// A department's names, longest first, for a cell that shows the longest that fits:
    /// `市住房和城乡建设局` / `住建`; `Municipal Housing and Urban-Rural Development Bureau` /
    /// `Housing and Urban-Rural Development` / `Housing`.
    func departmentForms(_ code: String?) -> [String] {
        guard let code else { return ["—"] }
        guard let d = directory.departments[code] else { return [code] }
        if isChinese { return [d.name, d.shortName] }
        // Between the two, the name without the words all share: `Housing and Urban-Rural Development`.
        let derived = EnglishShortName.derived(from: d.nameEN)
        return [d.nameEN, derived] + (EnglishShortName.departments[code].map { [$0] } ?? [])
    }

    func incidentTypeForms(_ code: String) -> [String] {
        [incidentTypeName(code)] + (isChinese ? [] : EnglishShortName.incidentTypes[code].map { [$0] } ?? [])
    }

    func categoryForms(_ code: String) -> [String] {
        [categoryName(code)] + (isChinese ? [] : EnglishShortName.ticketCategories[code].map { [$0] } ?? [])
    }

    /// A department in a sign-off list, where each of several must stay short: the Chinese
    /// abbreviation, the English short name, or (narrowest) four letters of its code.
    func departmentBrief(_ code: String) -> String {
        guard !isChinese, let d = directory.departments[code] else { return departmentShort(code) }
        return EnglishShortName.departments[code] ?? EnglishShortName.derived(from: d.nameEN)
    }
}
