//! Settings: time-limit policies and holiday notices, as the settings view uses them.

use streetdesk_core::dto::PolicyForm;
use streetdesk_core::error::ErrorCode;
use streetdesk_store::{Store, DB_FILE};

#[test]
fn policies_and_notices_are_checked_saved_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let mut s = Store::open(&path).unwrap();
        let settings = s.settings();
        assert_eq!(settings.policies.general, "7d");
        assert_eq!(settings.policies.emergency, "2h");
        assert_eq!(settings.policies.yellow_percent, 75);
        assert_eq!(settings.builtin_years, vec![2025, 2026]);
        assert_eq!(
            settings.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            vec![2025, 2026]
        );

        let mut form = settings.policies.clone();
        form.general = "7 天".into();
        assert_eq!(
            form.to_policies().unwrap_err().code,
            ErrorCode::LimitInvalid
        );
        form.general = "5wd".into();
        form.yellow_percent = 0;
        assert_eq!(
            form.to_policies().unwrap_err().code,
            ErrorCode::YellowInvalid
        );
        form.yellow_percent = 80;
        s.set_policies(form.to_policies().unwrap()).unwrap();

        let bad = s
            .set_calendar_notice(2027, "休 2027-01-01\n调休 2027-01-09")
            .unwrap_err();
        assert_eq!(bad.code, ErrorCode::NoticeInvalid);
        assert!(bad.message.contains("line 2"), "{}", bad.message);
        assert_eq!(s.settings().years.len(), 2, "a bad notice changes nothing");
        s.set_calendar_notice(2027, "# 元旦\n休 2027-01-01 ~ 2027-01-03\n班 2027-01-09")
            .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let settings = s.settings();
    assert_eq!(
        settings.policies,
        PolicyForm {
            emergency: "2h".into(),
            utility: "24h".into(),
            general: "5wd".into(),
            complex: "15d".into(),
            yellow_percent: 80,
        }
    );
    let y2027 = settings
        .years
        .iter()
        .find(|y| y.year == 2027)
        .expect("2027 kept");
    assert_eq!(y2027.holidays.len(), 3);
    assert_eq!(y2027.makeup_workdays.len(), 1);
}
