//! Reading the spreadsheets streets really get: xlsx and xls from office suites, CSV in UTF-8
//! or GBK, with title rows above the header and merged cells. Everything here is all or
//! nothing: a file either yields every row, or an error naming the row and column at fault.

pub mod departments;
pub mod export;
pub mod header;
pub mod hotline;
pub mod table;
pub mod values;

pub use table::{read_rows, rows_from_bytes, Row};
