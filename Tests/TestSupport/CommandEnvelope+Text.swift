import FenghuoDomain

extension CommandEnvelope {
    /// A command with text arguments, as v1 agents send them (lists comma-joined, yes/no as
    /// text): central must keep reading this form.
    public init(clientID: String, mutationID: Int64, name: String, args: [String: String], baseVersion: Int? = nil) {
        self.init(clientID: clientID, mutationID: mutationID, name: name, args: args.mapValues { .text($0) },
                  baseVersion: baseVersion)
    }
}
