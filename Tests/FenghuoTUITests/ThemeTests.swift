import Foundation
import Testing
import FenghuoTUI

@Suite("Theme: shipped files, parsing, errors and colour removal")
struct ThemeTests {
    func parse(_ json: String, file: String = "custom.json") throws -> Theme {
        try Theme.parse(Data(json.utf8), file: file)
    }

    /// The role names a theme file spells out, read with plain JSONSerialization.
    func roleNames(inFile name: String) throws -> Set<String> {
        let data = try Data(contentsOf: ShippedThemes.url(name))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let roles = try #require(object["roles"] as? [String: Any])
        return Set(roles.keys)
    }

    @Test func the_three_themes_ship_in_the_themes_folder() {
        // Given the package's Themes/ folder / Then it holds exactly these three themes
        #expect(ShippedThemes.names == ["default", "high-contrast", "mono"])
    }

    @Test(arguments: ShippedThemes.names)
    func every_shipped_theme_parses_and_is_named_after_its_file(_ name: String) throws {
        // Given a file from Themes/
        let data = try Data(contentsOf: ShippedThemes.url(name))
        // When parsed / Then it loads, and its name matches the file name
        let theme = try Theme.parse(data, file: "\(name).json")
        #expect(theme.name == name)
    }

    @Test(arguments: ShippedThemes.names)
    func every_shipped_theme_defines_every_role_or_inherits_the_built_in_default(_ name: String) throws {
        // Given a shipped theme and the roles its file spells out
        let theme = try Theme.load(named: name, from: ShippedThemes.directory)
        let listed = try roleNames(inFile: name)
        // Then every role is either listed in the file or has the built-in default's style,
        for role in Theme.Role.allCases where !listed.contains(role.rawValue) {
            #expect(theme[role] == Theme.builtinDefault[role], "\(name).json leaves out \(role) without inheriting it")
        }
        // and the file names no role that does not exist
        let known = Set(Theme.Role.allCases.map(\.rawValue))
        #expect(listed.subtracting(known).isEmpty)
    }

    @Test(arguments: ShippedThemes.names)
    func every_shipped_theme_lists_all_roles_explicitly(_ name: String) throws {
        // The shipped files are complete, so a change to the built-in default cannot
        // silently change how they look.
        let listed = try roleNames(inFile: name)
        let missing = Theme.Role.allCases.map(\.rawValue).filter { !listed.contains($0) }
        #expect(missing.isEmpty, "\(name).json does not list \(missing)")
    }

    @Test func the_shipped_default_theme_looks_exactly_like_the_built_in_default() throws {
        // Given Themes/default.json and the default compiled into the program for when the
        // file is missing
        let file = try Theme.load(named: "default", from: ShippedThemes.directory)
        // Then they agree role by role
        for role in Theme.Role.allCases {
            #expect(file[role] == Theme.builtinDefault[role], "role \(role)")
        }
    }

    @Test func the_mono_theme_uses_no_colour_at_all() throws {
        // Given mono.json / Then every role has default colours, and removing colour changes nothing
        let mono = try Theme.load(named: "mono", from: ShippedThemes.directory)
        for role in Theme.Role.allCases {
            #expect(mono[role].fg == .default && mono[role].bg == .default, "role \(role)")
        }
        #expect(mono[.selected].modifiers == [.reverse, .bold])
        #expect(mono[.muted].modifiers == .dim)
        #expect(mono == mono.withoutColor())
    }

    @Test func the_high_contrast_theme_resolves_its_palette() throws {
        // Given high-contrast.json / Then palette names resolve to their ANSI colours
        let theme = try Theme.load(named: "high-contrast", from: ShippedThemes.directory)
        #expect(theme[.base] == Style(fg: .ansi(15), bg: .ansi(0)))
        #expect(theme[.selected] == Style(fg: .ansi(0), bg: .ansi(11), modifiers: .bold))
        #expect(theme[.priority1] == Style(fg: .ansi(9), modifiers: [.bold, .reverse]))
        #expect(theme[.header] == Style(fg: .ansi(11), bg: .ansi(0), modifiers: [.bold, .underline]))
    }

