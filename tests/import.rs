//! Importing a 12345 export on the real app: the file is picked in the real open dialog, the
//! preview names the bad row, the import leaves it out when told to, a second import of the
//! same file changes nothing, and the filtered backlog is exported through the save dialog.

use calamine::{Reader, Xlsx};
use std::time::Duration;
use streetdesk_core::dto::ImportField;
use streetdesk_e2e::{
    click, native_dialog, the_saved_file, wait_for, wait_for_text, xdotool, Driver,
};

/// Picks `name` in the open dialog, which opens on the downloads folder: the location bar
/// (Ctrl+L) takes a name in the folder shown. (A whole path typed there fights GTK's
/// completion of each folder.)
async fn pick_file(title: &str, name: &str) {
    native_dialog(title).await;
    xdotool(&["key", "ctrl+l"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    xdotool(&["type", "--delay", "40", name]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    xdotool(&["key", "Return"]);
}

fn number(text: &str) -> u64 {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in {text:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_12345_export_is_imported_once_and_the_backlog_exported() {
    let data = tempfile::tempdir().unwrap();
    let documents = data.path().join("documents");
    let downloads = data.path().join("downloads");
    let config = data.path().join("xdg/config");
    for dir in [&documents, &downloads, &config] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(
        config.join("user-dirs.dirs"),
        format!(
            "XDG_DOCUMENTS_DIR=\"{}\"\nXDG_DOWNLOAD_DIR=\"{}\"\n",
            documents.display(),
            downloads.display()
        ),
    )
    .unwrap();

    // The export: 60 tickets of the last month, one with a kind no platform uses.
    let rows = streetdesk_demo::hotline_export(60, 30, 99, streetdesk_core::time::now_beijing());
    let mut lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            ImportField::ALL
                .iter()
                .map(|f| r.get(f).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    let kind = ImportField::ALL
        .iter()
        .position(|f| *f == ImportField::Kind)
        .unwrap();
    lines[9][kind] = "抱怨".into();
    let file = downloads.join("export-12345.xlsx");
    streetdesk_intake::export::write_xlsx(
        &file,
        Some("北京市12345市民服务热线工单"),
        &streetdesk_intake::export::headers(),
        &lines,
    )
    .unwrap();

    let driver = Driver::start(data.path(), true);
    let c = driver.launch().await;
    click(&c, "[data-testid=nav-backlog]").await;
    let before = number(
        &wait_for_text(&c, "[data-testid=backlog-total]", |t| {
            t.chars().any(|c| c.is_ascii_digit())
        })
        .await,
    );

    click(&c, "[data-testid=import]").await;
    pick_file("选择 12345 导出文件", "export-12345.xlsx").await;
    wait_for(&c, "[data-testid=import-counts]").await;
    let new = wait_for_text(&c, "[data-testid=count-new]", |t| !t.is_empty()).await;
    assert_eq!(number(&new), 59, "{new}");
    let issue = wait_for_text(&c, "[data-testid=import-issue]", |t| !t.is_empty()).await;
    assert!(
        issue.contains("第 12 行") && issue.contains("工单类型") && issue.contains("抱怨"),
        "{issue}"
    );
    let commit = c
        .find(fantoccini::Locator::Css("[data-testid=import-commit]"))
        .await
        .unwrap();
    assert!(
        !commit.is_enabled().await.unwrap(),
        "a file with a bad row is not imported as it is"
    );
    click(&c, "[data-testid=skip-rejected]").await;
    click(&c, "[data-testid=import-commit]").await;
    let done = wait_for_text(&c, "[data-testid=import-done]", |t| t.contains("新建")).await;
    assert!(
        done.contains("新建 59 件") && done.contains("跳过 1 行"),
        "{done}"
    );
    click(&c, "[data-testid=import-close]").await;
    wait_for_text(&c, "[data-testid=backlog-total]", |t| {
        number(t) == before + 59
    })
    .await;

    // The same file again: nothing to write.
    click(&c, "[data-testid=import]").await;
    pick_file("选择 12345 导出文件", "export-12345.xlsx").await;
    let unchanged = wait_for_text(&c, "[data-testid=count-unchanged]", |t| !t.is_empty()).await;
    assert_eq!(number(&unchanged), 59);
    assert_eq!(
        number(
            &c.find(fantoccini::Locator::Css("[data-testid=count-new]"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        ),
        0
    );
    click(&c, "[data-testid=skip-rejected]").await;
    let commit = c
        .find(fantoccini::Locator::Css("[data-testid=import-commit]"))
        .await
        .unwrap();
    assert!(!commit.is_enabled().await.unwrap());
    c.execute("document.querySelector('[data-testid=import-dialog] footer button:not(.primary):not(.link)').click()", vec![])
        .await
        .unwrap();

    // The backlog, filtered to what was imported (searching its numbers' common prefix is
    // not needed: the export takes every ticket the filters match), out through the save dialog.
    click(&c, "[data-testid=export]").await;
    native_dialog("导出工单").await;
    xdotool(&["key", "Return"]);
    let notice = wait_for_text(&c, "[data-testid=backlog-notice]", |t| t.contains(".xlsx")).await;
    let (saved, name) = the_saved_file(&documents);
    assert!(notice.contains(&name), "{notice} / {name}");
    let mut book: Xlsx<_> = calamine::open_workbook(&saved).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    // A title row and the header above the tickets.
    assert_eq!(sheet.height() as u64, before + 59 + 2);
    c.close().await.unwrap();
}
