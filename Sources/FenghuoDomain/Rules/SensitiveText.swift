/// What must never be written out whole where people other than its owner read it: in log
/// files and audit details. Mobile numbers and identity-card numbers are masked (enough is
/// kept to tell two apart); bearer tokens and a password's value are removed. Central's audit
/// details and every process's log lines (`fenghuo agent`, `central serve`, `simulate`) go
/// through this one function.
public enum SensitiveText {
    /// Put where a value was removed.
    public static let removed = "[removed]"

    /// `text` with its mobile numbers (`13812345678` → `138****5678`, also after `+86`),
    /// identity-card numbers (18 characters: the first 6 and the last 4 kept) masked; bearer
    /// tokens, Fenghuo tokens, `token=` values and anything after `password=` or `password:` on
    /// a line removed.
    public static func masked(_ text: String) -> String {
        guard mayHoldSomething(text) else { return text }
        var bytes = removingCredentials(Array(text.utf8))
        maskNumbers(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Numbers

    /// Masks runs of ASCII digits that are a mobile number or an identity-card number. Digits
    /// are single bytes in UTF-8, so the bytes around a run (Chinese text, say) stay whole.
    static func maskNumbers(_ bytes: inout [UInt8]) {
        var i = 0
        while i < bytes.count {
            guard isDigit(bytes[i]) else { i += 1; continue }
            var end = i
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            var length = end - i
            // An identity card's check character may be X.
            if length == 17, end < bytes.count, bytes[end] == UInt8(ascii: "X") || bytes[end] == UInt8(ascii: "x"),
               end + 1 == bytes.count || !isAlphanumeric(bytes[end + 1]) {
                end += 1
                length = 18
            }
            switch length {
            case 11 where isMobile(bytes, at: i):
                star(&bytes, from: i + 3, count: 4)
            case 13 where bytes[i] == UInt8(ascii: "8") && bytes[i + 1] == UInt8(ascii: "6") && isMobile(bytes, at: i + 2):
                star(&bytes, from: i + 5, count: 4)
            case 18:
                star(&bytes, from: i + 6, count: 8)
            default:
                break
            }
            i = end
        }
    }

    /// A Chinese mobile number: 11 digits, `1` then 3–9.
    private static func isMobile(_ bytes: [UInt8], at i: Int) -> Bool {
        bytes[i] == UInt8(ascii: "1") && bytes[i + 1] >= UInt8(ascii: "3") && bytes[i + 1] <= UInt8(ascii: "9")
    }

    private static func star(_ bytes: inout [UInt8], from start: Int, count: Int) {
        for k in start..<(start + count) { bytes[k] = UInt8(ascii: "*") }
    }

    // MARK: Credentials

    /// Lowercase keywords whose value is removed: `password` (followed by `=` or `:`) takes the
    /// rest of its line; `bearer` and `token` (followed by `=`, `:` or `":"`) one value.
    private static let password = Array("password".utf8)
    private static let bearer = Array("bearer ".utf8)
    private static let token = Array("token".utf8)
    /// How a Fenghuo token starts: base64url of `{"`.
    private static let tokenStart = Array("eyJ".utf8)

    /// One pass over the text: a run of 11 digits, or a keyword (`password`, `bearer `,
    /// `token`, `eyJ`). Most texts (a code, a name, an address, Chinese prose without numbers)
    /// are returned as they are, at the cost of reading them once.
    private static func mayHoldSomething(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { scan($0) } ?? scan(Array(text.utf8))
    }

    private static func scan<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.Index == Int {
        var digits = 0
        for i in bytes.indices {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                digits += 1
                if digits == 11 { return true }
                continue
            }
            digits = 0
            switch b {
            case 0x50, 0x70: if matches(password, bytes, at: i) { return true }   // P p
            case 0x42, 0x62: if matches(bearer, bytes, at: i) { return true }     // B b
            case 0x54, 0x74: if matches(token, bytes, at: i) { return true }      // T t
            case 0x65: if matches(tokenStart, bytes, at: i, caseSensitive: true) { return true }
            default: break
            }
        }
        return false
    }

    private static func matches<Bytes: RandomAccessCollection<UInt8>>(_ word: [UInt8], _ bytes: Bytes, at i: Int,
                                                                      caseSensitive: Bool = false) -> Bool where Bytes.Index == Int {
        guard i + word.count <= bytes.endIndex else { return false }
        for k in 0..<word.count where bytes[i + k] != word[k] && (caseSensitive || lowercased(bytes[i + k]) != word[k]) {
            return false
        }
        return true
    }

    static func removingCredentials(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        // A password's value: everything after `password…=` or `password…:` to the end of its
        // line (quoted, spaced or JSON, no reader of a log needs it). "wrong password" is prose.
        var from = 0
        while let at = find(password, in: bytes, from: from) {
            var cut = at + password.count
            // `password_hash`, `passwordFile`, then a closing quote and spaces.
            while cut < bytes.count, isAlphanumeric(bytes[cut]) || bytes[cut] == UInt8(ascii: "_") { cut += 1 }
            while cut < bytes.count, bytes[cut] == UInt8(ascii: "\"") || bytes[cut] == UInt8(ascii: "'") || isSpace(bytes[cut]) {
                cut += 1
            }
            guard cut < bytes.count, bytes[cut] == UInt8(ascii: "=") || bytes[cut] == UInt8(ascii: ":") else {
                from = at + password.count
                continue
            }
            cut += 1
            var lineEnd = cut
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let replacement = Array(" \(removed)".utf8)
            bytes.replaceSubrange(cut..<lineEnd, with: replacement)
            from = cut + replacement.count
        }
        bytes = removingValues(after: bearer, in: bytes, needsSeparator: false)
        bytes = removingValues(after: token, in: bytes, needsSeparator: true)
        // A token on its own (signed claims: base64url JSON, a dot, base64url signature).
        from = 0
        while let at = find(tokenStart, in: bytes, from: from, caseSensitive: true) {
            var end = at
            var dots = 0
            while end < bytes.count, isBase64URL(bytes[end]) || bytes[end] == UInt8(ascii: ".") {
                if bytes[end] == UInt8(ascii: ".") { dots += 1 }
                end += 1
            }
            let startsWord = at == 0 || !isBase64URL(bytes[at - 1])
            if startsWord, dots >= 1, end - at >= 24 {
                let replacement = Array(removed.utf8)
                bytes.replaceSubrange(at..<end, with: replacement)
                from = at + replacement.count
            } else {
                from = end
            }
        }
        return bytes
    }

    /// Removes the value after each `keyword` (and its `=`, `:` or `":"` when `needsSeparator`):
    /// up to a space, quote, comma, `&`, `;` or bracket.
    private static func removingValues(after keyword: [UInt8], in input: [UInt8], needsSeparator: Bool) -> [UInt8] {
        var bytes = input
        var from = 0
        while let at = find(keyword, in: bytes, from: from) {
            var start = at + keyword.count
            if needsSeparator {
                // `token=…`, `token: …`, `"token":"…"`; "token refused" is prose, not a value.
                while start < bytes.count, bytes[start] == UInt8(ascii: "\"") { start += 1 }
                guard start < bytes.count, bytes[start] == UInt8(ascii: "=") || bytes[start] == UInt8(ascii: ":") else {
                    from = at + keyword.count
                    continue
                }
                start += 1
            }
            while start < bytes.count, isSpace(bytes[start]) || bytes[start] == UInt8(ascii: "\"") { start += 1 }
            var end = start
            while end < bytes.count, !isValueEnd(bytes[end]) { end += 1 }
            if end > start, !bytes[start..<end].elementsEqual(removed.utf8) {
                let replacement = Array(removed.utf8)
                bytes.replaceSubrange(start..<end, with: replacement)
                from = start + replacement.count
            } else {
                from = max(end, at + keyword.count)
            }
        }
        return bytes
    }

    /// The first index of `word` in `bytes` at or after `from`, ASCII letters compared without
    /// case unless `caseSensitive`.
    private static func find(_ word: [UInt8], in bytes: [UInt8], from: Int, caseSensitive: Bool = false) -> Int? {
        guard bytes.count >= word.count, from <= bytes.count - word.count else { return nil }
        let first = word[0]
        var i = from
        while i <= bytes.count - word.count {
            if bytes[i] == first || (!caseSensitive && lowercased(bytes[i]) == first) {
                var k = 1
                while k < word.count, bytes[i + k] == word[k] || (!caseSensitive && lowercased(bytes[i + k]) == word[k]) { k += 1 }
                if k == word.count { return i }
            }
            i += 1
        }
        return nil
    }

    private static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || (lowercased(b) >= 0x61 && lowercased(b) <= 0x7A) }
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
    private static func isBase64URL(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") }
    private static func isValueEnd(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: "&"),
             UInt8(ascii: ";"), UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"):
            true
        default:
            false
        }
    }
}