    @Test func roles_refer_to_palette_names_or_to_colours_directly() throws {
        // Given a palette name shadowing an ANSI name, a palette index, and a direct colour
        let theme = try parse("""
            {"name": "t", "palette": {"brand": "39", "red": "196"},
             "roles": {"title": {"fg": "brand", "bg": "blue", "bold": true},
                       "danger": {"fg": "red"},
                       "ok": {"fg": "2", "bg": "default"}}}
            """)
        #expect(theme.name == "t")
        #expect(theme[.title] == Style(fg: .indexed(39), bg: .ansi(4), modifiers: .bold))
        #expect(theme[.danger] == Style(fg: .indexed(196)))
        #expect(theme[.ok] == Style(fg: .indexed(2), bg: .default))
    }

    @Test func every_modifier_flag_is_read_and_false_means_off() throws {
        // Given every modifier flag set true on one role, and false on another / Then exactly those
        let theme = try parse("""
            {"name": "t", "roles": {
              "accent": {"bold": true, "dim": true, "underline": true, "reverse": true, "italic": true},
              "info": {"bold": false, "underline": true}}}
            """)
        #expect(theme[.accent].modifiers == [.bold, .dim, .underline, .reverse, .italic])
        #expect(theme[.info].modifiers == .underline)
    }

    @Test func a_role_the_file_leaves_out_keeps_the_built_in_style_and_a_role_it_gives_is_replaced_whole() throws {
        // Given a file that only sets the title's foreground
        let theme = try parse(#"{"name": "partial", "roles": {"title": {"fg": "white"}}}"#)
        // Then title is exactly that (no inherited background or bold), and others are the default's
        #expect(theme[.title] == Style(fg: .ansi(7)))
        for role in Theme.Role.allCases where role != .title {
            #expect(theme[role] == Theme.builtinDefault[role], "role \(role)")
        }
    }

    @Test func an_unknown_role_is_a_load_error_naming_the_file_and_the_role() throws {
        // Given a file with a misspelt role
        let error = try #require(loadError {
            try parse(#"{"name": "t", "roles": {"headr": {"fg": "red"}}}"#, file: "Themes/custom.json")
        })
        // Then the error names the file and the role, and lists the real roles
        #expect(error.file == "Themes/custom.json")
        #expect(error.message.contains("'headr'"))
        #expect(error.message.contains("header"))
        #expect(error.description.hasPrefix("Themes/custom.json: "))
        #expect(error.description.contains("headr"))
    }

    @Test func a_bad_colour_is_a_load_error_naming_the_file_the_role_and_the_colour() throws {
        // Given a role with a colour that is neither a palette name nor a colour
        // Then the error names the file, the role and the bad value
        let error = try #require(loadError {
            try parse(#"{"name": "t", "roles": {"header": {"fg": "white", "bg": "chartreuse"}}}"#, file: "bad.json")
        })
        #expect(error.file == "bad.json")
        #expect(error.message.contains("'header'"))
        #expect(error.message.contains("chartreuse"))
        #expect(error.description.contains("bad.json"))

