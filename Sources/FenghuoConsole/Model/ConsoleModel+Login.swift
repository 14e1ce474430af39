import FenghuoProtocol
import FenghuoTUI
import Foundation

/// Logging in again from the console: when the agent's state says central refused the password
/// (or the token expired with no password to renew it), `P` opens a prompt whose input is not
/// shown, and the password goes to the agent (`ConsoleEffect.login`), which tries it once.
extension ConsoleModel {
    /// The agent waits for a password: `P` is offered on the hint bar and opens the prompt.
    var wantsPassword: Bool { agentConnected && agentReachable && (sync?.connection.needsPassword ?? false) }

    mutating func openPasswordPrompt() -> [ConsoleEffect] {
        flash = nil
        mode = .password(TextInput())
        return []
    }

    /// Keys while the prompt is open: every key edits the hidden text; Enter sends it, Esc drops it.
    mutating func handlePassword(_ key: Key, _ input: TextInput) -> [ConsoleEffect] {
        var input = input
        switch input.handle(key) {
        case .submitted:
            mode = .normal
            guard !input.text.isEmpty else { return [] }
            show(context.strings.loginSent, error: false)
            return [.login(password: input.text)]
        case .cancelled:
            mode = .normal
            return []
        default:
            mode = .password(input)
            return []
        }
    }

    /// Says how to log in again when the state turns to one that wants a password.
    mutating func noteConnection(from before: ConnectionState?) {
        guard let now = sync?.connection, now.needsPassword, before != now else { return }
        flash = (context.strings.passwordWanted(now, key: keyMap.login.label), true, context.now.addingTimeInterval(20))
    }

    mutating func answerLogin(_ state: ConnectionState?) {
        let answer = context.strings.loginAnswer(state, key: keyMap.login.label)
        flash = (answer.text, answer.isError, context.now.addingTimeInterval(answer.isError ? 20 : 6))
    }
}
