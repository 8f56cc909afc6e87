//! Schema migrations. Append new ones; never edit a released one.

use rusqlite_migration::{Migrations, M};

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            r#"
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

        -- The event log: the only source of truth. `seq` is local arrival order.
        CREATE TABLE events (
            seq       INTEGER PRIMARY KEY,
            id        TEXT NOT NULL UNIQUE,
            ticket_id TEXT NOT NULL,
            hlc       INTEGER NOT NULL,
            device    TEXT NOT NULL,
            actor     TEXT NOT NULL,
            type      TEXT NOT NULL,
            event     TEXT NOT NULL
        ) STRICT;
        CREATE INDEX events_by_ticket ON events(ticket_id, hlc, device, id);

        -- Reference data of the street (not event-sourced: edited rarely, by administrators).
        CREATE TABLE communities (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            grid_count INTEGER NOT NULL,
            position   INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE departments (
            id      TEXT PRIMARY KEY,
            name    TEXT NOT NULL,
            kind    TEXT NOT NULL,
            phone   TEXT NOT NULL,
            liaison TEXT NOT NULL
        ) STRICT;

        -- Projection of tickets: a cache of fold(events), rebuilt at will.
        CREATE TABLE tickets (
            id           TEXT PRIMARY KEY,
            hotline_no   TEXT,
            kind         TEXT NOT NULL,
            source       TEXT NOT NULL,
            category     TEXT NOT NULL,
            content      TEXT NOT NULL,
            address      TEXT NOT NULL,
            community_id TEXT NOT NULL,
            caller_name  TEXT NOT NULL,
            caller_phone TEXT NOT NULL,
            received_ms  INTEGER NOT NULL,
            status       TEXT NOT NULL,
            assignee     TEXT,
            reply        TEXT,
            callback     TEXT,
            created_hlc  INTEGER NOT NULL,
            updated_hlc  INTEGER NOT NULL,
            conflicts    INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX tickets_received ON tickets(received_ms DESC, id DESC);
        CREATE INDEX tickets_status ON tickets(status, received_ms DESC, id DESC);
        CREATE INDEX tickets_community ON tickets(community_id, received_ms DESC, id DESC);
        CREATE INDEX tickets_hotline_no ON tickets(hotline_no) WHERE hotline_no IS NOT NULL;

        -- Who revealed which caller's personal data, and when (audit; append-only).
        CREATE TABLE pii_reveals (
            id        INTEGER PRIMARY KEY,
            ticket_id TEXT NOT NULL,
            actor     TEXT NOT NULL,
            device    TEXT NOT NULL,
            at_ms     INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX pii_reveals_by_ticket ON pii_reveals(ticket_id);
        "#,
        ),
        M::up(
            r#"
        -- Deadlines: every ticket's due instant, computed from policies and the calendar when
        -- its projection row is refreshed; recomputed for all when either changes.
        ALTER TABLE tickets ADD COLUMN urgency TEXT NOT NULL DEFAULT 'general';
        ALTER TABLE tickets ADD COLUMN due_ms INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX tickets_due ON tickets(due_ms, id);

        -- Street settings (time-limit policies, …) as JSON values.
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        -- Holiday notices entered by officers, one row a year (2025 and 2026 are built in).
        CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, schedule TEXT NOT NULL) STRICT;
        "#,
        ),
        M::up(
            r#"
        -- Trigram index for search; rowid = the tickets projection's rowid. Contentless: the
        -- text lives in `tickets`; the index only answers which rows match.
        CREATE VIRTUAL TABLE tickets_fts USING fts5(
            content, address, reply, hotline_no,
            tokenize = 'trigram', content = '', contentless_delete = 1
        );
        "#,
        ),
        M::up(
            r#"
        -- Backlog filters: grid, supervision, tags; and the warning colour as plain columns
        -- (NULL once the clock stops) so that "overdue" and "due soon" are index range scans.
        ALTER TABLE tickets ADD COLUMN grid TEXT;
        ALTER TABLE tickets ADD COLUMN supervised INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tickets ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE tickets ADD COLUMN open_due_ms INTEGER;
        ALTER TABLE tickets ADD COLUMN open_yellow_ms INTEGER;
        CREATE INDEX tickets_open_due ON tickets(open_due_ms) WHERE open_due_ms IS NOT NULL;
        CREATE INDEX tickets_updated ON tickets(updated_hlc, id);
        CREATE INDEX tickets_category ON tickets(category, received_ms, id);
        CREATE INDEX tickets_assignee ON tickets(assignee, received_ms, id)
            WHERE assignee IS NOT NULL;
        CREATE INDEX tickets_grid ON tickets(grid, received_ms, id) WHERE grid IS NOT NULL;
        CREATE INDEX tickets_supervised ON tickets(received_ms, id) WHERE supervised = 1;
        -- One row per tag on a ticket; `ticket` is the projection's rowid.
        CREATE TABLE ticket_tags (
            tag    TEXT NOT NULL,
            ticket INTEGER NOT NULL,
            PRIMARY KEY (tag, ticket)
        ) STRICT, WITHOUT ROWID;
        "#,
        ),
        M::up(
            r#"
        -- A slimmer log: the envelope's fields live in their columns only, `event` keeps the
        -- body, and the by-ticket index no longer repeats the fold order (the fold sorts).
        ALTER TABLE events ADD COLUMN heads TEXT NOT NULL DEFAULT '[]';
        UPDATE events SET heads = json_extract(event, '$.heads'),
                          event = json_extract(event, '$.body');
        DROP INDEX events_by_ticket;
        CREATE INDEX events_by_ticket ON events(ticket_id);
        "#,
        ),
        M::up(
            r#"
        -- The projection keyed for a million tickets. `pos` = received_ms * 1024 + n is the
        -- received order itself, so "newest first" needs no index and every single-column index
        -- below is already in received order within a value (its entries end with `pos`). It is
        -- also the key of the search and tag indexes, so an explicit column keeps it stable.
        -- Projections are caches: dropped here, rebuilt from the log on open.
        DROP TABLE tickets;
        DROP TABLE tickets_fts;
        DROP TABLE ticket_tags;
        CREATE TABLE tickets (
            pos            INTEGER PRIMARY KEY,
            id             TEXT NOT NULL UNIQUE,
            hotline_no     TEXT,
            kind           TEXT NOT NULL,
            source         TEXT NOT NULL,
            category       TEXT NOT NULL,
            -- The category's first level, and its first two levels (三级分类), for filters.
            category1      TEXT NOT NULL,
            category2      TEXT NOT NULL,
            content        TEXT NOT NULL,
            address        TEXT NOT NULL,
            community_id   TEXT NOT NULL,
            grid           TEXT,
            caller_name    TEXT NOT NULL,
            caller_phone   TEXT NOT NULL,
            received_ms    INTEGER NOT NULL,
            status         TEXT NOT NULL,
            assignee       TEXT,
            reply          TEXT,
            callback       TEXT,
            created_hlc    INTEGER NOT NULL,
            updated_hlc    INTEGER NOT NULL,
            conflicts      INTEGER NOT NULL,
            urgency        TEXT NOT NULL,
            due_ms         INTEGER NOT NULL,
            -- What the deadline was computed from besides the rules: the deadline printed on
            -- the dispatched ticket and a granted extension (Unix ms), if any.
            printed_ms     INTEGER,
            extended_ms    INTEGER,
            supervised     INTEGER NOT NULL,
            tags           TEXT NOT NULL,
            -- The deadline and the start of yellow while the clock runs; NULL once it stops.
            open_due_ms    INTEGER,
            open_yellow_ms INTEGER
        ) STRICT;
        CREATE INDEX tickets_status ON tickets(status);
        CREATE INDEX tickets_community ON tickets(community_id);
        CREATE INDEX tickets_category1 ON tickets(category1);
        CREATE INDEX tickets_category2 ON tickets(category2);
        CREATE INDEX tickets_grid ON tickets(grid) WHERE grid IS NOT NULL;
        CREATE INDEX tickets_assignee ON tickets(assignee) WHERE assignee IS NOT NULL;
        CREATE INDEX tickets_supervised ON tickets(supervised) WHERE supervised = 1;
        CREATE INDEX tickets_due ON tickets(due_ms);
        CREATE INDEX tickets_updated ON tickets(updated_hlc);
        CREATE INDEX tickets_open_due ON tickets(open_due_ms) WHERE open_due_ms IS NOT NULL;
        CREATE INDEX tickets_hotline_no ON tickets(hotline_no) WHERE hotline_no IS NOT NULL;
        -- Search: one- and two-character grams of the searchable text (see search.rs).
        CREATE VIRTUAL TABLE ticket_grams USING fts5(
            grams, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none'
        );
        -- Bulk writes: buffer more terms before flushing a segment, and merge less eagerly.
        INSERT INTO ticket_grams(ticket_grams, rank) VALUES ('hashsize', 67108864);
        INSERT INTO ticket_grams(ticket_grams, rank) VALUES ('automerge', 16);
        CREATE TABLE ticket_tags (
            tag    TEXT NOT NULL,
            ticket INTEGER NOT NULL,
            PRIMARY KEY (tag, ticket)
        ) STRICT, WITHOUT ROWID;
        "#,
        ),
        M::up(
            r#"
        -- The grams arrive already split, lower-cased and made of letters and digits only, so the
        -- ASCII tokenizer (every non-ASCII character is part of a token) reads them as written,
        -- at a fraction of unicode61's cost. The new projection version refills the index.
        DROP TABLE ticket_grams;
        CREATE VIRTUAL TABLE ticket_grams USING fts5(
            grams, tokenize = 'ascii', content = '', contentless_delete = 1, detail = 'none'
        );
        INSERT INTO ticket_grams(ticket_grams, rank) VALUES ('hashsize', 67108864);
        INSERT INTO ticket_grams(ticket_grams, rank) VALUES ('automerge', 16);
        "#,
        ),
        M::up(
            r#"
        -- Whistles (吹哨报到): their own event log, like tickets', and projections rebuilt
        -- from it. `whistle_tickets` and `summons` answer "which whistles involve this ticket /
        -- this department" without opening every whistle.
        CREATE TABLE whistle_events (
            seq        INTEGER PRIMARY KEY,
            id         TEXT NOT NULL UNIQUE,
            whistle_id TEXT NOT NULL,
            hlc        INTEGER NOT NULL,
            device     TEXT NOT NULL,
            actor      TEXT NOT NULL,
            type       TEXT NOT NULL,
            heads      TEXT NOT NULL,
            event      TEXT NOT NULL
        ) STRICT;
        CREATE INDEX whistle_events_by_whistle ON whistle_events(whistle_id);
        CREATE TABLE whistles (
            id               TEXT PRIMARY KEY,
            reason           TEXT NOT NULL,
            matter           TEXT NOT NULL,
            place            TEXT NOT NULL,
            community_id     TEXT,
            report_limit_min INTEGER NOT NULL,
            blown_ms         INTEGER NOT NULL,
            status           TEXT NOT NULL,
            closed_ms        INTEGER,
            updated_hlc      INTEGER NOT NULL,
            conflicts        INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX whistles_blown ON whistles(blown_ms);
        CREATE TABLE summons (
            whistle_id     TEXT NOT NULL,
            department_id  TEXT NOT NULL,
            position       INTEGER NOT NULL,
            stage          TEXT NOT NULL,
            summoned_ms    INTEGER NOT NULL,
            due_ms         INTEGER NOT NULL,
            reported_ms    INTEGER,
            on_site_ms     INTEGER,
            finished_ms    INTEGER,
            release_reason TEXT,
            escalated_ms   INTEGER,
            effectiveness  INTEGER,
            comment        TEXT,
            PRIMARY KEY (whistle_id, department_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX summons_by_department ON summons(department_id, summoned_ms);
        CREATE TABLE whistle_tickets (
            ticket_id  TEXT NOT NULL,
            whistle_id TEXT NOT NULL,
            PRIMARY KEY (ticket_id, whistle_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX whistle_tickets_by_whistle ON whistle_tickets(whistle_id);
        -- The directory gains the liaison's phone, a note and a display order.
        ALTER TABLE departments ADD COLUMN liaison_phone TEXT NOT NULL DEFAULT '';
        ALTER TABLE departments ADD COLUMN note TEXT NOT NULL DEFAULT '';
        ALTER TABLE departments ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
        -- Party-building/co-construction evaluation, entered by hand per department and month.
        CREATE TABLE department_marks (
            department_id  TEXT NOT NULL,
            month          TEXT NOT NULL,
            party_building REAL NOT NULL,
            PRIMARY KEY (department_id, month)
        ) STRICT, WITHOUT ROWID;
        "#,
        ),
        // Both event logs keep UUIDs as 16 bytes (see `log_codec`); the hook rewrites them.
        M::up_with_hook("", |tx: &rusqlite::Transaction<'_>| {
            crate::log_codec::pack_log(tx, "events", "ticket_id", "events_by_ticket")?;
            crate::log_codec::pack_log(
                tx,
                "whistle_events",
                "whistle_id",
                "whistle_events_by_whistle",
            )?;
            Ok(())
        }),
        // Events of this device that the hub refused, for the officer to see.
        M::up(
            r#"
        CREATE TABLE sync_refusals (
            event_id TEXT PRIMARY KEY,
            reason   TEXT NOT NULL,
            at_ms    INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        "#,
        ),
        // When each ticket reached its workflow's milestones, and whether it was merged into
        // another: what the statistics measure (filled by the projection rebuild).
        M::up(
            r#"
        ALTER TABLE tickets ADD COLUMN signed_ms INTEGER;
        ALTER TABLE tickets ADD COLUMN contacted_ms INTEGER;
        ALTER TABLE tickets ADD COLUMN replied_ms INTEGER;
        ALTER TABLE tickets ADD COLUMN archived_ms INTEGER;
        ALTER TABLE tickets ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
        "#,
        ),
        // Proactive governance: where a matter is on the map, the complaints a proactive case
        // was raised about, and a look-up of one caller's calls on one matter (repeats).
        M::up(
            r#"
        ALTER TABLE tickets ADD COLUMN lat REAL;
        ALTER TABLE tickets ADD COLUMN lng REAL;
        ALTER TABLE tickets ADD COLUMN related TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX tickets_matter ON tickets(caller_phone, category, community_id)
            WHERE caller_phone <> '';
        CREATE INDEX tickets_cases ON tickets(received_ms) WHERE related <> '[]';
        "#,
        ),
        // What the statistics read of each ticket, in received order, as a covering index: a
        // year's facts come from its narrow entries instead of the wide rows (the plan is
        // checked by a test in figures.rs).
        M::up(
            r#"
        CREATE INDEX tickets_facts ON tickets(pos, merged, status, kind, source, community_id,
            category, assignee, received_ms, signed_ms, contacted_ms, replied_ms, archived_ms,
            due_ms, callback, caller_phone);
        "#,
        ),
    ])
}

/// Bumped whenever the projection code changes what it writes; a store opened with an older
/// projection rebuilds it from the event log.
pub const PROJECTION_VERSION: &str = "9";

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
