import Foundation

/// JSON as a tree the fuzzer can edit: a valid document of a wire type is parsed into it, a
/// node is swapped for a value of the wrong type, a huge number, a long string or a deep
/// nest, and it is written out again. Numbers keep their text, so `1e400` and `-0` survive.
indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Keys in order, repeats allowed (a hostile document may say a key twice).
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    // MARK: Writing

    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    var data: Data { Data(text.utf8) }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    // MARK: Reading (valid JSON only: what JSONEncoder wrote)

    init?(parsing data: Data) {
        var reader = Reader(bytes: [UInt8](data))
        guard let value = reader.value(), reader.atEnd else { return nil }
        self = value
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return i == bytes.count
            }
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard bytes.count - i >= w.count, Array(bytes[i..<(i + w.count)]) == w else { return false }
            i += w.count
            return true
        }

        mutating func value() -> JSONValue? {
            skipSpace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, JSONValue)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = string() else { return nil }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    guard let item = value() else { return nil }
                    members.append((key, item))
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    return nil
                }
            default:
                let start = i
                while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
                return i > start ? .number(String(decoding: bytes[start..<i], as: UTF8.self)) : nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - i >= 4, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else { return nil }
            i += 4
            return v
        }

        mutating func string() -> String? {
            i += 1
            var raw: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") { return String(validating: raw, as: UTF8.self) }
                guard b == UInt8(ascii: "\\") else { raw.append(b); continue }
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                let simple: [UInt8: String] = [UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\", UInt8(ascii: "/"): "/",
                                               UInt8(ascii: "b"): "\u{8}", UInt8(ascii: "f"): "\u{C}", UInt8(ascii: "n"): "\n",
                                               UInt8(ascii: "r"): "\r", UInt8(ascii: "t"): "\t"]
                if let s = simple[e] { raw += Array(s.utf8); continue }
                guard e == UInt8(ascii: "u"), var v = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(v), literal("\\u"), let low = hex4() {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(v) else { return nil }
                raw += Array(String(Character(scalar)).utf8)
            }
            return nil
        }
    }

    // MARK: Editing

    /// Every node, as the path of steps to it (array index or object member index).
    var paths: [[Int]] {
        var out: [[Int]] = [[]]
        switch self {
        case .array(let items):
            for (n, item) in items.enumerated() { out += item.paths.map { [n] + $0 } }
        case .object(let members):
            for (n, member) in members.enumerated() { out += member.1.paths.map { [n] + $0 } }
        default: break
        }
        return out
    }

    func replacing(at path: [Int], _ edit: (JSONValue) -> JSONValue) -> JSONValue {
        guard let step = path.first else { return edit(self) }
        switch self {
        case .array(var items) where step < items.count:
            items[step] = items[step].replacing(at: Array(path.dropFirst()), edit)
            return .array(items)
        case .object(var members) where step < members.count:
            members[step].1 = members[step].1.replacing(at: Array(path.dropFirst()), edit)
            return .object(members)
        default:
            return self
        }
    }
}

extension FuzzRandom {
    /// A number JSON can spell that Swift may not hold: past Int64, past Double, negative
    /// zero, long fractions, exponents, leading zeros and signs JSON forbids.
    mutating func hostileNumber() -> String {
        pick(["0", "-0", "1", "-1", "0.5", "1.0", "1e3", "1E-3", "9223372036854775807", "9223372036854775808",
              "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e308", "1e309", "-1e400",
              "4.9e-324", "1e-400", "123456789012345678901234567890", "0.1234567890123456789", "2147483648",
              "01", "+1", ".5", "1.", "-", "1e", String(int64()), "\(double())"])
    }

    /// Any JSON value (`depth` bounds the nesting), hostile strings and numbers included.
    mutating func json(depth: Int = 3) -> JSONValue {
        switch int(0...(depth > 0 ? 7 : 4)) {
        case 0: return .null
        case 1: return .bool(chance(0.5))
        case 2: return .number(hostileNumber())
        case 3, 4: return .string(text(limit: chance(0.05) ? 5_000 : 24))
        case 5: return .array((0..<int(0...4)).map { _ in json(depth: depth - 1) })
        case 6: return .object((0..<int(0...4)).map { _ in (text(limit: 6), json(depth: depth - 1)) })
        default:
            // A deep nest, deep enough to be hostile and shallow enough for a recursive decoder.
            let levels = int(10...400)
            var v: JSONValue = .number("1")
            for _ in 0..<levels { v = chance(0.5) ? .array([v]) : .object([("a", v)]) }
            return v
        }
    }

    /// One structural edit of a valid document: a node swapped for a value of another type,
    /// a member removed, repeated or added under an unknown or empty key, a node wrapped in
    /// an array, a string made huge or full of escapes.
    mutating func mutate(_ doc: JSONValue, keys: [String] = []) -> JSONValue {
        let path = pick(doc.paths)
        switch int(0...6) {
        case 0, 1:
            return doc.replacing(at: path) { _ in json() }
        case 2:
            return doc.replacing(at: path.dropLast().map { $0 }) { parent in
                guard case .object(var members) = parent, let last = path.last, last < members.count else { return parent }
                if chance(0.5) { members.remove(at: last) } else { members.append(members[last]) }
                return .object(members)
            }
        case 3:
            return doc.replacing(at: path) { node in
                guard case .object(var members) = node else { return node }
                members.append((keys.isEmpty || chance(0.3) ? text(limit: 6) : pick(keys), json(depth: 1)))
                return .object(members)
            }
        case 4:
            return doc.replacing(at: path) { .array([$0]) }
        case 5:
            return doc.replacing(at: path) { node in
                guard case .string(let s) = node else { return .string(text()) }
                return .string(s + String(repeating: pick(FuzzRandom.atoms), count: int(1...3_000)))
            }
        default:
            return doc.replacing(at: path) { node in
                switch node {
                case .number: .string(hostileNumber())
                case .string(let s): .number(s.isEmpty ? hostileNumber() : s)
                case .bool(let b): .string(b ? "true" : "false")
                default: .null
                }
            }
        }
    }
}
