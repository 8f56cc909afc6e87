//! The demo street's communities, departments and staff. All invented.

use streetdesk_core::dto::Community;
use streetdesk_store::{Department, DepartmentKind};

/// Name of the fictional street office.
pub const STREET_NAME: &str = "和乐街道";

/// Duty officers at the command centre.
pub(crate) const DUTY_OFFICERS: &[&str] = &["值班员 张敏", "值班员 刘洋", "值班员 陈静"];
/// Section and community staff who handle tickets.
pub(crate) const HANDLERS: &[&str] = &[
    "城管科 李强",
    "平安建设办 王磊",
    "社区建设办 赵丽",
    "民生保障办 孙伟",
    "和平里社区 周娜",
    "槐荫社区 吴刚",
    "网格员 郑浩",
    "街巷长 冯雪",
];

const COMMUNITIES: &[(&str, &str, u32)] = &[
    ("c01", "和平里社区", 6),
    ("c02", "槐荫社区", 5),
    ("c03", "青年湖社区", 7),
    ("c04", "柳荫街社区", 4),
    ("c05", "安华里社区", 6),
    ("c06", "北新仓社区", 5),
    ("c07", "东河沿社区", 4),
    ("c08", "枣林社区", 5),
    ("c09", "桃园村", 3),
    ("c10", "新兴里社区", 5),
];

/// The demo street's communities.
pub fn communities() -> Vec<Community> {
    COMMUNITIES
        .iter()
        .map(|(id, name, grids)| Community {
            id: (*id).into(),
            name: (*name).into(),
            grid_count: *grids,
        })
        .collect()
}

/// The demo street's department directory.
pub fn departments() -> Vec<Department> {
    use DepartmentKind::*;
    let rows: &[(&str, &str, DepartmentKind, &str, &str)] = &[
        (
            "d01",
            "区城管执法局和乐街道执法队",
            Functional,
            "010-64010001",
            "马骏",
        ),
        ("d02", "和乐派出所", FieldUnit, "010-64010002", "高峰"),
        (
            "d03",
            "区交通支队和乐大队",
            FieldUnit,
            "010-64010003",
            "林涛",
        ),
        (
            "d04",
            "区住房和城乡建设委员会",
            Functional,
            "010-64010004",
            "何平",
        ),
        (
            "d05",
            "区市场监管局和乐所",
            FieldUnit,
            "010-64010005",
            "罗敏",
        ),
        ("d06", "区生态环境局", Functional, "010-64010006", "梁晨"),
        (
            "d07",
            "区消防救援支队和乐站",
            FieldUnit,
            "010-64010007",
            "宋毅",
        ),
        ("d08", "区园林绿化局", Functional, "010-64010008", "唐宁"),
        ("d09", "区排水集团", PublicService, "010-64010009", "韩冬"),
        (
            "d10",
            "自来水集团东区分公司",
            PublicService,
            "010-64010010",
            "曹阳",
        ),
        (
            "d11",
            "供电公司城东供电中心",
            PublicService,
            "010-64010011",
            "许诺",
        ),
        (
            "d12",
            "燃气集团第三分公司",
            PublicService,
            "010-64010012",
            "邓超",
        ),
        (
            "d13",
            "热力集团城东分公司",
            PublicService,
            "010-64010013",
            "彭辉",
        ),
        (
            "d14",
            "通信运营商和乐营业部",
            PublicService,
            "010-64010014",
            "董洁",
        ),
        (
            "d15",
            "区第六医院（驻区单位）",
            Resident,
            "010-64010015",
            "袁芳",
        ),
        (
            "d16",
            "和乐中学（驻区单位）",
            Resident,
            "010-64010016",
            "潘越",
        ),
    ];
    rows.iter()
        .map(|(id, name, kind, phone, liaison)| Department {
            id: (*id).into(),
            name: (*name).into(),
            kind: *kind,
            phone: (*phone).into(),
            liaison: (*liaison).into(),
            liaison_phone: String::new(),
            note: String::new(),
        })
        .collect()
}
