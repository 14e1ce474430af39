import Testing
import FenghuoCrypto

@Suite("Digest: SM3 and SHA-256 through OpenSSL")
struct DigestTests {
    static func digest(_ text: String, _ algorithm: Digest.Algorithm) throws -> String {
        Digest.hex(try Digest.hash(Array(text.utf8), with: algorithm))
    }

    // Known-answer vectors: GB/T 32905-2016 (SM3) examples 1 and 2; FIPS 180-2 (SHA-256).

    @Test func sm3_of_abc_matches_the_national_standard_example() throws {
        #expect(try Self.digest("abc", .sm3) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }

    @Test func sm3_of_the_64_byte_standard_example_matches() throws {
        let message = String(repeating: "abcd", count: 16)
        #expect(try Self.digest(message, .sm3) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test func sm3_of_the_empty_message_matches() throws {
        #expect(try Self.digest("", .sm3) == "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b")
    }

    @Test func sha256_of_abc_matches_fips_180() throws {
        #expect(try Self.digest("abc", .sha256) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha256_of_the_empty_message_matches() throws {
        #expect(try Self.digest("", .sha256) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test(arguments: [Digest.Algorithm.sm3, .sha256])
    func both_digests_are_32_bytes_long(_ algorithm: Digest.Algorithm) throws {
        #expect(try Digest.hash(Array("烽火".utf8), with: algorithm).count == 32)
    }

    @Test func the_two_algorithms_give_different_digests() throws {
        #expect(try Self.digest("abc", .sm3) != Self.digest("abc", .sha256))
    }

    @Test func hex_is_lower_case_and_zero_padded() {
        #expect(Digest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Digest.hex([]) == "")
    }
}
