use super::*;
use streetdesk_core::time::rfc3339;

fn when(s: &str) -> String {
    parse_when(s).map(rfc3339).unwrap_or_else(|| "-".into())
}

#[test]
fn dates_in_the_forms_exports_use() {
    let t = "2026-11-03T09:30:00+08:00";
    for s in [
        "2026-11-03 09:30:00",
        "2026-11-03 09:30",
        "2026/11/3 9:30",
        "2026/11/03 09:30:00",
        "2026.11.03 09:30",
        "2026年11月3日 9时30分",
        "2026年11月3日9点30分",
        "2026年11月03日 09:30:00",
        "２０２６－１１－０３　０９：３０",
        "20261103093000",
        "2026-11-03T09:30:00",
        "2026-11-03T01:30:00Z",
        "2026-11-03 09:30:00.000",
        " 2026-11-03  09:30 ",
    ] {
        assert_eq!(when(s), t, "{s}");
    }
    // Excel serial: 46329 is 2026-11-03; .395833 is 09:30.
    assert_eq!(when("46329.3958333333"), t);
    assert_eq!(when("46329"), "2026-11-03T00:00:00+08:00");
    assert_eq!(when("2026-11-03"), "2026-11-03T00:00:00+08:00");
    assert_eq!(when("2026年11月3日"), "2026-11-03T00:00:00+08:00");
    for bad in [
        "",
        "昨天",
        "2026-13-03",
        "2026-02-30 10:00",
        "2026110300123",
        "13812345678",
        "1e9",
        "NaN",
    ] {
        assert_eq!(when(bad), "-", "{bad}");
    }
}

#[test]
fn limits_categories_and_tags() {
    assert_eq!(parse_limit("7个工作日"), Some(Limit::WorkingDays(7)));
    assert_eq!(parse_limit("７工作日"), Some(Limit::WorkingDays(7)));
    assert_eq!(parse_limit("15天"), Some(Limit::CalendarDays(15)));
    assert_eq!(parse_limit("24小时"), Some(Limit::Hours(24)));
    assert_eq!(parse_limit("2h"), Some(Limit::Hours(2)));
    assert_eq!(parse_limit("0天"), None);
    assert_eq!(parse_limit("七天"), None);

    let path = "城市管理/市容环境/私搭乱建";
    for s in [
        "城市管理->市容环境->私搭乱建",
        "城市管理 -> 市容环境 -> 私搭乱建",
        "城市管理-->市容环境-->私搭乱建",
        "城市管理／市容环境／私搭乱建",
        "城市管理→市容环境→私搭乱建",
        "城市管理—>市容环境—>私搭乱建",
        "城市管理＞市容环境＞私搭乱建",
        "/城市管理//市容环境/私搭乱建/",
        path,
    ] {
        assert_eq!(category_path(s), path, "{s}");
    }
    assert_eq!(category_path("供水-停水"), "供水-停水");
    assert_eq!(
        split_tags("每月一题，老旧小区; 每月一题、物业"),
        ["每月一题", "物业", "老旧小区"]
    );
    assert!(split_tags("  ").is_empty());
}

#[test]
fn words() {
    assert_eq!(kind_word("投诉类"), Some(TicketKind::Complaint));
    assert_eq!(kind_word(" 求决 "), Some(TicketKind::Help));
    assert_eq!(kind_word("表扬/感谢"), Some(TicketKind::Praise));
    assert_eq!(kind_word("其他"), None);
    assert_eq!(status_word("已办结"), Some(TicketStatus::Replied));
    assert_eq!(status_word("待 回访"), Some(TicketStatus::AwaitingCallback));
    assert_eq!(status_word("已退回"), Some(TicketStatus::Redispatched));
    assert_eq!(status_word("archived"), Some(TicketStatus::Archived));
    assert_eq!(status_word("挂起"), None);
    assert_eq!(urgency_word(""), Some(Urgency::General));
    assert_eq!(urgency_word("特急"), Some(Urgency::Emergency));
    assert_eq!(urgency_word("马上"), None);
    assert_eq!(yes_no("是"), Some(true));
    assert_eq!(yes_no("Ｎ"), Some(false));
    assert_eq!(yes_no("也许"), None);
    assert_eq!(resolution_word("部分解决"), Some(Resolution::Partly));
    assert_eq!(satisfaction_word("基本满意"), Some(Satisfaction::Basically));
    assert_eq!(satisfaction_word("未评价"), Some(Satisfaction::NotRated));
    assert_eq!(satisfaction_word("还行"), None);
    assert_eq!(grid_number("第３网格"), Some(3));
    assert_eq!(grid_number("c01-03"), Some(3));
    assert_eq!(grid_number("网格"), None);
    assert_eq!(number("116.４1"), Some(116.41));
    assert_eq!(
        clean_text("　东四　 北大街\u{a0}１２号 "),
        "东四 北大街 12号"
    );
}
