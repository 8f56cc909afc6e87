//! `ui/src/lib/bindings/` must be exactly what ts-rs generates from the IPC types. This test
//! fails when they are stale; `UPDATE_BINDINGS=1 cargo test -p streetdesk-core --test bindings`
//! rewrites them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use streetdesk_core::dto::*;
use streetdesk_core::ApiError;
use ts_rs::TS;

fn generate(dir: &Path) {
    ApiError::export_all_to(dir).unwrap();
    AppInfo::export_all_to(dir).unwrap();
    AppStart::export_all_to(dir).unwrap();
    AppView::export_all_to(dir).unwrap();
    BacklogFacets::export_all_to(dir).unwrap();
    BacklogPage::export_all_to(dir).unwrap();
    BacklogQuery::export_all_to(dir).unwrap();
    BulkOutcome::export_all_to(dir).unwrap();
    Profile::export_all_to(dir).unwrap();
    Community::export_all_to(dir).unwrap();
    NewTicket::export_all_to(dir).unwrap();
    RevealedCaller::export_all_to(dir).unwrap();
    TicketDetail::export_all_to(dir).unwrap();
    Settings::export_all_to(dir).unwrap();
    streetdesk_core::TicketEvent::export_all_to(dir).unwrap();
    Department::export_all_to(dir).unwrap();
    NewWhistle::export_all_to(dir).unwrap();
    WhistleDetail::export_all_to(dir).unwrap();
    WhistleQuery::export_all_to(dir).unwrap();
    WhistleSettings::export_all_to(dir).unwrap();
    SyncStatus::export_all_to(dir).unwrap();
    SyncLinkForm::export_all_to(dir).unwrap();
    SyncRefusal::export_all_to(dir).unwrap();
    streetdesk_core::kpi::RateFormula::export_all_to(dir).unwrap();
    streetdesk_core::dashboard::Dashboard::export_all_to(dir).unwrap();
    ChartSvg::export_all_to(dir).unwrap();
    ChartRequest::export_all_to(dir).unwrap();
    ImageFormat::export_all_to(dir).unwrap();
    ReportFormat::export_all_to(dir).unwrap();
    Statistics::export_all_to(dir).unwrap();
    streetdesk_core::governance::GovernanceSettings::export_all_to(dir).unwrap();
    streetdesk_core::hotspot::Hotspot::export_all_to(dir).unwrap();
    DirectoryImport::export_all_to(dir).unwrap();
    ImportPreview::export_all_to(dir).unwrap();
    ImportSource::export_all_to(dir).unwrap();
    ImportOptions::export_all_to(dir).unwrap();
    ImportProgress::export_all_to(dir).unwrap();
    ImportOutcome::export_all_to(dir).unwrap();
    ExportProgress::export_all_to(dir).unwrap();
    streetdesk_core::whistle::WhistleEvent::export_all_to(dir).unwrap();
    streetdesk_core::scorecard::Scorecard::export_all_to(dir).unwrap();
    streetdesk_core::scorecard::ScoreWeights::export_all_to(dir).unwrap();
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let committed_dir: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
    let fresh = tempfile::tempdir().unwrap();
    generate(fresh.path());
    let expected = read_dir(fresh.path());
    assert!(expected.len() > 10, "generation produced too few files");

    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = fs::remove_dir_all(&committed_dir);
        fs::create_dir_all(&committed_dir).unwrap();
        for (name, text) in &expected {
            fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }
    let committed = read_dir(&committed_dir);
    let stale: std::collections::BTreeSet<_> = expected
        .keys()
        .chain(committed.keys())
        .filter(|k| expected.get(*k) != committed.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings is stale ({stale:?}); run UPDATE_BINDINGS=1 cargo test -p streetdesk-core --test bindings"
    );
}
