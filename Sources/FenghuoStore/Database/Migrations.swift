import GRDB

extension AppDatabase {
    /// Migrations never change once shipped; new needs get new migrations.
    /// The schema every database shares: reference data and the operational records.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-reference") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: "district") { t in
                t.primaryKey("code", .text)
                t.column("name", .text).notNull()
                t.column("name_en", .text).notNull()
                t.column("lat", .double).notNull()
                t.column("lon", .double).notNull()
                t.column("population", .integer).notNull()
            }
            try db.create(table: "department") { t in
                t.primaryKey("code", .text)
                t.column("name", .text).notNull()
                t.column("short", .text).notNull()
                t.column("name_en", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("phone", .text).notNull()
            }
            try db.create(table: "app_user") { t in
                t.primaryKey("username", .text)
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.column("department", .text).notNull().references("department")
                t.column("password_hash", .text).notNull()
            }
            try db.create(table: "incident_type") { t in
                t.primaryKey("code", .text)
                t.column("agency", .text).notNull()
                t.column("name", .text).notNull()
                t.column("name_en", .text).notNull()
                t.column("priority", .integer).notNull()
            }
            try db.create(table: "ticket_category") { t in
                t.primaryKey("code", .text)
                t.column("name", .text).notNull()
                t.column("name_en", .text).notNull()
                t.column("department", .text).notNull().references("department")
                t.column("sla", .text).notNull()
            }
            try db.create(table: "approval_item") { t in
                t.primaryKey("code", .text)
                t.column("name", .text).notNull()
                t.column("type", .text).notNull()
                t.column("days", .integer).notNull()
                t.column("lead", .text).notNull().references("department")
                t.column("cosign", .text).notNull()
            }
            try db.create(table: "calendar_year") { t in
                t.primaryKey("year", .integer)
            }
            try db.create(table: "calendar_day") { t in
                t.primaryKey("date", .text)
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
            }
            try db.create(table: "kb_article") { t in
                t.primaryKey("id", .text)
                t.column("category", .text).notNull()
                t.column("department", .text).notNull()
                t.column("title", .text).notNull()
                t.column("body", .text).notNull()
            }
            try db.create(index: "kb_by_category", on: "kb_article", columns: ["category"])
            try db.create(virtualTable: "kb_fts", using: FTS5()) { t in
                t.synchronize(withTable: "kb_article")
                t.tokenizer = FTS5TokenizerDescriptor(components: ["trigram"])
                t.column("title")
                t.column("body")
            }
        }
        migrator.registerMigration("v1-operations") { db in
            try db.create(table: "unit") { t in
                t.primaryKey("id", .text)
                t.column("agency", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
                t.column("district", .text).notNull()
                t.column("station", .text).notNull()
                t.column("lat", .double).notNull()
                t.column("lon", .double).notNull()
                t.column("status", .text).notNull()
                t.column("incident_id", .text)
                t.column("status_changed_at", .integer).notNull()
                t.column("version", .integer).notNull()
            }
            try db.create(index: "unit_board", on: "unit", columns: ["agency", "id"])

            try db.create(table: "incident") { t in
                t.primaryKey("id", .text)
                t.column("agency", .text).notNull()
                t.column("type_code", .text).notNull()
                t.column("priority", .integer).notNull()
                t.column("district", .text).notNull()
                t.column("address", .text).notNull()
                t.column("lat", .double).notNull()
                t.column("lon", .double).notNull()
                t.column("caller_name", .text).notNull()
                t.column("caller_phone", .text).notNull()
                t.column("narrative", .text).notNull()
                t.column("confidential", .boolean).notNull()
                t.column("status", .text).notNull()
                t.column("is_open", .boolean).notNull()
                t.column("unit_ids", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("status_changed_at", .integer).notNull()
                t.column("version", .integer).notNull()
            }
            // The queue pages by (priority, created_at, id) among open rows: one index seek a page.
            try db.create(index: "incident_queue", on: "incident", columns: ["is_open", "priority", "created_at", "id"])
            try db.create(index: "incident_created", on: "incident", columns: ["created_at"])
            try db.create(virtualTable: "incident_fts", using: FTS5()) { t in
                t.synchronize(withTable: "incident")
                t.tokenizer = FTS5TokenizerDescriptor(components: ["trigram"])
                t.column("id")
                t.column("address")
                t.column("narrative")
            }

            try db.create(table: "ticket") { t in
                t.primaryKey("id", .text)
                t.column("category", .text).notNull()
                t.column("district", .text).notNull()
                t.column("address", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("caller_name", .text).notNull()
                t.column("caller_phone", .text).notNull()
                t.column("department", .text)
                t.column("status", .text).notNull()
                t.column("is_open", .boolean).notNull()
                t.column("reply", .text)
                t.column("satisfied", .boolean)
                t.column("created_at", .integer).notNull()
                t.column("deadline_at", .integer).notNull()
                t.column("deadline_provisional", .boolean).notNull()
                t.column("updated_at", .integer).notNull()
                t.column("version", .integer).notNull()
            }
            try db.create(index: "ticket_queue", on: "ticket", columns: ["is_open", "deadline_at", "id"])
            try db.create(index: "ticket_created", on: "ticket", columns: ["created_at"])
            try db.create(index: "ticket_closed", on: "ticket", columns: ["status", "updated_at"])
            try db.create(virtualTable: "ticket_fts", using: FTS5()) { t in
                t.synchronize(withTable: "ticket")
                t.tokenizer = FTS5TokenizerDescriptor(components: ["trigram"])
                t.column("id")
                t.column("summary")
                t.column("address")
                t.column("detail")
            }

            try db.create(table: "approval_case") { t in
                t.primaryKey("id", .text)
                t.column("item_code", .text).notNull()
                t.column("item_name", .text).notNull()
                t.column("type", .text).notNull()
                t.column("applicant", .text).notNull()
                t.column("applicant_phone", .text).notNull()
                t.column("status", .text).notNull()
                t.column("is_open", .boolean).notNull()
                t.column("accepted_on", .integer).notNull()   // local day number
                t.column("deadline", .integer).notNull()      // local day number
                t.column("deadline_provisional", .boolean).notNull()
                t.column("completed_on", .integer)
                t.column("updated_at", .integer).notNull()
                t.column("version", .integer).notNull()
            }
            try db.create(index: "approval_queue", on: "approval_case", columns: ["is_open", "deadline", "id"])
            try db.create(index: "approval_completed", on: "approval_case", columns: ["completed_on"])
            try db.create(virtualTable: "approval_fts", using: FTS5()) { t in
                t.synchronize(withTable: "approval_case")
                t.tokenizer = FTS5TokenizerDescriptor(components: ["trigram"])
                t.column("id")
                t.column("item_name")
                t.column("applicant")
            }
            try db.create(table: "approval_step") { t in
                t.column("case_id", .text).notNull().references("approval_case", onDelete: .cascade)
                t.column("department", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("state", .text).notNull()
                t.column("opinion", .text)
                t.column("decided_at", .integer)
                t.primaryKey(["case_id", "department"])
            }
            try db.create(index: "approval_step_by_department", on: "approval_step", columns: ["department", "state"])
        }
        migrator.registerMigration("v2-dashboard-indexes") { db in
            // The leaders' figures read only these columns: each one an index-only range scan.
            try db.create(index: "incident_created_agency", on: "incident", columns: ["created_at", "agency"])
            try db.drop(index: "incident_created")
            try db.create(index: "ticket_department_open", on: "ticket", columns: ["department", "is_open", "deadline_at"])
            try db.create(index: "approval_completed_on_time", on: "approval_case",
                          columns: ["completed_on", "status", "deadline"])
            try db.drop(index: "approval_completed")
        }
        migrator.registerMigration("v3-dashboard-agency-index") { db in
            // Today's incidents by agency: one range seek an agency instead of a sort of the day.
            try db.create(index: "incident_agency_created", on: "incident", columns: ["agency", "created_at"])
        }
        migrator.registerMigration("v4-search-follows-text-changes") { db in
            try SearchIndex.reindexOnlyChangedText(db)
        }
        migrator.registerMigration("v5-dispatch-reference") { db in
            // The city's roads (the base of every ETA) and the run cards (出动方案).
            try db.create(table: "road_node") { t in
                t.primaryKey("id", .text)
                t.column("lat", .double).notNull()
                t.column("lon", .double).notNull()
            }
            try db.create(table: "road_edge") { t in
                t.primaryKey("seq", .integer)
                t.column("from_node", .text).notNull().references("road_node")
                t.column("to_node", .text).notNull().references("road_node")
                t.column("length_m", .double).notNull()
                t.column("speed_kmh", .double).notNull()
                t.column("oneway", .integer).notNull()
                t.column("name", .text).notNull()
            }
            try db.create(table: "run_card") { t in
                t.column("incident_type", .text).notNull().references("incident_type")
                t.column("priority", .integer).notNull()  // 0: any
                t.column("district", .text).notNull()     // '': any
                t.column("kind", .text).notNull()
                t.column("count", .integer).notNull()
                t.primaryKey(["incident_type", "priority", "district", "kind"])
            }
        }
        migrator.registerMigration("v6-incident-timeline") { db in
            // Every step of an incident, stamped with time and user, travels with the incident
            // (JSON, oldest first); older rows begin with an empty timeline.
            try db.alter(table: "incident") { t in
                t.add(column: "timeline", .text).notNull().defaults(to: "[]")
            }
            // 处置结果: the codes an incident is resolved or cancelled with.
            try db.create(table: "disposition") { t in
                t.primaryKey("code", .text)
                t.column("use", .text).notNull()
                t.column("agencies", .text).notNull()  // comma-separated; '' = every desk
                t.column("name", .text).notNull()
                t.column("name_en", .text).notNull()
            }
        }
        migrator.registerMigration("v7-response-targets") { db in
            // 各环节时限: the seconds each step of an incident may take, per priority.
            try db.create(table: "response_target") { t in
                t.column("priority", .integer).notNull()
                t.column("step", .text).notNull()
                t.column("seconds", .integer).notNull()
                t.primaryKey(["priority", "step"])
            }
        }
        migrator.registerMigration("v8-intake-reference") { db in
            // The gazetteer the intake form searches, the premises' warnings, the duplicate windows.
            try db.create(table: "street") { t in
                t.column("district", .text).notNull().references("district")
                t.column("name", .text).notNull()
                t.primaryKey(["district", "name"])
            }
            try db.create(table: "landmark") { t in
                t.primaryKey("name", .text)
                t.column("district", .text).notNull().references("district")
                t.column("kind", .text).notNull()
                t.column("lat", .double).notNull()
                t.column("lon", .double).notNull()
            }
            try db.create(table: "premise") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("address", .text).notNull()
                t.column("district", .text).notNull().references("district")
                t.column("kind", .text).notNull()
                t.column("warning", .text).notNull()
            }
            try db.create(table: "duplicate_rule") { t in
                t.primaryKey("incident_type", .text).references("incident_type")
                t.column("radius_m", .integer).notNull()
                t.column("window_min", .integer).notNull()
                t.column("compatible", .text).notNull()  // type codes joined by ',', '' for none
            }
            // A known caller: their earlier calls, newest first, by one index range each.
            try db.create(index: "incident_caller_phone", on: "incident", columns: ["caller_phone", "created_at"])
            try db.create(index: "ticket_caller_phone", on: "ticket", columns: ["caller_phone", "created_at"])
        }
        migrator.registerMigration("v9-plans-and-links") { db in
            // 预案: each incident type's checklist; `*` rows give each agency's linked part its default type.
            try db.create(table: "plan_item") { t in
                t.column("type", .text).notNull()  // an incident type, or '*'
                t.column("seq", .integer).notNull()
                t.column("action", .text).notNull()  // check | report | link:AGENCY[:TYPE]
                t.column("text", .text).notNull()
                t.column("text_en", .text).notNull()
                t.primaryKey(["type", "seq"])
            }
            // A ticket escalated to an incident, or made from one handed to 12345: the other record.
            try db.alter(table: "ticket") { t in
                t.add(column: "incident_link", .text)
            }
        }
        migrator.registerMigration("v10-unit-movement") { db in
            // Units report where they are while they drive: the status's own version (a position
            // report moves `version` on, which must not make a status report stale), when the
            // position was last reported, and where the current trip began.
            try db.alter(table: "unit") { t in
                t.add(column: "status_version", .integer).notNull().defaults(to: 0)
                t.add(column: "moved_at", .integer)
                t.add(column: "trip_lat", .double)
                t.add(column: "trip_lon", .double)
            }
            try db.execute(sql: "UPDATE unit SET status_version = version")
        }
        migrator.registerMigration("v11-ticket-timeline") { db in
            // Every step and note of a ticket, oldest first, as JSON (as an incident's timeline).
            try db.alter(table: "ticket") { t in
                t.add(column: "timeline", .text).notNull().defaults(to: "[]")
            }
        }
        return migrator
    }
}
