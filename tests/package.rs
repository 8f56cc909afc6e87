//! The packages as an office PC gets them: the .deb installs with apt, the installed
//! `streetdesk` runs the demo street from the platform's data directory, and the officer's data
//! survives removing the package and upgrading from an older release, whose schema the new
//! one migrates.
//!
//! Needs root, or sudo without a password (apt and dpkg change the machine), and the packages
//! `.ci/test-all` builds:
//! `.ci/package --debug` (this tree, in `target/debug/bundle/deb/`) and `.ci/package-older`
//! (an older release, in `target/older/`). Each test purges the package when it ends.

use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use streetdesk_e2e::{click, register_ticket, wait_for, wait_for_text, Driver};

const PACKAGE: &str = "street-desk";
const INSTALLED: &str = "/usr/bin/streetdesk";
/// `identifier` in tauri.conf.json: the app's directory under the platform's data directory.
const APP_DIR: &str = ".local/share/cn.streetdesk.desktop";
const DB_FILE: &str = "streetdesk.sqlite3";

/// The tests install and remove one system package: one at a time.
static MACHINE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The one `StreetDesk_<version>_*.deb` in `dir` (the file is named for the product, the
/// package inside for apt).
fn deb_in(dir: &Path, version: Option<&str>) -> PathBuf {
    let prefix = format!("StreetDesk_{}", version.unwrap_or(""));
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}; build the packages first", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".deb")
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {prefix}*.deb in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

/// This tree's package (`.ci/package --debug`).
fn this_deb() -> PathBuf {
    deb_in(
        &target_dir().join("debug/bundle/deb"),
        Some(env!("CARGO_PKG_VERSION")),
    )
}

/// The older release's package (`.ci/package-older`).
fn older_deb() -> PathBuf {
    deb_in(&target_dir().join("older"), None)
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a command that changes the machine's packages: directly as root (CI), else through
/// `sudo -n`, as the set-up does.
fn as_root(program: &str, args: &[&str]) -> String {
    let root = run("id", &["-u"]).trim() == "0";
    let mut full = vec!["-n", "env", "DEBIAN_FRONTEND=noninteractive", program];
    full.extend_from_slice(args);
    if root {
        run("env", &full[2..])
    } else {
        run("sudo", &full)
    }
}

/// Installs a .deb the way an officer's admin would: apt resolves its dependencies.
fn apt_install(deb: &Path) {
    as_root(
        "apt-get",
        &[
            // A fresh VM's unattended upgrades may hold the lock for a while.
            "-o",
            "DPkg::Lock::Timeout=300",
            "install",
            "-y",
            "-q",
            "--allow-downgrades",
            deb.to_str().unwrap(),
        ],
    );
}

fn purge() {
    as_root("dpkg", &["--purge", PACKAGE]);
}

/// The installed version, if the package is installed.
fn installed_version() -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${db:Status-Abbrev}${Version}", PACKAGE])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.strip_prefix("ii ").map(|v| v.trim().to_owned())
}

/// A control field of a .deb.
fn control_field(deb: &Path, field: &str) -> String {
    run("dpkg-deb", &["-f", deb.to_str().unwrap(), field])
        .trim()
        .to_owned()
}

/// Leaves the machine without the package even when a test fails half-way.
struct PurgeOnDrop;

impl Drop for PurgeOnDrop {
    fn drop(&mut self) {
        if std::panic::catch_unwind(purge).is_err() {
            eprintln!("could not purge {PACKAGE}: remove it by hand");
        }
    }
}

/// Every file under `dir` with its bytes: equal before and after means untouched.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

fn read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn user_version(db: &Path) -> i64 {
    read_only(db)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// The schema version this tree creates.
fn current_schema() -> i64 {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(DB_FILE);
    drop(streetdesk_store::Store::open(&db).unwrap());
    user_version(&db)
}

/// The number in a text such as "共 2,000 件".
fn number_in(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Opens the backlog and waits until it lists tickets; returns the total it shows.
async fn open_backlog(c: &fantoccini::Client) -> i64 {
    click(c, "[data-testid=nav-backlog]").await;
    wait_for(c, "[data-testid=ticket-row]").await;
    let total = wait_for_text(c, "[data-testid=backlog-total]", |t| {
        number_in(t).is_some_and(|n| n > 0)
    })
    .await;
    number_in(&total).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deb_installs_and_the_installed_app_runs_the_demo_street() {
    let _one = MACHINE.lock().await;
    let deb = this_deb();

    // What apt reads: the name, Cargo's version, WebKitGTK 4.1, a CJK font recommended.
    assert_eq!(control_field(&deb, "Package"), PACKAGE);
    assert_eq!(control_field(&deb, "Version"), env!("CARGO_PKG_VERSION"));
    let depends = control_field(&deb, "Depends");
    assert!(
        depends.contains("libwebkit2gtk-4.1-0"),
        "Depends: {depends}"
    );
    assert!(depends.contains("libgtk-3-0"), "Depends: {depends}");
    let recommends = control_field(&deb, "Recommends");
    assert!(
        recommends.contains("fonts-noto-cjk"),
        "Recommends: {recommends}"
    );
    // No maintainer script runs on install, upgrade or removal: none can touch a user's data.
    let control = run("dpkg-deb", &["--info", deb.to_str().unwrap()]);
    for script in ["preinst", "postinst", "prerm", "postrm"] {
        assert!(
            !control.contains(script),
            "the package has a {script} script:\n{control}"
        );
    }

    purge();
    let _cleanup = PurgeOnDrop;
    apt_install(&deb);
    assert_eq!(
        installed_version().as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );

    // The files a desktop needs: the binary, a bilingual menu entry, the icons.
    let files = run("dpkg", &["-L", PACKAGE]);
    assert!(files.lines().any(|l| l == INSTALLED), "files: {files}");
    let entry = files
        .lines()
        .find(|l| l.starts_with("/usr/share/applications/") && l.ends_with(".desktop"))
        .unwrap_or_else(|| panic!("no desktop entry in {files}"));
    let entry = std::fs::read_to_string(entry).unwrap();
    for line in [
        "Name=StreetDesk",
        "Name[zh_CN]=街乡接诉即办指挥台",
        "Exec=streetdesk",
        "Icon=streetdesk",
    ] {
        assert!(entry.lines().any(|l| l == line), "{line} not in:\n{entry}");
    }
    for size in ["32x32", "128x128", "256x256"] {
        let icon = format!("/usr/share/icons/hicolor/{size}/apps/streetdesk.png");
        assert!(files.lines().any(|l| l == icon), "{icon} not in {files}");
    }
    // An `@2` directory holds icons for doubled screens (a 256 px one there is drawn at 512).
    assert!(!files.contains("@2/"), "a scaled icon directory in {files}");

    // The installed binary, started as a user would, opens on the demo street and keeps it in
    // the platform's data directory of that user.
    let home = tempfile::tempdir().unwrap();
    let driver = Driver::installed(Path::new(INSTALLED), home.path());
    let c = driver.launch().await;
    let total = open_backlog(&c).await;
    c.close().await.unwrap();
    drop(driver);
    let db = home.path().join(APP_DIR).join(DB_FILE);
    assert!(db.exists(), "no database at {}", db.display());
    let tickets: i64 = read_only(&db)
        .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
        .unwrap();
    assert!(tickets > 0, "the demo street has no tickets");
    assert_eq!(
        total, tickets,
        "the backlog's total and the database disagree"
    );
}

const HOTLINE_NO: &str = "2026112799001";
const CONTENT: &str = "升级前登记：槐荫胡同 3 号门口路灯不亮，夜间出行不便";

#[tokio::test(flavor = "multi_thread")]
async fn an_upgrade_migrates_the_older_release_s_data_and_removal_keeps_it() {
    let _one = MACHINE.lock().await;
    let older = older_deb();
    let newer = this_deb();
    let older_version = control_field(&older, "Version");
    run(
        "dpkg",
        &[
            "--compare-versions",
            &older_version,
            "lt",
            env!("CARGO_PKG_VERSION"),
        ],
    );

    purge();
    let _cleanup = PurgeOnDrop;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join(APP_DIR);
    let db = data.join(DB_FILE);

    // The older release: the demo street, plus a ticket of the officer's, signed for.
    apt_install(&older);
    assert_eq!(installed_version(), Some(older_version.clone()));
    let driver = Driver::installed(Path::new(INSTALLED), home.path());
    let c = driver.launch().await;
    open_backlog(&c).await;
    register_ticket(&c, HOTLINE_NO, CONTENT, "升级测试人", "13700001111").await;
    click(&c, "[data-testid=action-signed_for]").await;
    wait_for_text(&c, "[data-testid=ticket-row]", |t| t.contains("已签收")).await;
    c.close().await.unwrap();
    drop(driver);
    let old_schema = user_version(&db);
    let new_schema = current_schema();
    assert!(
        old_schema < new_schema,
        "the older release should have an older schema: {old_schema} vs {new_schema}"
    );
    let old_tickets: i64 = read_only(&db)
        .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
        .unwrap();

    // This release installed over it: the data is migrated and the ticket is where it was.
    apt_install(&newer);
    assert_eq!(
        installed_version().as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let driver = Driver::installed(Path::new(INSTALLED), home.path());
    let c = driver.launch().await;
    find_the_officers_ticket(&c).await;
    c.close().await.unwrap();
    drop(driver);
    assert_eq!(user_version(&db), new_schema, "the upgrade did not migrate");
    let conn = read_only(&db);
    let (count, signed): (i64, Option<i64>) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM tickets), \
             (SELECT signed_ms FROM tickets WHERE hotline_no = ?1)",
            [HOTLINE_NO],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    assert_eq!(count, old_tickets, "tickets lost or added by the upgrade");
    // A column the older schema did not have, filled from the older release's events.
    assert!(signed.is_some(), "the sign-for time was not rebuilt");

    // Removing, even purging, the package leaves the officer's data untouched.
    let before = snapshot(&data);
    as_root("apt-get", &["remove", "-y", "-q", PACKAGE]);
    assert!(!Path::new(INSTALLED).exists());
    assert!(installed_version().is_none());
    assert!(
        snapshot(&data) == before,
        "removing the package changed the data"
    );
    purge();
    assert!(
        snapshot(&data) == before,
        "purging the package changed the data"
    );

    // Installed again, it finds everything.
    apt_install(&newer);
    let driver = Driver::installed(Path::new(INSTALLED), home.path());
    let c = driver.launch().await;
    find_the_officers_ticket(&c).await;
    c.close().await.unwrap();
}

/// Searches the backlog for the ticket registered under the older release: one, signed for.
async fn find_the_officers_ticket(c: &fantoccini::Client) {
    open_backlog(c).await;
    wait_for(c, "[data-testid=search]")
        .await
        .send_keys(HOTLINE_NO)
        .await
        .unwrap();
    wait_for_text(c, "[data-testid=backlog-total]", |t| {
        number_in(t) == Some(1)
    })
    .await;
    let row = wait_for_text(c, "[data-testid=ticket-row]", |t| t.contains("路灯不亮")).await;
    assert!(row.contains("已签收"), "row: {row}");
    assert!(row.contains("137****1111"), "row: {row}");
}
