//! Sync on the real app: link it to a real hub process from Settings › Sync, see it online,
//! see a ticket registered in the app reach the hub at once, see a ticket another PC pushes
//! appear in the open backlog without a click, and see it go offline when the hub goes away.
//! (F9, "sync now", is covered by the UI tests: here the hub's death shows without it.)

use std::process::{Child, Command, Stdio};
use std::time::Duration;
use streetdesk_core::dto::{NewTicket, SyncLinkForm};
use streetdesk_core::ticket::{TicketKind, TicketSource};
use streetdesk_e2e::{
    click, register_ticket, type_into, wait_for_text, wait_for_text_within, Driver,
};
use streetdesk_store::{Store, DB_FILE};

/// The hub binary, built if this run did not build it (it belongs to another package).
fn hub_binary() -> std::path::PathBuf {
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "streetdesk-hub"])
        .status()
        .unwrap();
    assert!(built.success());
    streetdesk_e2e::app_binary().with_file_name("streetdesk-hub")
}

struct Hub {
    child: Child,
    url: String,
    db: std::path::PathBuf,
    binary: std::path::PathBuf,
}

impl Hub {
    fn start(db: &std::path::Path) -> Hub {
        use std::io::BufRead;
        let binary = hub_binary();
        let mut child = Command::new(&binary)
            .arg("--db")
            .arg(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap()
            .to_owned();
        Hub {
            child,
            url,
            db: db.to_owned(),
            binary,
        }
    }

    fn code(&self, name: &str) -> String {
        let out = Command::new(&self.binary)
            .arg("--db")
            .arg(&self.db)
            .args(["code", "--name", name])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    fn events(&self) -> i64 {
        rusqlite::Connection::open(&self.db)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .unwrap()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn link_push_receive_and_go_offline() {
    let data = tempfile::tempdir().unwrap();
    let hub_dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::start(&hub_dir.path().join("hub.sqlite3"));
    let driver = Driver::start(data.path(), false);
    let c = driver.launch().await;

    // Unlinked, the status bar says so; a click opens Settings › Sync.
    wait_for_text(&c, "[data-testid=sync-state]", |t| {
        t.contains("未连接服务器")
    })
    .await;
    click(&c, "[data-testid=sync-state]").await;
    type_into(&c, "hubUrl", &hub.url).await;
    type_into(&c, "code", &hub.code("值班室")).await;
    type_into(&c, "deviceName", "值班室 1 号机").await;
    click(&c, "[data-testid=sync-link]").await;
    wait_for_text(&c, "[data-testid=sync-state]", |t| {
        t.contains("在线") && t.contains("待上传 0")
    })
    .await;

    // A ticket registered here leaves for the hub at once.
    let before = hub.events();
    register_ticket(
        &c,
        "2026112790101",
        "楼道灯不亮，夜间出行不便",
        "测试诉求人",
        "13766660101",
    )
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while hub.events() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "the registration never reached the hub"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for_text(&c, "[data-testid=sync-state]", |t| t.contains("待上传 0")).await;

    // Another PC registers a ticket: it shows in the open backlog by itself.
    let other_dir = tempfile::tempdir().unwrap();
    let other = std::sync::Mutex::new(Store::open(&other_dir.path().join(DB_FILE)).unwrap());
    other
        .lock()
        .unwrap()
        .upsert_directory(
            &streetdesk_demo::communities(),
            &streetdesk_demo::departments(),
        )
        .unwrap();
    let form = SyncLinkForm {
        hub_url: hub.url.clone(),
        code: hub.code("网格员笔记本"),
        device_name: "网格员笔记本".into(),
        certificate_pem: String::new(),
    };
    let link = streetdesk_sync::link::link(&other, &form).await.unwrap();
    other
        .lock()
        .unwrap()
        .register_ticket(&NewTicket {
            hotline_no: None,
            kind: TicketKind::Help,
            source: TicketSource::GridPatrol,
            category: "城市管理/市容环境/垃圾清运".into(),
            content: "网格巡查发现垃圾桶满溢".into(),
            address: "和乐西街 7 号".into(),
            community_id: "c03".into(),
            caller_name: "网格员".into(),
            caller_phone: "13766660102".into(),
            received_at: "2026-11-27T09:00".into(),
            urgency: streetdesk_core::policy::Urgency::General,
            deadline: None,
            grid: Some(1),
            location: None,
            related: None,
        })
        .unwrap();
    let client = streetdesk_sync::client::HubClient::for_link(&link).unwrap();
    streetdesk_sync::cycle::sync_once(&other, &client, 500)
        .await
        .unwrap();
    wait_for_text_within(
        &c,
        "[data-testid=backlog-rows]",
        Duration::from_secs(5),
        |t| t.contains("网格巡查发现垃圾桶满溢"),
    )
    .await;

    // The hub goes away: the waiting loop notices, and the status bar says offline.
    let _ = hub.child.kill();
    let _ = hub.child.wait();
    wait_for_text(&c, "[data-testid=sync-state]", |t| t.contains("离线")).await;
    c.close().await.unwrap();
}
