//! 统计分析 on the real app over the demo street: the month's figures and charts appear,
//! a ranking row opens the tickets behind it, and the monthly report is exported through the
//! real save dialog to a workbook that says what the screen says.

use calamine::{Data, Reader, Xlsx};
use std::path::Path;
use streetdesk_e2e::{
    click, native_dialog, the_saved_file, wait_for, wait_for_text, xdotool, Driver,
};

/// Accepts the native save dialog titled `title` as it opens: its folder (the officer's
/// documents) and its file name are the app's defaults.
async fn accept_save_dialog(title: &str) {
    native_dialog(title).await;
    xdotool(&["key", "Return"]);
}

fn number(text: &str) -> f64 {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in {text:?}"))
}

fn workbook_figures(path: &Path) -> (f64, f64) {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let summary = book.worksheet_range("概要").unwrap();
    let at = |row: u32| match summary.get_value((row, 1)) {
        Some(Data::Float(x)) => *x,
        other => panic!("row {row}: {other:?}"),
    };
    // Rows after the title and header: 工单量 first, 综合得分 sixth.
    (at(3), at(8))
}

#[tokio::test(flavor = "multi_thread")]
async fn statistics_show_the_month_and_export_its_report() {
    let data = tempfile::tempdir().unwrap();
    let documents = data.path().join("文档");
    std::fs::create_dir_all(&documents).unwrap();
    let config = data.path().join("xdg/config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("user-dirs.dirs"),
        format!("XDG_DOCUMENTS_DIR=\"{}\"\n", documents.display()),
    )
    .unwrap();

    let driver = Driver::start(data.path(), true);
    let c = driver.launch().await;
    click(&c, "[data-testid=nav-statistics]").await;
    let tickets = wait_for_text(&c, "[data-testid=stats-tickets]", |t| {
        t.chars().any(|c| c.is_ascii_digit())
    })
    .await;
    let tickets = number(&tickets);
    assert!(tickets > 50.0, "the demo month has tickets: {tickets}");
    let composite =
        number(&wait_for_text(&c, "[data-testid=stats-composite]", |t| t.contains('.')).await);
    for kind in ["trend", "communities", "response_times", "heat"] {
        wait_for(&c, &format!("[data-testid=chart-{kind}] svg text")).await;
    }
    let ranking = wait_for_text(&c, "[data-testid=table-ranking]", |t| t.contains("社区")).await;
    assert!(ranking.contains("综合得分"), "{ranking}");

    // A community's row opens the backlog filtered to it.
    let row = "[data-testid=table-ranking] tbody tr td.name";
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
        vec![serde_json::json!(row)],
    )
    .await
    .unwrap();
    click(&c, row).await;
    wait_for(&c, "[data-testid=nav-backlog][aria-current=page]").await;

    click(&c, "[data-testid=nav-statistics]").await;
    wait_for_text(&c, "[data-testid=stats-tickets]", |t| number(t) == tickets).await;
    click(&c, "[data-testid=export-xlsx]").await;
    accept_save_dialog("导出月报").await;
    let notice = wait_for_text(&c, "[data-testid=stats-notice]", |t| t.contains(".xlsx")).await;
    let (saved, name) = the_saved_file(&documents);
    assert!(
        name.ends_with("接诉即办月报.xlsx") && notice.contains(&name),
        "{name} / {notice}"
    );

    let (report_tickets, report_composite) = workbook_figures(&saved);
    assert_eq!(report_tickets, tickets);
    // The screen shows one decimal (JavaScript's rounding); the workbook keeps them all.
    assert!(
        (report_composite - composite).abs() <= 0.05 + 1e-9,
        "{report_composite} vs {composite}"
    );
    c.close().await.unwrap();
}
