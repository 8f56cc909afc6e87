//! The hub's database. Append new migrations; never edit a released one.

use rusqlite_migration::{Migrations, M};

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            r#"
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

        -- Enrolled devices. Only a hash of each token is kept: a copy of this file lets no one
        -- in. A revoked device keeps its row, so its events stay attributable.
        CREATE TABLE devices (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            role        TEXT NOT NULL,
            department  TEXT,
            token_hash  BLOB NOT NULL UNIQUE,
            enrolled_ms INTEGER NOT NULL,
            revoked_ms  INTEGER
        ) STRICT;

        -- One-time enrolment codes, also kept as hashes.
        CREATE TABLE codes (
            code_hash  BLOB PRIMARY KEY,
            name       TEXT NOT NULL,
            role       TEXT NOT NULL,
            department TEXT,
            expires_ms INTEGER NOT NULL,
            used_by    TEXT
        ) STRICT;

        -- Every event any device pushed, once. `seq` is the office feed's cursor. The hub has
        -- one writer, so seq order is commit order and a cursor never skips a late commit.
        CREATE TABLE events (
            seq         INTEGER PRIMARY KEY,
            id          TEXT NOT NULL UNIQUE,
            log         TEXT NOT NULL,
            stream      TEXT NOT NULL,
            device      TEXT NOT NULL,
            body        TEXT NOT NULL,
            pushed_by   TEXT NOT NULL,
            received_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX events_by_stream ON events(stream);

        -- Events kept aside, never applied: for an administrator to look at.
        CREATE TABLE quarantine (
            n           INTEGER PRIMARY KEY,
            device      TEXT NOT NULL,
            event_id    TEXT,
            reason      TEXT NOT NULL,
            body        TEXT NOT NULL,
            received_ms INTEGER NOT NULL
        ) STRICT;

        -- Scope: the departments each ticket or whistle involves, and each department's feed
        -- (cursor `n`), into which a stream's whole history goes when it comes into scope.
        CREATE TABLE stream_departments (
            stream     TEXT NOT NULL,
            department TEXT NOT NULL,
            PRIMARY KEY (stream, department)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE whistle_tickets (
            whistle TEXT NOT NULL,
            ticket  TEXT NOT NULL,
            PRIMARY KEY (whistle, ticket)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE feed (
            department TEXT NOT NULL,
            n          INTEGER NOT NULL,
            seq        INTEGER NOT NULL,
            PRIMARY KEY (department, n)
        ) STRICT, WITHOUT ROWID;
        "#,
        ),
        // The stream of a quarantined event, so that the steps waiting for a whistle are found
        // by index when it arrives (see `release`).
        M::up(
            r#"
        ALTER TABLE quarantine ADD COLUMN stream TEXT;
        CREATE INDEX quarantine_waiting ON quarantine(reason, stream);
        "#,
        ),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
