//! The real app: register a ticket through the UI, see it, restart, still see it.

use fantoccini::Locator;
use streetdesk_e2e::{click, register_ticket, type_into, wait_for, wait_for_text, Driver};

const CONTENT: &str = "槐荫胡同口有一辆僵尸车停放半年，影响通行，请清理";
const PHONE: &str = "13766660001";
const NAME: &str = "测试诉求人";

#[tokio::test(flavor = "multi_thread")]
async fn register_a_ticket_and_find_it_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path(), false);

    let c = driver.launch().await;
    click(&c, "[data-testid=nav-backlog]").await;
    // A street without demo data starts empty.
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t.contains('0')).await;
    register_ticket(&c, "2026112690001", CONTENT, NAME, PHONE).await;

    // The new ticket is in the list, masked, and its detail shows the first event.
    let row = wait_for_text(&c, "[data-testid=ticket-row]", |t| t.contains("僵尸车")).await;
    assert!(row.contains("137****0001"), "row: {row}");
    assert!(
        !row.contains(PHONE) && !row.contains(NAME),
        "row leaks the caller: {row}"
    );
    let timeline = wait_for_text(&c, "[data-testid=timeline]", |t| !t.is_empty()).await;
    assert!(timeline.contains("登记工单"), "timeline: {timeline}");
    assert_eq!(
        c.find_all(Locator::Css("[data-testid=timeline] li"))
            .await
            .unwrap()
            .len(),
        1
    );
    let caller = wait_for_text(&c, "[data-testid=detail-caller]", |t| !t.is_empty()).await;
    assert!(
        !caller.contains(PHONE),
        "caller shown before reveal: {caller}"
    );
    click(&c, "[data-testid=reveal-caller]").await;
    wait_for_text(&c, "[data-testid=detail-caller]", |t| t.contains(PHONE)).await;
    // Sign for it from the detail pane: a second event, and the row follows.
    click(&c, "[data-testid=action-signed_for]").await;
    wait_for_text(&c, "[data-testid=timeline]", |t| {
        t.contains("签收") && t.matches("值班员").count() == 2
    })
    .await;
    wait_for_text(&c, "[data-testid=ticket-row]", |t| t.contains("已签收")).await;
    // Tag it with this month's theme; the tag becomes a filter with its count.
    let enter = char::from(fantoccini::key::Key::Enter);
    type_into(&c, "tag", &format!("每月一题·停车难{enter}")).await;
    wait_for_text(&c, "[data-testid=detail-tags]", |t| {
        t.contains("每月一题·停车难")
    })
    .await;
    wait_for_text(
        &c,
        r#"[data-testid="filter-tag-每月一题·停车难"]"#,
        |t| t.contains('1'),
    )
    .await;
    c.close().await.unwrap();

    // Restart: the ticket came back from the SQLite file on disk.
    let c = driver.launch().await;
    click(&c, "[data-testid=nav-backlog]").await;
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t.contains('1')).await;
    let row = wait_for_text(&c, "[data-testid=ticket-row]", |t| t.contains("僵尸车")).await;
    assert!(row.contains("2026112690001"), "row after restart: {row}");
    // Filter by the ticket's state and community: it stays; by another community: it goes.
    click(&c, "[data-testid=filter-status-signed]").await;
    click(&c, "[data-testid=filter-community-c02]").await;
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t.contains('1')).await;
    click(&c, "[data-testid=filter-community-c01]").await;
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t.contains('0')).await;
    // Search as you type: a long term goes through the index, a short one through LIKE.
    click(&c, "[data-testid=filter-community-c02]").await;
    let search = wait_for(&c, "[data-testid=search]").await;
    search.send_keys("僵尸车 影响").await.unwrap();
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t.contains('1')).await;
    search.clear().await.unwrap();
    search.send_keys("僵尸 不存在").await.unwrap();
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t.contains('0')).await;
    c.close().await.unwrap();
    drop(driver);

    assert!(data.path().join("streetdesk.sqlite3").exists());
    let logs = read_logs(&data.path().join("logs"));
    assert!(
        logs.contains("ticket registered"),
        "log lacks the registration: {logs}"
    );
    assert!(logs.contains("caller details revealed"));
    assert!(
        !logs.contains(PHONE) && !logs.contains(NAME),
        "log leaks the caller"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn first_launch_creates_the_demo_street() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path(), true);
    let c = driver.launch().await;
    // The workbench opens first; a tile's number opens exactly the tickets behind it.
    let tile = wait_for_text(&c, "[data-testid=tile-received]", |t| {
        t.starts_with(|c: char| c.is_ascii_digit())
    })
    .await;
    let n: String = tile.chars().take_while(char::is_ascii_digit).collect();
    // The font stack, set before the first view mounted, names the Chinese fonts installed here
    // (.ci/install-deps installs WenQuanYi Micro Hei) and none of those that are not: each
    // missing family costs WebKitGTK a font search.
    let font = c
        .execute(
            "return getComputedStyle(document.documentElement).fontFamily",
            vec![],
        )
        .await
        .unwrap();
    let font = font.as_str().unwrap_or_default();
    assert!(font.contains("WenQuanYi Micro Hei"), "font stack: {font}");
    let listed = std::process::Command::new("fc-list")
        .args([":lang=zh-cn", "family"])
        .output()
        .expect("fc-list (Debian package fontconfig)");
    let listed = String::from_utf8_lossy(&listed.stdout);
    for family in [
        "Noto Sans CJK SC",
        "WenQuanYi Micro Hei",
        "Microsoft YaHei",
        "PingFang SC",
    ] {
        let installed = listed
            .lines()
            .any(|line| line.split(',').any(|name| name == family));
        assert_eq!(
            font.contains(family),
            installed,
            "{family} (installed: {installed}) in the font stack {font}"
        );
    }
    click(&c, "[data-testid=tile-received]").await;
    wait_for_text(&c, "[data-testid=backlog-total]", |t| {
        t == format!("共 {n} 件")
    })
    .await;
    // Sign for all of them at once: check every row, one click, and the street owes none.
    wait_for(&c, "[data-testid=ticket-row]").await;
    click(&c, "[data-testid=check-all]").await;
    wait_for_text(&c, "[data-testid=bulk-bar]", |t| {
        t.contains(&format!("已选 {n} 件"))
    })
    .await;
    click(&c, "[data-testid=bulk-sign]").await;
    wait_for_text(&c, "[role=status]", |t| {
        t.contains(&format!("签收：已处理 {n} 件"))
    })
    .await;
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t == "共 0 件").await;
    // Filters combine: a community, then one of its grids, then a first-level category.
    click(&c, "[data-testid=clear-filters]").await;
    click(&c, "[data-testid=filter-community-c02]").await;
    click(&c, "[data-testid=filter-grid-c02-01]").await;
    let grid_total = wait_for_text(&c, "[data-testid=backlog-total]", |t| {
        t.starts_with("共 ") && !t.contains("2000")
    })
    .await;
    let rows = wait_for_text(&c, "[data-testid=backlog-rows]", |t| t.contains("槐荫社区")).await;
    assert!(!rows.contains("和平里社区"), "{grid_total}");
    // My tickets: the workbench counts the open tickets of the unit set in Settings.
    click(&c, "[data-testid=nav-settings]").await;
    type_into(&c, "unit", "槐荫社区").await;
    click(&c, "[data-testid=save-profile]").await;
    wait_for_text(&c, "[data-testid=profile-form]", |t| t.contains("已保存")).await;
    click(&c, "[data-testid=nav-workbench]").await;
    wait_for_text(&c, "[data-testid=tile-mine]", |t| {
        t.contains("槐荫社区") && t.starts_with(|c: char| c.is_ascii_digit())
    })
    .await;
    click(&c, "[data-testid=nav-backlog]").await;
    let total = wait_for_text(&c, "[data-testid=backlog-total]", |t| t.contains("2000")).await;
    assert_eq!(total, "共 2000 件");
    // The list scrolls inside the window: only the rows in sight are in the page (not the
    // whole first page of 200), and scrolling to its end loads the next page.
    let list = |js: &'static str| {
        let c = c.clone();
        async move {
            let script = format!(
                "const s = document.querySelector('[data-testid=backlog-rows]'); return {js};"
            );
            c.execute(&script, vec![]).await.unwrap()
        }
    };
    let in_sight =
        list("[s.clientHeight, s.querySelectorAll('[data-testid=ticket-row]').length]").await;
    let (height, rendered) = (in_sight[0].as_u64().unwrap(), in_sight[1].as_u64().unwrap());
    assert!(height > 200 && height < 768, "list height {height}");
    assert!(
        rendered > 0 && rendered <= 60,
        "{rendered} rows in the page"
    );
    list("(s.scrollTop = s.scrollHeight, 0)").await;
    let mut loaded = 0;
    for _ in 0..100 {
        loaded = list("s.scrollHeight").await.as_u64().unwrap();
        if loaded > 200 * 32 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        loaded > 200 * 32,
        "scrolling to the end loaded no more rows ({loaded} px)"
    );
    let communities = c
        .find_all(Locator::Css("[data-testid^=filter-community-]"))
        .await
        .unwrap();
    assert!(communities.len() >= 8);
    // Settings: enter next year's holiday notice; it joins the built-in years.
    click(&c, "[data-testid=nav-settings]").await;
    wait_for_text(&c, "[data-testid=calendar-years]", |t| t.contains("2026")).await;
    type_into(&c, "year", "2027").await;
    // WebKitWebDriver drops "\n" from typed text; a new line is the Enter key.
    let enter = char::from(fantoccini::key::Key::Enter);
    type_into(
        &c,
        "notice",
        &format!("休 2027-01-01 ~ 2027-01-03{enter}班 2027-01-09"),
    )
    .await;
    click(&c, "[data-testid=save-notice]").await;
    wait_for_text(&c, "[data-testid=calendar-years]", |t| {
        t.contains("2027") && t.contains("已录入")
    })
    .await;
    click(&c, "[data-testid=nav-backlog]").await;
    // English is one click away.
    click(&c, "[data-testid=lang]").await;
    wait_for_text(&c, "[data-testid=backlog-total]", |t| t == "2000 tickets").await;
    c.close().await.unwrap();
}

fn read_logs(dir: &std::path::Path) -> String {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}
