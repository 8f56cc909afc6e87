//! Kill a writing process with SIGKILL at random points during bulk writes. After each kill
//! the database must pass `PRAGMA integrity_check`, hold every event whose commit was
//! acknowledged, and have projections equal to a rebuild from the events.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use streetdesk_store::Store;

const KILLS: usize = 24;
const ROUNDS_PER_FILE: usize = 4;

#[test]
fn sigkill_during_bulk_writes_loses_no_acknowledged_event() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("crash test seed {seed} (CRASH_SEED={seed} reproduces it)");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut acknowledged: Vec<String> = Vec::new();
    let mut total_acknowledged = 0;
    let mut killed_mid_write = 0;

    for round in 0..KILLS {
        // A fresh file every few rounds keeps each check (a full rebuild) small; within a file
        // the writer is killed, restarted and killed again.
        let db = dir
            .path()
            .join(format!("street-{}.sqlite3", round / ROUNDS_PER_FILE));
        if round % ROUNDS_PER_FILE == 0 {
            acknowledged.clear();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_streetdesk-cli"))
            .args(["demo", "--db", db.to_str().unwrap(), "--append", "--acks"])
            .args(["--tickets", "1000", "--batch", "200"])
            .args(["--seed", &round.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        // Collect acknowledgements on a thread while the writer runs.
        let acks = Arc::new(Mutex::new(Vec::<String>::new()));
        let reader = {
            let acks = Arc::clone(&acks);
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(ids) = line.strip_prefix("ack ") {
                        acks.lock()
                            .unwrap()
                            .extend(ids.split(',').map(str::to_owned));
                    }
                }
            })
        };
        let delay = Duration::from_millis(rng.u64(20..1500));
        let start = Instant::now();
        while start.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if child.try_wait().unwrap().is_none() {
            killed_mid_write += 1;
        }
        child.kill().ok(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let new = std::mem::take(&mut *acks.lock().unwrap());
        total_acknowledged += new.len();
        acknowledged.extend(new);

        // Restart: open the file as the app would and check it.
        let mut store = Store::open(&db).expect("reopen after kill");
        store.integrity_check().expect("integrity_check after kill");
        for id in &acknowledged {
            assert!(
                store.has_event(id).unwrap(),
                "round {round}: acknowledged event {id} lost"
            );
        }
        let projected = store.projection_snapshot().unwrap();
        store.rebuild_projections().unwrap();
        assert_eq!(
            store.projection_snapshot().unwrap(),
            projected,
            "round {round}: projections differ from a rebuild"
        );
    }
    assert!(
        killed_mid_write >= 20,
        "only {killed_mid_write} of {KILLS} kills hit a running writer"
    );
    assert!(total_acknowledged > 0, "no write was ever acknowledged");
    eprintln!(
        "{killed_mid_write} kills mid-write, {total_acknowledged} acknowledged events all present"
    );
}
