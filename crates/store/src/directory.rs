//! The street's reference data: communities and the department directory.

use crate::{storage_err, Store};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashSet;
use streetdesk_core::department::validate_department;
use streetdesk_core::dto::{Community, Department, DepartmentKind};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::wire::wire_name;

fn parse_kind(s: &str) -> DepartmentKind {
    match s {
        "field_unit" => DepartmentKind::FieldUnit,
        "public_service" => DepartmentKind::PublicService,
        "resident" => DepartmentKind::Resident,
        _ => DepartmentKind::Functional,
    }
}

/// A fresh id `dNN` after the highest such id in use.
fn next_id(tx: &Transaction<'_>, taken: &HashSet<String>) -> ApiResult<String> {
    let mut n: u32 = tx
        .query_row(
            "SELECT COALESCE(MAX(CAST(substr(id, 2) AS INTEGER)), 0) FROM departments
             WHERE id GLOB 'd[0-9]*'",
            [],
            |r| r.get(0),
        )
        .map_err(storage_err)?;
    loop {
        n += 1;
        let id = format!("d{n:02}");
        if !taken.contains(&id) {
            return Ok(id);
        }
    }
}

fn write_department(tx: &Transaction<'_>, d: &Department, position: i64) -> ApiResult<()> {
    tx.execute(
        "INSERT INTO departments(id, name, kind, phone, liaison, liaison_phone, note, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
            phone = excluded.phone, liaison = excluded.liaison,
            liaison_phone = excluded.liaison_phone, note = excluded.note,
            position = excluded.position",
        params![
            d.id,
            d.name,
            wire_name(&d.kind),
            d.phone,
            d.liaison,
            d.liaison_phone,
            d.note,
            position
        ],
    )
    .map(|_| ())
    .map_err(storage_err)
}

impl Store {
    /// Adds or replaces communities and departments (the demo street, tests).
    pub fn upsert_directory(
        &mut self,
        communities: &[Community],
        departments: &[Department],
    ) -> ApiResult<()> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        for (i, c) in communities.iter().enumerate() {
            tx.execute(
                "INSERT OR REPLACE INTO communities(id, name, grid_count, position)
                 VALUES (?1, ?2, ?3, ?4)",
                params![c.id, c.name, c.grid_count, i as i64],
            )
            .map_err(storage_err)?;
        }
        for (i, d) in departments.iter().enumerate() {
            write_department(&tx, d, i as i64)?;
        }
        tx.commit().map_err(storage_err)
    }

    /// The department directory in its display order.
    pub fn departments(&self) -> ApiResult<Vec<Department>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, name, kind, phone, liaison, liaison_phone, note FROM departments
                 ORDER BY position, id",
            )
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Department {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: parse_kind(&r.get::<_, String>(2)?),
                    phone: r.get(3)?,
                    liaison: r.get(4)?,
                    liaison_phone: r.get(5)?,
                    note: r.get(6)?,
                })
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err);
        rows
    }

    /// Adds a department (empty id: a new one) or edits one; returns it as stored.
    pub fn save_department(&mut self, d: &Department) -> ApiResult<Department> {
        let mut d = validate_department(d).map_err(|(_, e)| e)?;
        let tx = self.conn.transaction().map_err(storage_err)?;
        let clash: Option<String> = tx
            .query_row(
                "SELECT id FROM departments WHERE name = ?1 AND id != ?2",
                params![d.name, d.id],
                |r| r.get(0),
            )
            .optional()
            .map_err(storage_err)?;
        if clash.is_some() {
            return Err(ApiError::new(
                ErrorCode::DepartmentDuplicate,
                "another department already has this name",
            ));
        }
        let position: Option<i64> = tx
            .query_row(
                "SELECT position FROM departments WHERE id = ?1",
                [&d.id],
                |r| r.get(0),
            )
            .optional()
            .map_err(storage_err)?;
        if d.id.is_empty() {
            d.id = next_id(&tx, &HashSet::new())?;
        }
        let position = match position {
            Some(p) => p,
            None => tx
                .query_row(
                    "SELECT COALESCE(MAX(position), -1) + 1 FROM departments",
                    [],
                    |r| r.get(0),
                )
                .map_err(storage_err)?,
        };
        write_department(&tx, &d, position)?;
        tx.commit().map_err(storage_err)?;
        Ok(d)
    }

    /// Adds or updates many departments at once, all or nothing: rows with an id update that
    /// department, rows without one update the department of the same name or add a new one.
    /// Rows must already be valid (see [`validate_department`]); names and ids must be unique.
    /// Returns (added, updated).
    pub fn merge_departments(&mut self, rows: &[Department]) -> ApiResult<(u32, u32)> {
        let tx = self.conn.transaction().map_err(storage_err)?;
        let existing: Vec<(String, String, i64)> = {
            let mut stmt = tx
                .prepare("SELECT id, name, position FROM departments")
                .map_err(storage_err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(storage_err)?
                .collect::<Result<_, _>>()
                .map_err(storage_err)?;
            rows
        };
        let mut taken: HashSet<String> = rows.iter().map(|d| d.id.clone()).collect();
        let mut next_position = existing.iter().map(|e| e.2 + 1).max().unwrap_or(0);
        let (mut added, mut updated) = (0, 0);
        let mut resolved = HashSet::new();
        for d in rows {
            let found = existing.iter().find(|(id, name, _)| {
                (!d.id.is_empty() && *id == d.id) || (d.id.is_empty() && *name == d.name)
            });
            let mut d = d.clone();
            let position = match found {
                Some((id, _, position)) => {
                    d.id = id.clone();
                    updated += 1;
                    *position
                }
                None => {
                    if d.id.is_empty() {
                        d.id = next_id(&tx, &taken)?;
                        taken.insert(d.id.clone());
                    }
                    added += 1;
                    next_position += 1;
                    next_position - 1
                }
            };
            // Two rows for one department (an id and a former name) would overwrite each other.
            if !resolved.insert(d.id.clone()) {
                return Err(ApiError::new(
                    ErrorCode::DepartmentDuplicate,
                    format!("two rows of the file are the same department ({})", d.name),
                ));
            }
            write_department(&tx, &d, position)?;
        }
        // A renamed department may now share its name with another: refuse the whole file.
        let clash: Option<String> = tx
            .query_row(
                "SELECT name FROM departments GROUP BY name HAVING COUNT(*) > 1 LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(storage_err)?;
        if let Some(name) = clash {
            return Err(ApiError::new(
                ErrorCode::DepartmentDuplicate,
                format!("two departments would be named {name}"),
            ));
        }
        tx.commit().map_err(storage_err)?;
        Ok((added, updated))
    }

    /// The street's communities in their display order.
    pub fn communities(&self) -> ApiResult<Vec<Community>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, grid_count FROM communities ORDER BY position, id")
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Community {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    grid_count: r.get(2)?,
                })
            })
            .map_err(storage_err)?
            .collect::<Result<_, _>>()
            .map_err(storage_err);
        rows
    }

    /// Number of departments in the directory.
    pub fn department_count(&self) -> ApiResult<u32> {
        self.conn
            .query_row("SELECT COUNT(*) FROM departments", [], |r| r.get(0))
            .map_err(storage_err)
    }

    /// The community's number of grids, or `None` if it is not one of the street's.
    pub(crate) fn grid_count(&self, id: &str) -> ApiResult<Option<u32>> {
        self.conn
            .query_row(
                "SELECT grid_count FROM communities WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(storage_err)
    }
}
