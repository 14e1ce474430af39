import FenghuoDomain
import Testing

/// What log lines and audit details may not carry whole.
@Suite("Sensitive text: numbers masked, credentials removed")
struct SensitiveTextTests {
    @Test func a_mobile_number_keeps_its_first_three_and_last_four_digits() {
        #expect(SensitiveText.masked("来电 13800001234 反映") == "来电 138****1234 反映")
        #expect(SensitiveText.masked("phone=13912345678,") == "phone=139****5678,")
        #expect(SensitiveText.masked("+8613800001234") == "+86138****1234")
    }

    @Test func an_identity_card_number_keeps_its_first_six_and_last_four() {
        #expect(SensitiveText.masked("身份证110101199003071234。") == "身份证110101********1234。")
        #expect(SensitiveText.masked("id 44030419851231002X ok") == "id 440304********002X ok")
    }

    @Test func other_numbers_are_left_alone() {
        // A landline, a millisecond time, a 12-digit number, an 11-digit number not a mobile.
        for text in ["0715-86415678", "at 1796090400000", "n=123456789012", "12345678901", "mutation 42"] {
            #expect(SensitiveText.masked(text) == text)
        }
    }

    @Test func a_password_value_is_removed_to_the_end_of_its_line() {
        #expect(SensitiveText.masked("login duty1 password=demoduty client=c1\nnext") == "login duty1 password= [removed]\nnext")
        #expect(SensitiveText.masked(#"{"username":"duty1","password":"demoduty"}"#) == #"{"username":"duty1","password": [removed]"#)
        #expect(SensitiveText.masked("FENGHUO_PASSWORD: s3cret") == "FENGHUO_PASSWORD: [removed]")
        #expect(SensitiveText.masked("password_hash = pbkdf2$1000$abc") == "password_hash = [removed]")
        // Prose about passwords stays readable.
        #expect(SensitiveText.masked("unknown user or wrong password") == "unknown user or wrong password")
        #expect(SensitiveText.masked("no password was given; restart") == "no password was given; restart")
    }

    @Test func tokens_are_removed() {
        let token = "eyJ1c2VybmFtZSI6ImR1dHkxIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMzI"
        #expect(SensitiveText.masked("Authorization: Bearer \(token)") == "Authorization: Bearer [removed]")
        #expect(SensitiveText.masked("saved \(token) in token.json") == "saved [removed] in token.json")
        #expect(SensitiveText.masked(#"{"token":"abc.def","expiresAt":1}"#) == #"{"token":"[removed]","expiresAt":1}"#)
        #expect(SensitiveText.masked("token=abc&x=1") == "token=[removed]&x=1")
        // "token refused" is a sentence, not a value.
        #expect(SensitiveText.masked("token refused (expired); logging in again") == "token refused (expired); logging in again")
    }

    @Test func chinese_text_around_a_number_stays_whole() {
        let text = "市民张先生（电话13800001234）反映路灯不亮"
        let masked = SensitiveText.masked(text)
        #expect(masked == "市民张先生（电话138****1234）反映路灯不亮")
        #expect(masked.unicodeScalars.count == text.unicodeScalars.count)
    }
}
