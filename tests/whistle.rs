//! 吹哨报到 on the real app: a whistle blown from a ticket to three departments, two report in
//! on time and one late, the closure refused while they are out, then closed, rated, and the
//! month's scorecard shows the figures worked out by hand.

use std::time::Duration;
use streetdesk_e2e::{
    click, register_ticket, select, type_into, wait_for, wait_for_text, wait_for_text_within,
    Driver,
};

/// Departments of the demo directory: 区排水集团, 和乐派出所, 供电公司城东供电中心.
const ON_TIME: [&str; 2] = ["d09", "d02"];
const LATE: &str = "d11";

async fn step(c: &fantoccini::Client, department: &str, step: &str) {
    click(
        c,
        &format!("[data-testid=summons-{department}] [data-testid=step-{step}]"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn blow_report_in_close_rate_and_score() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path(), false);
    let c = driver.launch().await;
    register_ticket(
        &c,
        "2026112790001",
        "胡同雨水井堵塞，路面大面积积水",
        "测试诉求人",
        "13766660002",
    )
    .await;

    // Blow the whistle from the ticket, with a one-minute limit so that one can be late.
    click(&c, "[data-testid=ticket-blow]").await;
    wait_for(&c, "[data-testid=blow-form]").await;
    type_into(&c, "limit", "1").await;
    for d in ON_TIME.iter().chain([&LATE]) {
        click(&c, &format!("[data-testid=blow-dept-{d}]")).await;
    }
    click(&c, "[data-testid=blow-submit]").await;
    let timeline = wait_for_text(&c, "[data-testid=timeline]", |t| t.contains("吹哨")).await;
    assert!(timeline.contains("查看吹哨"), "timeline: {timeline}");

    // The ticket's timeline opens the whistle on the board.
    click(&c, "[data-testid=open-whistle]").await;
    wait_for_text(&c, "[data-testid=whistle-status]", |t| t.contains("进行中")).await;
    for d in ON_TIME {
        step(&c, d, "reported_in").await;
        wait_for_text(&c, &format!("[data-testid=clock-{d}]"), |t| {
            t.contains("已报到")
        })
        .await;
    }
    // 事不完、人不撤: closing now names who is still out.
    click(&c, "[data-testid=close-whistle]").await;
    let refusal = wait_for_text(&c, "[data-testid=whistle-error]", |t| !t.is_empty()).await;
    for name in ["区排水集团", "和乐派出所", "供电公司城东供电中心"] {
        assert!(refusal.contains(name), "refusal: {refusal}");
    }

    // The third department's clock runs out and turns red; the tab counts it.
    wait_for_text_within(
        &c,
        &format!("[data-testid=clock-{LATE}]"),
        Duration::from_secs(90),
        |t| t.contains("超时"),
    )
    .await;
    wait_for_text(&c, "[data-testid=nav-whistles]", |t| t.contains('1')).await;
    step(&c, LATE, "reported_in").await;
    wait_for_text(&c, &format!("[data-testid=summons-{LATE}]"), |t| {
        t.contains("迟到")
    })
    .await;
    for d in ON_TIME.iter().chain([&LATE]) {
        step(&c, d, "done").await;
        click(&c, "[data-testid=pending-submit]").await;
        wait_for_text(&c, &format!("[data-testid=clock-{d}]"), |t| {
            t.contains("已办结")
        })
        .await;
    }
    type_into(&c, "summary", "积水已排除").await;
    click(&c, "[data-testid=close-whistle]").await;
    wait_for_text(&c, "[data-testid=whistle-status]", |t| t.contains("已结束")).await;

    // Rate them 5, 4 and 3 stars.
    for (d, stars) in [("d09", "5"), ("d02", "4"), (LATE, "3")] {
        let row = format!("[data-testid=summons-{d}]");
        select(&c, &format!("{row} [data-testid=rate-value]"), stars).await;
        click(&c, &format!("{row} [data-testid=rate-submit]")).await;
        wait_for(&c, &format!("{row} [data-testid=rating]")).await;
    }

    // The month's scorecards: on-site = ½ timeliness + ½ (stars × 20); no party-building
    // mark and no callback yet, so the total is the on-site figure:
    // 区排水集团 ½·100 + ½·100 = 100; 和乐派出所 ½·100 + ½·80 = 90;
    // 供电公司 late within one more limit → 50, ½·50 + ½·60 = 55.
    click(&c, "[data-testid=nav-departments]").await;
    click(&c, "[data-testid=dept-tab-scorecards]").await;
    for (d, total) in [("d09", "100.0"), ("d02", "90.0"), (LATE, "55.0")] {
        wait_for_text(
            &c,
            &format!("[data-testid=scorecard-{d}] [data-testid=score-total]"),
            |t| t == total,
        )
        .await;
    }
    // A party-building mark of 80 for 供电公司: (55 × 50 + 80 × 20) / 70 = 62.1.
    let party = format!("[data-testid=scorecard-{LATE}] [data-testid=score-party]");
    let input = wait_for(&c, &party).await;
    input.send_keys("80\t").await.unwrap();
    wait_for_text(
        &c,
        &format!("[data-testid=scorecard-{LATE}] [data-testid=score-total]"),
        |t| t == "62.1",
    )
    .await;
}
