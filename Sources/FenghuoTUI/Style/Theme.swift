import Foundation

/// Semantic styles the widgets and panes draw with. Themes are data (`Themes/*.json`): a
/// palette of named colours, then roles that refer to them, as k9s skins do.
public struct Theme: Sendable, Equatable {
    public enum Role: String, CaseIterable, Sendable {
        case base, title, titleAccent, border, borderFocused, header, selected, selectedUnfocused, muted
        case statusBar, statusKey, statusOnline, statusOffline, statusWarning
        case tabActive, tabInactive, prompt, promptCursor, helpKey, helpText
        case priority1, priority2, priority3, priority4
        case ok, warning, danger, info, accent
        case tileLabel, tileValue, sparkline
    }

    public let name: String
    private var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    public subscript(role: Role) -> Style { styles[role] ?? .plain }

    /// The same roles with every colour removed, keeping bold/reverse/underline: for `NO_COLOR`
    /// and terminals without colour.
    public func withoutColor() -> Theme {
        Theme(name: name, styles: styles.mapValues { Style(modifiers: $0.modifiers) })
    }

    /// Every colour brought within what the terminal can show.
    public func fitted(toColors colors: Int) -> Theme {
        if colors < 8 { return withoutColor() }
        return Theme(name: name, styles: styles.mapValues {
            Style(fg: $0.fg.fitted(toColors: colors), bg: $0.bg.fitted(toColors: colors), modifiers: $0.modifiers)
        })
    }

    public struct LoadError: Error, CustomStringConvertible {
        public let file: String
        public let message: String
        public var description: String { "\(file): \(message)" }
    }

    /// Parses a theme file. Roles the file leaves out keep the built-in default's style.
    public static func parse(_ data: Data, file: String) throws -> Theme {
        struct File: Decodable {
            struct RoleStyle: Decodable {
                var fg: String?
                var bg: String?
                var bold: Bool?
                var dim: Bool?
                var underline: Bool?
                var reverse: Bool?
                var italic: Bool?
            }
            var name: String
            var palette: [String: String]?
            var roles: [String: RoleStyle]
        }
        let decoded: File
        do {
            decoded = try JSONDecoder().decode(File.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw LoadError(file: file, message: "not valid JSON: \(context.debugDescription)")
        } catch {
            throw LoadError(file: file, message: "unexpected shape: \(error)")
        }
        var palette: [String: Color] = [:]
        for (name, value) in (decoded.palette ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let c = Color(name: value) else {
                let users = decoded.roles.filter { $0.value.fg == name || $0.value.bg == name }.keys.sorted()
                let used = users.isEmpty ? "" : " (used by \(users.joined(separator: ", ")))"
                throw LoadError(file: file, message: "palette colour '\(name)' = '\(value)'\(used) is not a colour name "
                    + "(red, bright-blue, …), 'default', or 0–255")
            }
            palette[name] = c
        }
        func color(_ text: String?, role: String, field: String) throws -> Color {
            guard let text else { return .default }
            if let c = palette[text] { return c }
            guard let c = Color(name: text) else {
                throw LoadError(file: file, message: "role '\(role)' \(field) '\(text)' is neither a palette name nor a colour")
            }
            return c
        }
        var styles: [Role: Style] = [:]
        for role in Role.allCases { styles[role] = Theme.builtinDefault[role] }
        for (name, spec) in decoded.roles {
            guard let role = Role(rawValue: name) else {
                let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw LoadError(file: file, message: "unknown role '\(name)'; roles are: \(known)")
            }
            var modifiers: Modifiers = []
            if spec.bold == true { modifiers.insert(.bold) }
            if spec.dim == true { modifiers.insert(.dim) }
            if spec.underline == true { modifiers.insert(.underline) }
            if spec.reverse == true { modifiers.insert(.reverse) }
            if spec.italic == true { modifiers.insert(.italic) }
            styles[role] = Style(fg: try color(spec.fg, role: name, field: "fg"),
                                 bg: try color(spec.bg, role: name, field: "bg"), modifiers: modifiers)
        }
        return Theme(name: decoded.name, styles: styles)
    }

    public static func load(named name: String, from directory: URL) throws -> Theme {
        let url = directory.appendingPathComponent("\(name).json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let available = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
            throw LoadError(file: url.path, message: "no such theme; available: \(available.joined(separator: ", "))")
        }
        return try parse(data, file: url.path)
    }

    /// The default look, in code so the console works even without its theme files.
    public static let builtinDefault: Theme = {
        let ink = Color.indexed(252), paper = Color.default, accent = Color.indexed(39)
        let s: [Role: Style] = [
            .base: Style(fg: ink, bg: paper),
            .title: Style(fg: .indexed(231), bg: .indexed(24), modifiers: .bold),
            .titleAccent: Style(fg: .indexed(220), bg: .indexed(24), modifiers: .bold),
            .border: Style(fg: .indexed(240)),
            .borderFocused: Style(fg: accent),
            .header: Style(fg: .indexed(250), modifiers: [.bold, .underline]),
            .selected: Style(fg: .indexed(231), bg: .indexed(25), modifiers: .bold),
            .selectedUnfocused: Style(fg: ink, bg: .indexed(238)),
            .muted: Style(fg: .indexed(244)),
            .statusBar: Style(fg: ink, bg: .indexed(236)),
            .statusKey: Style(fg: .indexed(220), bg: .indexed(236), modifiers: .bold),
            .statusOnline: Style(fg: .indexed(46), bg: .indexed(236), modifiers: .bold),
            .statusOffline: Style(fg: .indexed(231), bg: .indexed(160), modifiers: .bold),
            .statusWarning: Style(fg: .indexed(16), bg: .indexed(214)),
            .tabActive: Style(fg: .indexed(16), bg: .indexed(220), modifiers: .bold),
            .tabInactive: Style(fg: .indexed(250), bg: .indexed(24)),
            .prompt: Style(fg: .indexed(231), bg: .indexed(236)),
            .promptCursor: Style(modifiers: .reverse),
            .helpKey: Style(fg: .indexed(220), modifiers: .bold),
            .helpText: Style(fg: ink),
            .priority1: Style(fg: .indexed(196), modifiers: .bold),
            .priority2: Style(fg: .indexed(208), modifiers: .bold),
            .priority3: Style(fg: .indexed(220)),
            .priority4: Style(fg: .indexed(250)),
            .ok: Style(fg: .indexed(41)),
            .warning: Style(fg: .indexed(214)),
            .danger: Style(fg: .indexed(196), modifiers: .bold),
            .info: Style(fg: .indexed(75)),
            .accent: Style(fg: accent, modifiers: .bold),
            .tileLabel: Style(fg: .indexed(250)),
            .tileValue: Style(fg: .indexed(231), modifiers: .bold),
            .sparkline: Style(fg: .indexed(75)),
        ]
        return Theme(name: "default", styles: s)
    }()
}
