//! Realistic Chinese text for demo tickets: what callers say, addresses, replies. Invented.

use streetdesk_core::policy::Urgency;
use streetdesk_core::taxonomy::CATEGORIES;

/// For each category (by index into `CATEGORIES`), a few things callers say.
const MATTERS: &[&[&str]] = &[
    &[
        "物业长期不打扫楼道，垃圾堆积，要求物业履行服务义务。",
        "小区物业费上涨未公示，业主意见很大，希望街道协调。",
    ],
    &[
        "单元电梯故障停运三天，家中有老人上下楼困难，请尽快维修。",
        "电梯运行时异响明显，担心安全，要求检修。",
    ],
    &[
        "楼顶有人私自加盖彩钢板房，存在安全隐患，要求查处。",
        "邻居在院内违规扩建，占用公共通道。",
    ],
    &[
        "顶楼房屋漏水，墙面发霉，联系物业多次未处理。",
        "楼上卫生间漏水至我家，协商无果，请求协调。",
    ],
    &[
        "早市摊贩占用人行道经营，行人只能走机动车道，很危险。",
        "路口有流动商贩聚集，晚上经营到很晚，影响通行。",
    ],
    &[
        "小区垃圾桶满溢两天无人清运，气味很大。",
        "胡同里堆放大量装修垃圾，无人清理。",
    ],
    &[
        "胡同内有人私搭棚子堆放杂物，影响消防通道。",
        "绿地被圈占种菜，要求恢复。",
    ],
    &[
        "胡同里长期停放僵尸车，影响居民通行。",
        "小区门口车辆乱停，救护车无法进入。",
    ],
    &[
        "楼前大树枝杈遮挡窗户，影响采光，申请修剪。",
        "行道树枯枝随时可能掉落，存在安全隐患。",
    ],
    &[
        "小区突然停水，未见任何通知，请问何时恢复？",
        "自来水水压很低，高层住户无法正常用水。",
    ],
    &[
        "整栋楼停电已超过四小时，冰箱里的药品需要冷藏。",
        "楼道灯和公共照明不亮，晚上出行不便。",
    ],
    &[
        "家中暖气不热，室温只有十四度，老人孩子受不了。",
        "供暖开始后暖气一直不热，物业推给热力公司。",
    ],
    &[
        "楼道里闻到明显的燃气味，担心泄漏，请尽快派人检查。",
        "燃气表显示异常，燃气公司电话打不通。",
    ],
    &[
        "附近工地夜间施工到凌晨，噪声严重扰民。",
        "工地早上六点就开始施工，影响休息。",
    ],
    &[
        "楼下商铺音响声音很大，从早到晚不停。",
        "广场舞音响音量过大，晚上十点后仍未停止。",
    ],
    &[
        "楼下餐馆油烟直排，家里窗户都不敢开。",
        "烧烤店油烟和噪声扰民，要求整改。",
    ],
    &[
        "路灯连续一周不亮，晚上走路很不安全。",
        "小区门口路灯损坏，要求维修。",
    ],
    &[
        "人行道井盖缺失，已有行人险些掉入，请尽快处理。",
        "路面井盖松动，车辆经过响声很大。",
    ],
    &[
        "小区内有无证经营的小作坊，卫生条件很差。",
        "路边摊卖熟食无任何证照，担心食品安全。",
    ],
    &[
        "独居老人想了解社区养老助餐服务如何申请。",
        "咨询居家养老服务补贴的申请条件和流程。",
    ],
    &[
        "家庭困难想咨询低保申请需要准备哪些材料。",
        "低保申请已提交一个月，想了解办理进度。",
    ],
    &[
        "楼道和地下室老鼠很多，希望组织灭鼠。",
        "小区绿地蚊虫滋生严重，要求消杀。",
    ],
    &[
        "楼道里堆满杂物和电动车，堵塞消防通道。",
        "有人在楼道里给电动车充电，存在火灾隐患。",
    ],
    &[
        "与邻居因噪音问题发生纠纷，希望社区调解。",
        "邻居家狗经常深夜吠叫，沟通无效。",
    ],
];

const STREETS: &[&str] = &[
    "和乐大街",
    "槐荫胡同",
    "柳荫北街",
    "青年湖南路",
    "安华西里",
    "北新仓胡同",
    "东河沿街",
    "枣林前街",
    "桃园路",
    "新兴东巷",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "桂兰", "建国", "淑珍", "志强", "玉兰", "海燕",
];
const SECTIONS: &[&str] = &[
    "城市管理办公室",
    "平安建设办公室",
    "社区建设办公室",
    "民生保障办公室",
    "综合行政执法队",
];
const PROGRESS: &[&str] = &[
    "已电话联系诉求人，了解具体情况，约定现场查看时间。",
    "工作人员到现场核实，情况属实，已通知责任单位。",
    "已协调物业公司，物业承诺三日内处理完毕。",
    "联合执法队现场劝离，并张贴整改通知。",
    "已联系产权单位，正在安排维修人员。",
];
const REPLIES: &[&str] = &[
    "经核实，问题已处理完毕，诉求人表示认可。",
    "已协调相关单位完成维修，恢复正常使用。",
    "执法队已现场处置，后续将加强巡查。",
    "已向诉求人解释相关政策，并告知办理流程。",
    "因涉及产权问题暂无法彻底解决，已纳入后续治理计划并向诉求人说明。",
];

