//! A minimal writer of the old binary Excel format (BIFF8 in a compound file), as Excel 97–2003
//! and many government systems still save: text and number cells and merged regions. Enough
//! to test that such files are read; no styles.

use std::io::Write;
use std::path::Path;

/// A cell to write.
pub enum Cell {
    Text(String),
    Number(f64),
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn bof(out: &mut Vec<u8>, dt: u16) {
    let mut d = Vec::new();
    d.extend_from_slice(&0x0600u16.to_le_bytes());
    d.extend_from_slice(&dt.to_le_bytes());
    d.extend_from_slice(&[0; 12]);
    record(out, 0x0809, &d);
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Writes one sheet named `name` with `cells` ((row, col) 0-based) and `merged` regions
/// ((first row, last row, first col, last col)).
pub fn write(
    path: &Path,
    name: &str,
    cells: &[((u16, u16), Cell)],
    merged: &[(u16, u16, u16, u16)],
) {
    let mut sheet = Vec::new();
    bof(&mut sheet, 0x0010);
    for ((r, c), cell) in cells {
        let mut d = Vec::new();
        d.extend_from_slice(&r.to_le_bytes());
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        match cell {
            Cell::Text(s) => {
                d.extend_from_slice(&(s.encode_utf16().count() as u16).to_le_bytes());
                d.push(1);
                d.extend_from_slice(&utf16(s));
                record(&mut sheet, 0x0204, &d);
            }
            Cell::Number(n) => {
                d.extend_from_slice(&n.to_le_bytes());
                record(&mut sheet, 0x0203, &d);
            }
        }
    }
    if !merged.is_empty() {
        let mut d = (merged.len() as u16).to_le_bytes().to_vec();
        for (rf, rl, cf, cl) in merged {
            for v in [rf, rl, cf, cl] {
                d.extend_from_slice(&v.to_le_bytes());
            }
        }
        record(&mut sheet, 0x00E5, &d);
    }
    record(&mut sheet, 0x000A, &[]);

    let sheet_name = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0]);
        d.push(name.encode_utf16().count() as u8);
        d.push(1);
        d.extend_from_slice(&utf16(name));
        d
    };
    let mut globals = Vec::new();
    bof(&mut globals, 0x0005);
    record(&mut globals, 0x0042, &1200u16.to_le_bytes());
    let bound_at = globals.len();
    record(&mut globals, 0x0085, &sheet_name(0));
    record(&mut globals, 0x000A, &[]);
    // The sheet's offset is known once the globals are laid out; patch it in.
    let pos = globals.len() as u32;
    globals[bound_at + 4..bound_at + 8].copy_from_slice(&pos.to_le_bytes());
    globals.extend_from_slice(&sheet);

    // Version 3 (512-byte sectors) is what Excel writes.
    let f = std::fs::File::create(path).unwrap();
    let mut file = cfb::CompoundFile::create_with_version(cfb::Version::V3, f).unwrap();
    let mut stream = file.create_stream("/Workbook").unwrap();
    stream.write_all(&globals).unwrap();
    stream.flush().unwrap();
    drop(stream);
    file.flush().unwrap();
}
