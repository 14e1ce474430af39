import FenghuoDomain
import FenghuoProtocol
import Foundation
import Testing

/// One JSON body of the protocol: how a valid one is drawn, and how its receiver reads it.
struct WireForm: Sendable, CustomTestStringConvertible {
    let name: String
    /// A valid document, and what reading it must give back (written with sorted keys).
    let sample: @Sendable (inout FuzzRandom) -> (wire: Data, expected: Data)
    /// Reads a document as the receiving side does and writes what it read, keys sorted; throws
    /// when the document is refused.
    let read: @Sendable (Data) throws -> Data

    var testDescription: String { name }

    static let canonical: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func decoded<T: Codable>(_ make: @escaping @Sendable (inout FuzzRandom) -> T) -> WireForm {
        WireForm(name: "\(T.self)", sample: { r in
            let value = make(&r)
            return (try! JSONEncoder().encode(value), try! canonical.encode(value))
        }, read: { data in try canonical.encode(JSONDecoder().decode(T.self, from: data)) })
    }

    /// Every body central, the agent and a console exchange; the agent's socket lines are read
    /// by `AgentRequestLine.read`, as the agent reads them.
    static let all: [WireForm] = [
        WireForm(name: "AgentRequestLine.read", sample: { r in
            let line = AgentRequestLine(r.agentRequest(), id: r.optional { $0.int64() })
            return (try! JSONEncoder().encode(line), try! canonical.encode(line))
        }, read: { data in try canonical.encode(AgentRequestLine.read(data)) }),
        decoded { AgentEventLine($0.agentEvent(), replyTo: $0.optional { $0.int64() }) },
        decoded { $0.changeRecord() },
        decoded { r in
            ChangesResponse(changes: (0..<r.int(0...4)).map { _ in r.changeRecord() }, cursor: r.cursor(),
                            lastMutationID: r.int64(), head: r.int64(), scope: r.text())
        },
        decoded { r in
            SnapshotPage(cursor: r.cursor(), lastMutationID: r.int64(), scope: r.text(), total: r.optional { $0.int(0...Int.max) },
                         tables: (0..<r.int(0...3)).map { _ in r.table(typed: r.chance(0.9)) }, next: r.optional { $0.text() })
        },
        decoded { $0.wireRecord() },
        decoded { r in
            LoginRequest(username: r.text(limit: 70), password: r.text(limit: 300), clientID: r.text(limit: 70),
                         protocolVersion: r.optional { $0.int(Int.min...Int.max) })
        },
        decoded { r in PushRequest(commands: (0..<r.length(typical: 3, limit: 30)).map { _ in r.envelope() }) },
        decoded { r in
            PushResponse(results: (0..<r.int(0...4)).map { _ in
                PushResult(mutationID: r.int64(), status: r.pick([.applied, .rejected, .duplicate]), reason: r.optional { $0.rejection() })
            })
        },
        decoded { r in ErrorBody(error: .init(code: r.pick(ErrorCode.allCases), message: r.text(), expected: r.optional { $0.int64() })) },
        decoded { $0.rejection() },
        decoded { $0.cursor() },
        decoded { $0.validCommand() },
    ]
}

/// The wire decoders on valid, mutated and random documents: what is valid comes back as it
/// was sent; anything else is refused with the decoder's typed error (never a crash, a hang or
/// a stray error type); and whatever is accepted reads back the same when written again.
@Suite("Fuzz: wire decoding")
struct WireDecodingFuzzTests {
    /// The errors a receiver is prepared for.
    static func isTyped(_ error: any Error) -> Bool {
        error is DecodingError || error is AgentRequestLine.Problem
    }

    /// Reads a hostile document: refused with a typed error, or accepted as something that
    /// reads back the same when written out again.
    static func survives(_ form: WireForm, _ data: Data, _ how: String) throws(Falsified) {
        let first: Data
        do {
            first = try form.read(data)
        } catch {
            try require(isTyped(error), "\(how) was refused with \(type(of: error)): \(error); input: \(data.bytes.shown)")
            return
        }
        let again: Data
        do {
            again = try form.read(first)
        } catch {
            throw Falsified(description: "\(how) was accepted, but what it read is refused when written out (\(error)); input: \(data.bytes.shown); read: \(first.bytes.shown)")
        }
        try require(again == first, "\(how) reads differently the second time; input: \(data.bytes.shown); first: \(first.bytes.shown); second: \(again.bytes.shown)")
    }

    @Test("A valid document reads back as the value that was written", arguments: WireForm.all)
    func roundTrip(_ form: WireForm) {
        let check = checkProperty("roundTrip \(form.name)") { r in
            let (wire, expected) = form.sample(&r)
            let read: Data
            do { read = try form.read(wire) } catch {
                throw Falsified(description: "a valid document was refused: \(error); document: \(wire.bytes.shown)")
            }
            try require(read == expected, "the document does not read back as written; document: \(wire.bytes.shown); read: \(read.bytes.shown)")
        }
        #expect(check.held, "\(check)")
    }

    @Test("A valid document with bytes flipped, cut, repeated, spliced or made invalid UTF-8 is refused or read consistently",
          arguments: WireForm.all)
    func byteMutations(_ form: WireForm) {
        let check = checkProperty("byteMutations \(form.name)", share: 0.5) { r in
            let wire = form.sample(&r).wire
            let other = form.sample(&r).wire
            try Self.survives(form, Data(r.mutate(wire.bytes, other: other.bytes)), "a mutated document")
        }
        #expect(check.held, "\(check)")
    }

