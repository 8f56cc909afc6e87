//! Large appends take a parallel path (serialise and fold on helper threads); small ones do
//! not. Whatever the batch sizes, the same events must leave the same projection, equal to a
//! rebuild from the log.

use streetdesk_core::time::now_beijing;
use streetdesk_core::{DeviceId, Event};
use streetdesk_demo::{communities, departments, generate, DemoOptions};
use streetdesk_store::Store;

fn events() -> Vec<Event> {
    let opts = DemoOptions {
        tickets: 600,
        days: 40,
        seed: 7,
    };
    let mut all = Vec::new();
    generate(opts, now_beijing(), DeviceId::new(), |window| {
        all.extend(window);
        Ok(())
    })
    .unwrap();
    all
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.upsert_directory(&communities(), &departments()).unwrap();
    s
}

fn feed(s: &mut Store, events: &[Event], batch: usize) -> usize {
    events.chunks(batch).map(|c| s.append(c).unwrap()).sum()
}

#[test]
fn any_batch_size_leaves_the_same_projection_as_a_rebuild() {
    let all = events();
    assert!(all.len() > 4_000, "the test needs batches on both paths");
    let mut small = store();
    assert_eq!(feed(&mut small, &all, 97), all.len());
    let expected = small.projection_snapshot().unwrap();

    let mut large = store();
    // Batches large enough for the parallel path, so that most tickets arrive in one batch and
    // some are split across two (the second re-reads the first from the log).
    let (first, rest) = all.split_at(all.len() / 2);
    assert_eq!(feed(&mut large, first, 2_500), first.len());
    // A batch that repeats the first half whole, plus the rest: only the rest is new.
    let mut again = first.to_vec();
    again.extend_from_slice(rest);
    assert_eq!(large.append(&again).unwrap(), rest.len());
    assert_eq!(large.projection_snapshot().unwrap(), expected);

    large.rebuild_projections().unwrap();
    assert_eq!(large.projection_snapshot().unwrap(), expected);
    assert_eq!(large.event_count().unwrap(), all.len() as u64);
}
