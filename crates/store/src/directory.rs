//! The street's reference data: communities and the department directory.

use crate::{storage_err, Store};
use rusqlite::{params, OptionalExtension};
use streetdesk_core::dto::Community;
use streetdesk_core::error::ApiResult;

/// What sort of unit a department is (DESIGN.md "Departments").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepartmentKind {
    /// District functional department (城管执法, 住建, 市场监管…).
    Functional,
    /// A department's field unit (派出所, 交通队…).
    FieldUnit,
    /// Water, power, gas, heating, telecoms.
    PublicService,
    /// Co-construction unit resident in the street (驻区单位).
    Resident,
}

impl DepartmentKind {
    fn as_str(self) -> &'static str {
        match self {
            DepartmentKind::Functional => "functional",
            DepartmentKind::FieldUnit => "field_unit",
            DepartmentKind::PublicService => "public_service",
            DepartmentKind::Resident => "resident",
        }
    }
}

/// An entry of the department directory.
#[derive(Clone, Debug, PartialEq)]
pub struct Department {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind of unit.
    pub kind: DepartmentKind,
    /// Duty phone.
    pub phone: String,
    /// Liaison's name.
    pub liaison: String,
}

impl Store {
    /// Adds or replaces communities and departments.
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
        for d in departments {
            tx.execute(
                "INSERT OR REPLACE INTO departments(id, name, kind, phone, liaison)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![d.id, d.name, d.kind.as_str(), d.phone, d.liaison],
            )
            .map_err(storage_err)?;
        }
        tx.commit().map_err(storage_err)
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
