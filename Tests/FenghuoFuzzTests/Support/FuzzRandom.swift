import FenghuoSeed
import Foundation

/// The seeder's SplitMix64: every hostile input is a function of one number, so a failure
/// found once can be found again (`FENGHUO_FUZZ_SEED`). The fuzzing vocabulary is below.
typealias FuzzRandom = SeededRandom

extension SeededRandom {
    /// A length that is usually small, sometimes near a limit and rarely far past it: most bugs
    /// show on short inputs, limits only on long ones, and every size stays bounded.
    mutating func length(typical: Int = 12, limit: Int) -> Int {
        switch int(0...99) {
        case 0..<80: int(0...min(typical, limit))
        case 80..<97: int(0...limit)
        default: int(max(0, limit - 2)...limit)
        }
    }

    // MARK: Text

    /// Pieces of text that mean something to some parser here: quotes of four kinds, escapes,
    /// separators (ASCII, tab, the ideographic space), `=` `,` `:`, SQL and FTS5 syntax, LIKE
    /// wildcards, control characters (NUL, ESC, DEL, C1, the line separators), combining marks,
    /// a byte-order mark, a direction override, an emoji sequence, CJK inside and outside the
    /// Basic Multilingual Plane, and CRLF (one `Character` in Swift).
    static let atoms: [String] = [
        "\"", "'", "“", "”", "「", "」", "\\", "\\\"", "\\u0000", "=", ",", ":", ";", " ", "  ", "\t", "\u{3000}",
        "%", "_", "*", "^", "(", ")", "-", "+", "NEAR", "AND", "OR", "NOT", "';--", "/*", "{place}", "#",
        "\0", "\u{1B}", "\u{1B}[31m", "\u{7F}", "\u{85}", "\u{9B}", "\u{2028}", "\u{2029}", "\n", "\r", "\r\n",
        "\u{301}", "\u{200D}", "\u{FEFF}", "\u{202E}", "\u{FFFD}", "👮🏽‍♀️", "🇨🇳", "𠀀", "𪚥",
        "警", "情", "老城", "江北区", "停水", "盗窃", "城管", "路", "号", "小区", "许可", "有限公司",
        "0", "1", "-1", "9223372036854775807", "9223372036854775808", "1e400", "NaN", "true", "false", "null",
    ]

    mutating func scalar() -> Character {
        switch int(0...9) {
        case 0...3: Character(Unicode.Scalar(UInt8(int(0x20...0x7E))))
        case 4...5: Character(Unicode.Scalar(UInt32(int(0x4E00...0x9FFF)))!)  // CJK ideographs
        case 6: Character(Unicode.Scalar(UInt8(int(0x00...0x1F))))
        case 7: Character(Unicode.Scalar(UInt32(int(0x80...0x2FF)))!)
        // Anything that is a scalar (surrogates are not).
        default: Character(Unicode.Scalar(UInt32(int(0...0x10FFFF))) ?? "\u{FFFD}")
        }
    }

    /// Hostile text: atoms and random characters, mostly short, at most `limit` pieces.
    mutating func text(limit: Int = 64) -> String {
        var out = ""
        for _ in 0..<length(limit: limit) {
            if chance(0.4) { out += pick(Self.atoms) } else { out.append(scalar()) }
        }
        return out
    }

    /// Text a person could type at the console: no C0 control characters and no DEL (the
    /// terminal turns those into keys, not characters).
    mutating func typable(limit: Int = 24) -> String {
        String(text(limit: limit).unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
    }

    mutating func bytes(limit: Int = 256) -> [UInt8] {
        (0..<length(typical: 24, limit: limit)).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    mutating func int64() -> Int64 {
        switch int(0...5) {
        case 0: pick([Int64.min, Int64.max, 0, -1, 1, Int64(Int32.max) + 1])
        case 1: Int64(int(-1_000...1_000))
        default: Int64.random(in: Int64.min...Int64.max, using: &self)
        }
    }

    mutating func double() -> Double {
        switch int(0...5) {
        case 0: pick([0.0, -0.0, 1.0, -1.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                      .leastNonzeroMagnitude, .leastNormalMagnitude, 0.1, 1e15, 1e16, 123_456_789.125])
        case 1: Double(int(-1_000...1_000))
        default: finite(Double(bitPattern: next()))
        }
    }

    private mutating func finite(_ d: Double) -> Double {
        d.isFinite ? d : Double(int(-9...9)) / 7
    }

    // MARK: Mutations of valid input

    /// Bytes that break UTF-8: a lone continuation, an overlong NUL, a surrogate, a truncated
    /// sequence, bytes that never occur.
    static let brokenUTF8: [[UInt8]] = [[0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE8, 0xAD], [0xFF], [0xFE], [0xF4, 0x90, 0x80, 0x80]]

    /// One to three edits of a valid input: bit flips, truncation, a span deleted, duplicated
    /// or moved, random or broken-UTF-8 bytes inserted, a splice with another input.
    mutating func mutate(_ input: [UInt8], other: [UInt8] = []) -> [UInt8] {
        var data = input
        for _ in 0..<int(1...3) {
            let n = data.count
            switch int(0...7) {
            case 0 where n > 0:
                let i = int(0...(n - 1))
                data[i] ^= UInt8(1) << UInt8(int(0...7))
            case 1 where n > 0:
                data = Array(data.prefix(int(0...(n - 1))))
            case 2 where n > 1:
                let a = int(0...(n - 1)), b = int(a...min(n - 1, a + 16))
                data.removeSubrange(a...b)
            case 3 where n > 0:
                let a = int(0...(n - 1)), b = int(a...min(n - 1, a + 32))
                data.insert(contentsOf: data[a...b], at: int(0...n))
            case 4:
                data.insert(contentsOf: bytes(limit: 8), at: int(0...n))
            case 5:
                data.insert(contentsOf: pick(Self.brokenUTF8), at: int(0...n))
            case 6 where !other.isEmpty:
                data = Array(data.prefix(int(0...n))) + Array(other.suffix(int(0...other.count)))
            default:
                data.insert(contentsOf: Array(pick(Self.atoms).utf8), at: int(0...n))
            }
        }
        return data
    }
}

extension Data {
    var bytes: [UInt8] { [UInt8](self) }
}

extension String {
    /// The text as a failure message shows it: escaped, and cut when long.
    var shown: String {
        let escaped = unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F ? String($0) : $0.escaped(asASCII: true) }
            .joined()
        return escaped.count > 600 ? String(escaped.prefix(600)) + "…(\(utf8.count) bytes)" : escaped
    }
}

extension Array where Element == UInt8 {
    var shown: String {
        String(decoding: self, as: UTF8.self).shown + (String(validating: self, as: UTF8.self) == nil ? " (invalid UTF-8)" : "")
    }
}