    @Test("A valid document with a value of the wrong type, a huge number, a long string or a deep nest is refused or read consistently",
          arguments: WireForm.all)
    func structuralMutations(_ form: WireForm) {
        let check = checkProperty("structuralMutations \(form.name)", share: 0.5) { r in
            let wire = form.sample(&r).wire
            guard var doc = JSONValue(parsing: wire) else {
                throw Falsified(description: "the fuzzer's own JSON reader cannot read \(wire.bytes.shown)")
            }
            for _ in 0..<r.int(1...3) { doc = r.mutate(doc) }
            try Self.survives(form, doc.data, "an edited document")
        }
        #expect(check.held, "\(check)")
    }

    @Test("Random bytes and random JSON are refused or read consistently", arguments: WireForm.all)
    func randomInput(_ form: WireForm) {
        let check = checkProperty("randomInput \(form.name)") { r in
            let data = r.chance(0.3) ? Data(r.bytes()) : r.json(depth: 4).data
            try Self.survives(form, data, "a random input")
        }
        #expect(check.held, "\(check)")
    }

    @Test("A record as central writes it (jsonText) reads back as the record, as JSONEncoder's form does")
    func wireRecordText() {
        let check = checkProperty("wireRecordText") { r in
            let record = r.wireRecord()
            let text = record.jsonText()
            let read: WireRecord
            do { read = try JSONDecoder().decode(WireRecord.self, from: Data(text.utf8)) } catch {
                throw Falsified(description: "central's record text is refused: \(error); text: \(text.shown)")
            }
            try require(read == record, "central's record text reads back as another record; text: \(text.shown)")
            try require(JSONValue(parsing: Data(text.utf8)) != nil, "central's record text is not JSON: \(text.shown)")
        }
        #expect(check.held, "\(check)")
    }

    @Test("A record built from rows whose column holds values of several kinds reads back as those rows")
    func mixedKindColumns() {
        let check = checkProperty("mixedKindColumns") { r in
            let columns = ["a", "b", "c"].prefix(r.int(1...3))
            let rows: [[String: SQLValue]] = (0..<r.int(1...4)).map { _ in
                Dictionary(uniqueKeysWithValues: columns.map { ($0, r.sqlValue(kind: r.pick(["i", "t", "g"]))) })
            }
            let record = WireRecord(table: "t", row: rows[0])
            let many = WireRecord(rows: [("t", rows)])
            for built in [record, many] {
                let text = built.jsonText()
                let read: WireRecord
                do { read = try JSONDecoder().decode(WireRecord.self, from: Data(text.utf8)) } catch {
                    throw Falsified(description: "a record built from rows is refused by its own decoder: \(error); text: \(text.shown)")
                }
                try require(read.rows("t") == built.rows("t"), "a record built from rows reads back as other rows; text: \(text.shown)")
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("A typed table row holding more or fewer values than its columns is refused, never cut or padded")
    func rowLengthIsChecked() {
        let check = checkProperty("rowLengthIsChecked") { r in
            var table = r.table(typed: true)
            guard !table.rows.isEmpty else { return }
            var rows = table.rows
            let i = r.int(0...(rows.count - 1))
            if r.chance(0.5) || rows[i].isEmpty { rows[i].append(r.sqlValue(kind: "i")) } else { rows[i].removeLast() }
            table = SnapshotPage.Table(name: table.name, columns: table.columns, types: table.types, rows: rows)
            let text = WireRecord(tables: [table]).jsonText()
            let read = try? JSONDecoder().decode(WireRecord.self, from: Data(text.utf8))
            try require(read == nil, "a row of \(rows[i].count) values under \(table.columns.count) columns was read as \(read?.tables.first?.rows[i].count ?? 0) values; text: \(text.shown)")
        }
        #expect(check.held, "\(check)")
    }

    @Test("Whatever the agent's socket reads as a request, the Codable form reads the same")
    func requestReadersAgree() {
        let check = checkProperty("requestReadersAgree") { r in
            let line = AgentRequestLine(r.agentRequest(), id: r.optional { $0.int64() })
            var doc = JSONValue(parsing: try! JSONEncoder().encode(line))!
            if r.chance(0.8) { doc = r.mutate(doc, keys: ["op", "id", "command", "baseVersion", "wait", "mutationID", "name", "args"]) }
            guard let read = try? AgentRequestLine.read(doc.data) else { return }
            let decoded = try? JSONDecoder().decode(AgentRequestLine.self, from: doc.data)
            try require(decoded?.request == read.request && decoded?.id == read.id,
                        "read gives \(read.request) #\(read.id.map(String.init) ?? "-"), Codable gives \(decoded.map { "\($0.request)" } ?? "an error"); line: \(doc.text.shown)")
        }
        #expect(check.held, "\(check)")
    }

    @Test("A cursor's text parses back to the cursor; any other text is not a cursor")
    func feedCursorText() {
        let check = checkProperty("feedCursorText") { r in
            let cursor = r.cursor()
            try require(FeedCursor(cursor.description) == cursor, "\(cursor.description.shown) does not parse back")
            let text = r.chance(0.5) ? r.text(limit: 24) : String(r.mutate(Array(cursor.description.utf8)).map { Character(Unicode.Scalar($0)) })
            guard let parsed = FeedCursor(text) else { return }
            try require(!parsed.epoch.isEmpty && parsed.seq >= 0 && !parsed.epoch.contains(":"),
                        "\(text.shown) parses as epoch \(parsed.epoch.shown), seq \(parsed.seq)")
            try require(FeedCursor(parsed.description) == parsed, "\(text.shown) parses, but its text \(parsed.description.shown) does not")
        }
        #expect(check.held, "\(check)")
    }
}
