//! Peak resident memory of a process (Linux `VmHWM`), reset between phases so that each
//! figure is the phase's own.

/// Resets the peak to the current resident size (Linux ≥ 4.0); elsewhere does nothing.
pub(super) fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The peak resident size since the last reset, in KiB; 0 where the system does not say.
pub(super) fn peak_kb(pid: u32) -> u64 {
    status_kb(pid, "VmHWM:")
}

/// The resident size now, in KiB; 0 where the system does not say.
pub(super) fn resident_kb(pid: u32) -> u64 {
    status_kb(pid, "VmRSS:")
}
