import FenghuoStore
import Foundation
import GRDB

extension SQLiteCentralStorage {
    /// Binds `clientID` to `username` and lets its next command carry whatever mutation id its
    /// queue has reached, as every client may after a restore (`beginNewHistory`): for a
    /// console that kept its queue across a store made anew (`fenghuo demo` seeds central
    /// again each run). Without it the store would expect mutation 1 from a console it never
    /// saw, and the queue would first be filled with stand-ins refused as withdrawn.
    public func resumeClient(_ clientID: String, of username: String) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO client_state(client_id, username, last_mutation_id, resync) VALUES (?, ?, 0, 1)
                ON CONFLICT(client_id) DO UPDATE SET resync = 1
                """, arguments: [clientID, username])
        }
    }
}