const CONTACTS: &[&str] = &[
    "已电话联系诉求人，说明办理安排。",
    "诉求人电话未接通，已发短信告知，稍后再联系。",
    "已上门与诉求人面谈，记录具体诉求。",
];
const OBJECTIONS: &[&str] = &[
    "经核实，诉求地点不属于本街道辖区。",
    "该事项属于区级部门职权，街道无处置权限。",
    "诉求涉及产权单位内部管理，应由产权单位办理。",
];

/// What was agreed when the caller was reached.
pub(crate) fn contact(rng: &mut fastrand::Rng) -> &'static str {
    CONTACTS[rng.usize(..CONTACTS.len())]
}

/// Why the street objects to a dispatch.
pub(crate) fn objection(rng: &mut fastrand::Rng) -> &'static str {
    OBJECTIONS[rng.usize(..OBJECTIONS.len())]
}

/// The hotline's decision on an objection.
pub(crate) fn objection_decision(upheld: bool) -> &'static str {
    if upheld {
        "异议成立，已改派至相关单位。"
    } else {
        "异议不成立，按属地管理原则由街道继续办理。"
    }
}

/// A category path and what the caller said about it.
pub(crate) fn matter(rng: &mut fastrand::Rng) -> (&'static str, String) {
    let i = rng.usize(..CATEGORIES.len());
    let sayings = MATTERS[i % MATTERS.len()];
    (
        CATEGORIES[i],
        sayings[rng.usize(..sayings.len())].to_owned(),
    )
}

/// The 每月一题 theme (a tag) that a category's tickets belong to, if any.
pub(crate) fn monthly_theme(category: &str) -> Option<&'static str> {
    let themes = [
        ("/停车管理/", "每月一题·停车难"),
        ("/物业管理/", "每月一题·物业服务"),
        ("/供暖/", "每月一题·供暖"),
        ("/噪声污染/", "每月一题·噪声扰民"),
    ];
    themes
        .iter()
        .find(|(part, _)| category.contains(part))
        .map(|(_, theme)| *theme)
}

/// How pressing a matter of this category usually is.
pub(crate) fn urgency_of(category: &str) -> Urgency {
    if category.ends_with("燃气异味") || category.ends_with("井盖缺失") {
        Urgency::Emergency
    } else if category.starts_with("公共服务/") {
        Urgency::Utility
    } else if category.ends_with("违法建设") || category.ends_with("房屋漏水") {
        Urgency::Complex
    } else {
        Urgency::General
    }
}

/// An address in the demo street.
pub(crate) fn address(rng: &mut fastrand::Rng, community: &str) -> String {
    let street = STREETS[rng.usize(..STREETS.len())];
    match rng.u8(0..3) {
        0 => format!("{street}{}号", rng.u32(1..120)),
        1 => format!("{community}{}号楼{}单元", rng.u32(1..30), rng.u32(1..6)),
        _ => format!("{street}{}号院{}号楼", rng.u32(1..80), rng.u32(1..12)),
    }
}

/// A caller's name.
pub(crate) fn person_name(rng: &mut fastrand::Rng) -> String {
    let s = SURNAMES[rng.usize(..SURNAMES.len())];
    match rng.u8(0..4) {
        0 => format!("{s}先生"),
        1 => format!("{s}女士"),
        _ => format!("{s}{}", GIVEN[rng.usize(..GIVEN.len())]),
    }
}

/// A caller's phone: mostly mobile, some Beijing landlines.
pub(crate) fn phone(rng: &mut fastrand::Rng) -> String {
    if rng.u8(0..10) < 8 {
        let prefix = ["135", "138", "139", "150", "186", "188", "177", "199"][rng.usize(..8)];
        format!("{prefix}{:08}", rng.u32(0..100_000_000))
    } else {
        format!("010-6{:07}", rng.u32(0..10_000_000))
    }
}

/// A section of the street office.
pub(crate) fn section(rng: &mut fastrand::Rng) -> &'static str {
    SECTIONS[rng.usize(..SECTIONS.len())]
}

/// A progress note.
pub(crate) fn progress(rng: &mut fastrand::Rng) -> &'static str {
    PROGRESS[rng.usize(..PROGRESS.len())]
}

/// A reply text.
pub(crate) fn reply(rng: &mut fastrand::Rng) -> &'static str {
    REPLIES[rng.usize(..REPLIES.len())]
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_category_has_sayings() {
        assert_eq!(super::MATTERS.len(), super::CATEGORIES.len());
    }
}
