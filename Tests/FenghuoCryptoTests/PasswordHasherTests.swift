import Testing
import FenghuoCrypto

@Suite("PasswordHasher: salted PBKDF2-HMAC-SHA256 in a self-describing text form")
struct PasswordHasherTests {
    /// A small cost keeps the suite fast; production uses the 210,000 default.
    let hasher = PasswordHasher(iterations: 1000)

    @Test func the_default_cost_follows_owasp_2023() {
        #expect(PasswordHasher().iterations == 210_000)
    }

    @Test func a_hash_names_its_scheme_cost_salt_and_key() throws {
        // When a password is hashed
        let stored = try hasher.hash("correct horse")
        // Then it reads pbkdf2-sha256$1000$<16-byte salt>$<32-byte key>, in lower-case hex
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        try #require(parts.count == 4)
        #expect(parts[0] == "pbkdf2-sha256")
        #expect(parts[1] == "1000")
        #expect(parts[2].count == 32)
        #expect(parts[3].count == 64)
        #expect((parts[2] + parts[3]).allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func the_right_password_verifies_against_its_hash() throws {
        let stored = try hasher.hash("correct horse")
        #expect(hasher.verify("correct horse", against: stored))
    }

    @Test(arguments: ["Correct horse", "correct horse ", "correct hors", "", "correct horse battery"])
    func a_wrong_password_does_not_verify(_ attempt: String) throws {
        let stored = try hasher.hash("correct horse")
        #expect(!hasher.verify(attempt, against: stored))
    }

    @Test func a_chinese_password_round_trips() throws {
        let stored = try hasher.hash("烽火台2026！")
        #expect(hasher.verify("烽火台2026！", against: stored))
        #expect(!hasher.verify("烽火台2026!", against: stored))  // ASCII "!" is another character
    }

    @Test func the_empty_password_round_trips() throws {
        let stored = try hasher.hash("")
        #expect(hasher.verify("", against: stored))
        #expect(!hasher.verify(" ", against: stored))
    }

    @Test func two_hashes_of_one_password_differ_by_their_salt_and_both_verify() throws {
        // When the same password is hashed twice
        let first = try hasher.hash("correct horse")
        let second = try hasher.hash("correct horse")
        // Then the texts differ, salt and key alike
        #expect(first != second)
        let a = first.split(separator: "$"), b = second.split(separator: "$")
        #expect(a[2] != b[2])
        #expect(a[3] != b[3])
        // And both still verify
        #expect(hasher.verify("correct horse", against: first))
        #expect(hasher.verify("correct horse", against: second))
    }

    @Test func the_cost_is_read_from_the_stored_hash_so_it_can_rise_without_a_migration() throws {
        // Given a hash made at cost 1000
        let old = try hasher.hash("correct horse")
        // When a hasher configured for a higher cost verifies it
        let stronger = PasswordHasher(iterations: 2000)
        // Then it still verifies, and new hashes carry the new cost
        #expect(stronger.verify("correct horse", against: old))
        #expect(try stronger.hash("correct horse").hasPrefix("pbkdf2-sha256$2000$"))
    }

    @Test(arguments: [
        // RFC 7914 §11 / well-known PBKDF2-HMAC-SHA256 vectors for P="password", S="salt" (hex 73616c74)
        "pbkdf2-sha256$1$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
        "pbkdf2-sha256$2$73616c74$ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43",
        "pbkdf2-sha256$4096$73616c74$c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a",
        "pbkdf2-sha256$4096$73616C74$C5E478D59288C841AA530DB6845C4C8D962893A001CE4E11A4963873AA98134A",
    ])
    func verifies_known_pbkdf2_hmac_sha256_answers(_ stored: String) {
        #expect(hasher.verify("password", against: stored))
        #expect(!hasher.verify("passwore", against: stored))
    }

    @Test func verifies_a_known_answer_with_a_64_byte_key() {
        // RFC 7914 §11: P="passwd", S="salt", c=1, dkLen=64
        let stored = "pbkdf2-sha256$1$73616c74$55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        #expect(hasher.verify("passwd", against: stored))
    }

    @Test func a_hash_with_one_key_digit_changed_does_not_verify() throws {
        let stored = try hasher.hash("correct horse")
        let last = stored.last!
        let tampered = String(stored.dropLast()) + (last == "0" ? "1" : "0")
        #expect(!hasher.verify("correct horse", against: tampered))
    }

    @Test(arguments: [
        "",
        "garbage",
        "pbkdf2-sha256",
        "pbkdf2-sha256$1000$73616c74",                                   // no key
        "pbkdf2-sha1$1$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",  // other scheme
        "PBKDF2-SHA256$1$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
        "pbkdf2-sha256$0$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",  // zero cost
        "pbkdf2-sha256$-1$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
        "pbkdf2-sha256$one$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
        "pbkdf2-sha256$1$73616c7$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",   // odd salt
        "pbkdf2-sha256$1$zz616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",  // not hex
        "pbkdf2-sha256$1$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17",   // odd key
        "pbkdf2-sha256$1$73616c74$xx0fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",  // not hex
        "pbkdf2-sha256$1$$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",          // no salt
        "pbkdf2-sha256$1$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b$extra",
    ])
    func a_malformed_stored_hash_never_verifies(_ stored: String) {
        #expect(!hasher.verify("password", against: stored))
    }

    @Test
    func a_stored_key_shorter_than_32_bytes_never_verifies() {
        // The first byte of PBKDF2-HMAC-SHA256("password", "salt", 1) is 0x12
        #expect(!hasher.verify("password", against: "pbkdf2-sha256$1$73616c74$12"))
    }

    @Test
    func a_stored_cost_too_large_for_openssl_never_verifies() {
        // 2^31 iterations do not fit OpenSSL's int parameter: the hash is malformed, not a crash
        let stored = "pbkdf2-sha256$2147483648$73616c74$120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
        #expect(!hasher.verify("password", against: stored))
    }
}