        let outOfRange = try #require(loadError {
            try parse(#"{"name": "t", "roles": {"muted": {"fg": "300"}}}"#, file: "bad.json")
        })
        #expect(outOfRange.message.contains("'muted'"))
        #expect(outOfRange.message.contains("300"))
    }

    @Test func a_bad_palette_colour_is_a_load_error_naming_the_file_and_the_role_that_uses_it() throws {
        // Given a palette entry that is no colour, used by one role
        let error = try #require(loadError {
            try parse(#"{"name": "t", "palette": {"brand": "400"}, "roles": {"title": {"fg": "brand"}}}"#,
                      file: "bad.json")
        })
        // Then the error names the file, the palette entry and the role
        #expect(error.file == "bad.json")
        #expect(error.message.contains("brand"))
        #expect(error.message.contains("400"))
        #expect(error.message.contains("title"), "message: \(error.message)")
    }

    @Test func a_file_that_is_not_json_or_has_the_wrong_shape_is_a_load_error() throws {
        // Given broken JSON, a file with no roles, and a flag of the wrong type
        // Then each is a LoadError naming its file
        let notJSON = try #require(loadError { try parse("{name: ", file: "broken.json") })
        #expect(notJSON.file == "broken.json")
        #expect(notJSON.message.contains("not valid JSON"))

        let noRoles = try #require(loadError { try parse(#"{"name": "t"}"#, file: "shape.json") })
        #expect(noRoles.file == "shape.json")
        #expect(noRoles.message.contains("unexpected shape"))

        let wrongType = try #require(loadError { try parse(#"{"name": "t", "roles": {"title": {"bold": "yes"}}}"#) })
        #expect(wrongType.file == "custom.json")
    }

    @Test func loading_a_missing_theme_lists_the_available_ones() throws {
        // Given the shipped Themes/ folder / When a theme that is not there is asked for
        let error = try #require(loadError { try Theme.load(named: "dark", from: ShippedThemes.directory) })
        // Then the error names the file looked for and lists the themes that exist
        #expect(error.file.hasSuffix("dark.json"))
        #expect(error.message.contains("default, high-contrast, mono"))
    }

    @Test func loading_from_a_folder_reports_a_broken_theme_with_its_path() throws {
        // Given a temporary folder with one good and one broken theme, and a non-theme file
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"name": "night", "roles": {"base": {"fg": "white"}}}"#.utf8)
            .write(to: folder.appendingPathComponent("night.json"))
        try Data(#"{"name": "bad", "roles": {"nope": {}}}"#.utf8).write(to: folder.appendingPathComponent("bad.json"))
        try Data("notes".utf8).write(to: folder.appendingPathComponent("README.txt"))
        // Then the good one loads
        #expect(try Theme.load(named: "night", from: folder)[.base] == Style(fg: .ansi(7)))
        // and the broken one fails naming its path and the role
        let broken = try #require(loadError { try Theme.load(named: "bad", from: folder) })
        #expect(broken.file.hasSuffix("bad.json"))
        #expect(broken.message.contains("'nope'"))
        // and a missing one lists only the .json files
        let missing = try #require(loadError { try Theme.load(named: "day", from: folder) })
        #expect(missing.message.hasSuffix("available: bad, night"))
    }

    @Test func without_color_drops_every_colour_and_keeps_every_modifier() {
        // Given the built-in default theme
        let theme = Theme.builtinDefault
        // When its colour is removed
        let plain = theme.withoutColor()
        // Then each role keeps its modifiers and has default colours
        #expect(plain.name == theme.name)
        for role in Theme.Role.allCases {
            #expect(plain[role] == Style(modifiers: theme[role].modifiers), "role \(role)")
        }
        #expect(plain[.selected].modifiers == .bold)
        #expect(plain[.header].modifiers == [.bold, .underline])
        #expect(plain[.promptCursor].modifiers == .reverse)
    }

    @Test func fitting_a_theme_to_the_terminal_degrades_each_colour_or_drops_colour() {
        let theme = Theme.builtinDefault
        // With 16 colours each palette colour becomes its nearest ANSI colour, modifiers kept
        let sixteen = theme.fitted(toColors: 16)
        #expect(sixteen[.danger] == Style(fg: .ansi(9), modifiers: .bold))
        #expect(sixteen[.base] == Style(fg: .ansi(7), bg: .default))
        // With 8 colours brightness goes too
        #expect(theme.fitted(toColors: 8)[.danger] == Style(fg: .ansi(1), modifiers: .bold))
        // With 256 nothing changes; with no colour at all it is withoutColor()
        #expect(theme.fitted(toColors: 256) == theme)
        #expect(theme.fitted(toColors: 0) == theme.withoutColor())
        #expect(theme.fitted(toColors: 2) == theme.withoutColor())
    }

    @Test func a_role_a_theme_does_not_hold_is_drawn_plain() {
        // Given a theme made in code with one role / Then other roles are plain
        let sparse = Theme(name: "sparse", styles: [.title: Style(modifiers: .bold)])
        #expect(sparse[.title] == Style(modifiers: .bold))
        #expect(sparse[.border] == .plain)
    }

    @Test func the_built_in_default_has_a_style_for_every_role() {
        // Every role but the cursor (reverse only) has some colour, so none fell back to plain
        for role in Theme.Role.allCases where role != .promptCursor {
            #expect(Theme.builtinDefault[role] != .plain, "role \(role)")
        }
        #expect(Theme.builtinDefault.name == "default")
    }
}
