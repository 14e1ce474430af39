import ArgumentParser
import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import Foundation

/// `fenghuo dispatch …`: the dispatch desk's reads for scripts.
struct DispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "The dispatch desk's reads for scripts (recommend).",
        subcommands: [Recommend.self])

    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Which units to send to an incident: its run card filled with the nearest free units by road ETA.",
            discussion: """
                Reads the agent's replica directly (the agent need not run). For each line of the incident's run card \
                (出动方案) it lists the nearest free units of that kind by road travel time from where each unit is now, \
                the next-nearest as alternates, and the shortfall when too few are free. INCIDENT is a full id \
                (J20261202-0042) or the day's number (42) when only one open incident has it.
                """)

        @Argument(help: "The incident: its id, or the day's number.")
        var incident: String

        @Option(name: .long, help: "The agent's --data folder.")
        var data: String

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func run() throws {
            let paths = AgentPaths(directory: data)
            guard FileManager.default.fileExists(atPath: paths.replica) else {
                throw ValidationError("no replica in \(data): start `fenghuo agent --data \(data) …` first.")
            }
            let reader = try ReplicaReader(readOnlyAt: paths.replica)
            let id = try IncidentNumber.resolve(incident, in: reader)
            guard let recommendation = try reader.recommendation(for: id) else {
                throw ValidationError("the replica in \(data) holds no road graph: seed central again with this version (`fenghuo central init`).")
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(RecommendationJSON(recommendation)), as: UTF8.self))
                return
            }
            print("\(recommendation.incidentID)  road node \(recommendation.incidentNode)")
            if !recommendation.hasCard { print("  no run card for this incident's type") }
            for line in recommendation.lines {
                print("  \(line.kind) ×\(line.wanted)" + (line.committed.isEmpty ? "" : "  committed: \(line.committed.joined(separator: ", "))")
                      + (line.shortfall > 0 ? "  SHORT \(line.shortfall)" : ""))
                for (pick, role) in line.picks.map({ ($0, "send") }) + line.alternates.map({ ($0, "alt") }) {
                    print(String(format: "    %@ %@ %@ %@  %.1f min  %.1f km%@", role, pick.unitID, pick.station, pick.status.rawValue,
                                 pick.etaSeconds / 60, pick.roadMeters / 1000, pick.crossDistrict ? "  cross-district" : ""))
                }
            }
        }
    }
}

/// The recommendation as scripts read it: every unit with its ETA, road distance, the road
/// nodes it was measured between and the run card line it fills.
struct RecommendationJSON: Encodable {
    struct Unit: Encodable {
        let unit: String
        let kind: String
        let station: String
        let district: String
        let status: String
        let eta_s: Int
        let road_m: Int
        let from_node: String
        let to_node: String
        let line: Int
        let role: String  // "send" or "alternate"
        let cross_district: Bool
    }
    struct Line: Encodable {
        let line: Int
        let kind: String
        let wanted: Int
        let committed: [String]
        let shortfall: Int
    }
    let incident: String
    let incident_node: String
    let has_card: Bool
    let lines: [Line]
    let units: [Unit]
    let shortfall: Int

    init(_ r: Recommendation) {
        incident = r.incidentID
        incident_node = r.incidentNode
        has_card = r.hasCard
        shortfall = r.shortfall
        lines = r.lines.enumerated().map { i, l in
            Line(line: i + 1, kind: l.kind, wanted: l.wanted, committed: l.committed, shortfall: l.shortfall)
        }
        units = r.lines.enumerated().flatMap { i, l in
            (l.picks.map { ($0, "send") } + l.alternates.map { ($0, "alternate") }).map { pick, role in
                Unit(unit: pick.unitID, kind: pick.kind, station: pick.station, district: pick.district,
                     status: pick.status.rawValue, eta_s: Int(pick.etaSeconds.rounded()), road_m: Int(pick.roadMeters.rounded()),
                     from_node: pick.fromNode, to_node: pick.toNode, line: i + 1, role: role, cross_district: pick.crossDistrict)
            }
        }
    }
}

/// An incident named on the command line: its id, or the day's number.
enum IncidentNumber {
    static func resolve(_ typed: String, in reader: ReplicaReader) throws -> String {
        let candidates = try IDFormat.shortNumber(typed).map { try reader.incidentIDs(numbered: $0) } ?? []
        guard let id = IDFormat.resolve(typed, .incident, today: LocalDate(Date()), candidates: candidates) else {
            throw ValidationError(candidates.isEmpty
                ? "no incident has the number \(typed); give its full id (fenghuo list incidents --data DIR)."
                : "\(typed) names several incidents (\(candidates.prefix(5).joined(separator: ", "))); give the full id.")
        }
        guard try reader.incident(id: id) != nil else {
            throw ValidationError("no incident \(id) in this replica (fenghuo list incidents --data DIR lists them).")
        }
        return id
    }
}
