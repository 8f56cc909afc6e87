//! Handing memory freed after a one-off load back to the operating system.

/// Returns the allocator's free memory to the operating system. glibc keeps what a large load
/// freed (the facet index reads every ticket once, at 1,000,000 tickets some 30 MB of rows
/// and SQLite pages) in its arenas for reuse, so without this the process would carry it for
/// the rest of the day. Other allocators give it back themselves: there it does nothing.
pub(crate) fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers; it only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
