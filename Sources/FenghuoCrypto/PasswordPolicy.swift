/// What a new password must be: long enough to resist guessing at the rate the login lock
/// allows, not the user's name, not one of the passwords every list of guesses starts with.
/// The demo accounts' passwords come from the fixtures and are exempt (they are published).
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 256

    /// The first guesses of any attack (and the demo's own passwords).
    static let common: Set<String> = [
        "123456789012", "password1234", "qwertyuiop12", "1q2w3e4r5t6y", "admin1234567", "iloveyou1234",
        "woaini1314520", "a123456789012", "p@ssw0rd1234", "demoduty", "demohotline", "demostaff", "demoleader",
    ]

    /// Why `password` is refused for `username`, each reason a sentence; empty when it is fine.
    public static func problems(_ password: String, username: String) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength { problems.append("it has \(password.count) characters; use at least \(minimumLength)") }
        if password.utf8.count > maximumLength { problems.append("it is longer than \(maximumLength) bytes") }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append("it contains a control character")
        }
        let lower = password.lowercased()
        if !username.isEmpty, lower.contains(username.lowercased()) { problems.append("it contains the user name") }
        if common.contains(lower) { problems.append("it is on every list of first guesses") }
        let classes = [password.contains(where: \.isLowercase), password.contains(where: \.isUppercase),
                       password.contains(where: \.isNumber), password.contains(where: { !$0.isLetter && !$0.isNumber })]
        // Twenty bytes: a phrase of Chinese characters (three bytes and far more choices each) passes.
        if password.utf8.count < 20, classes.filter({ $0 }).count < 3 {
            problems.append("mix at least three of lower case, upper case, digits and symbols (or use 20 characters or more)")
        }
        if Set(password).count < 5 { problems.append("it repeats too few different characters") }
        return problems
    }
}
