import FenghuoDomain
import FenghuoStore
import GRDB
import Testing
import TestSupport

/// A first sync suspends the full-text indexes and builds them once at the end; searches stay
/// right in between (LIKE), and the rebuilt index keeps up with later writes.
@Suite("Search index suspended during a first sync")
struct SearchIndexTests {
    func ids(_ db: AppDatabase, _ filter: String) throws -> [String] {
        try db.reader.incidents(PageRequest(limit: 10_000, filter: filter)).rows.map(\.id)
    }

    @Test func searches_give_the_same_rows_while_suspended_and_after_the_rebuild() throws {
        let db = try DemoCity.freshDatabase()
        let phrase = try #require(try db.writer.read { db in
            try String.fetchOne(db, sql: "SELECT substr(narrative, 1, 4) FROM incident WHERE is_open = 1 LIMIT 1")
        })
        let before = try ids(db, phrase)
        #expect(!before.isEmpty)
        try db.writer.write { try SearchIndex.suspend($0) }
        #expect(try db.writer.read { try SearchIndex.isReady($0) } == false)
        let triggers = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%incident_fts%'") }
        #expect(triggers == 0)
        // While suspended the index is empty, and the filter still finds the same rows.
        #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident_fts WHERE incident_fts MATCH ?", arguments: ["\"" + phrase + "\""]) } == 0)
        #expect(try ids(db, phrase) == before)
        // A row written meanwhile is found after the rebuild, and one written after it too.
        try db.writer.write { db in
            try db.execute(sql: "UPDATE incident SET narrative = narrative || '（暂停期间补记）' WHERE id = ?", arguments: [before[0]])
            try SearchIndex.resume(db)
        }
        #expect(try db.writer.read { try SearchIndex.isReady($0) })
        #expect(try ids(db, "暂停期间补记") == [before[0]])
        try db.writer.write { db in
            try db.execute(sql: "UPDATE incident SET narrative = '重建之后的改动' WHERE id = ?", arguments: [before[0]])
        }
        #expect(try ids(db, "重建之后的改动") == [before[0]])
        #expect(try ids(db, "暂停期间补记").isEmpty)
        try db.writer.write { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            try db.execute(sql: "INSERT INTO incident_fts(incident_fts) VALUES ('integrity-check')")
        }
    }

    @Test func a_status_change_leaves_the_index_alone_and_a_text_change_reindexes_the_row() throws {
        let db = try DemoCity.freshDatabase()
        let id = try #require(try db.writer.read { try String.fetchOne($0, sql: "SELECT id FROM incident WHERE is_open = 1 LIMIT 1") })
        func segments() throws -> Int { try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident_fts_data") ?? 0 } }
        let before = try segments()
        // A change of status only (as dispatch, arrival and closing are) writes nothing to the index.
        try db.writer.write { db in
            try db.execute(sql: "UPDATE incident SET status = 'dispatched', version = version + 1 WHERE id = ?", arguments: [id])
        }
        #expect(try segments() == before)
        // A change of narrative replaces the row's entry: the new text is found, the old is not.
        try db.writer.write { db in
            try db.execute(sql: "UPDATE incident SET narrative = '改派后的新情况说明', version = version + 1 WHERE id = ?", arguments: [id])
        }
        #expect(try segments() > before)
        #expect(try ids(db, "改派后的新情况") == [id])
        try db.writer.write { db in
            try db.execute(sql: "INSERT INTO incident_fts(incident_fts) VALUES ('integrity-check')")
        }
        // Suspending and resuming keeps the narrower trigger.
        try db.writer.write { try SearchIndex.suspend($0) }
        try db.writer.write { try SearchIndex.resume($0) }
        let trigger = try db.writer.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = '__incident_fts_au'") }
        #expect(trigger?.contains("WHEN") == true)
    }
}
