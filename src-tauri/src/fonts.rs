//! Which Chinese fonts this machine has, so that the UI's font stack names only installed ones.
//!
//! WebKitGTK tries a stack's families in turn, and each one that is not installed costs it a
//! fontconfig search at every font size on the page: on a Linux desktop with only WenQuanYi, a
//! stack led by Noto Sans CJK made ~1,900 such calls before the backlog's first frame, ~1,100
//! without it. Windows and macOS ship their Chinese fonts, so only Linux asks.

use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

type Families = Option<Vec<String>>;

/// How long the start waits for the lookup at most: after that the UI names every family it
/// knows, which only costs the searches this lookup saves. fontconfig answers in 8–20 ms from its
/// caches, but rebuilds them first when they are stale, which can take seconds.
const WAIT: Duration = Duration::from_millis(250);

/// The installed Chinese font families, looked up on a thread of its own from launch: the first
/// fontconfig call reads its configuration and caches, which the start's first answer need not
/// wait for.
pub struct ChineseFonts {
    lookup: Mutex<Option<Receiver<Families>>>,
    families: OnceLock<Families>,
}

impl ChineseFonts {
    /// Starts the lookup (on Linux: elsewhere the platform's own fonts are known).
    pub fn look_up() -> Self {
        let (tx, rx) = mpsc::channel();
        if cfg!(target_os = "linux") {
            std::thread::spawn(move || tx.send(installed()));
        }
        Self {
            lookup: Mutex::new(Some(rx)),
            families: OnceLock::new(),
        }
    }

    /// The families, waiting up to [`WAIT`] for the lookup the first time; none where it failed,
    /// took longer, or is not needed.
    pub fn families(&self) -> Families {
        self.families
            .get_or_init(|| {
                let lookup = self.lookup.lock().ok()?.take()?;
                lookup.recv_timeout(WAIT).ok().flatten()
            })
            .clone()
    }
}

/// Families of the fonts that cover Simplified Chinese, each once, by its first (English) name.
#[cfg(target_os = "linux")]
fn installed() -> Families {
    use fontconfig::{list_fonts, Fontconfig, ObjectSet, Pattern};
    let fc = Fontconfig::new()?;
    let mut pattern = Pattern::new(&fc).ok()?;
    pattern.add_string(c"lang", c"zh-cn").ok()?;
    let mut objects = ObjectSet::new(&fc).ok()?;
    objects.add(c"family").ok()?;
    let fonts = list_fonts(&pattern, Some(&objects)).ok()?;
    let mut families: Vec<String> = fonts
        .iter()
        .filter_map(|font| font.get_string(c"family").ok().map(str::to_owned))
        .collect();
    families.sort();
    families.dedup();
    Some(families)
}

#[cfg(not(target_os = "linux"))]
fn installed() -> Families {
    None
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn finds_the_test_machine_s_chinese_font_and_no_latin_one() {
        let families = ChineseFonts::look_up()
            .families()
            .expect("fontconfig answers");
        // .ci/install-deps installs WenQuanYi Micro Hei for the UI's Chinese text.
        assert!(
            families.iter().any(|f| f == "WenQuanYi Micro Hei"),
            "{families:?}"
        );
        // fontconfig's own default Latin font is installed with it, and covers no Chinese.
        for latin in ["DejaVu Sans", "DejaVu Serif", "Liberation Sans"] {
            assert!(!families.iter().any(|f| f == latin), "{families:?}");
        }
    }

    #[test]
    fn keeps_the_answer_for_later_starts_of_the_ui() {
        let fonts = ChineseFonts::look_up();
        let first = fonts.families();
        assert!(first.is_some());
        // The lookup's channel is used up by the first answer; a reload of the UI gets it kept.
        assert!(fonts.lookup.lock().unwrap().is_none());
        assert_eq!(fonts.families(), first);
    }
}
