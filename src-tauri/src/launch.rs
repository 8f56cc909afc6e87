//! Launch options (flags and environment), where data and logs live, and first-run set-up.

use std::path::PathBuf;
use streetdesk_core::dto::AppView;
use streetdesk_core::error::ApiResult;
use streetdesk_demo::DemoOptions;
use streetdesk_store::Store;
use tauri::Manager;

/// How the app was asked to start.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchOptions {
    /// `--data-dir DIR` or `STREETDESK_DATA_DIR`; otherwise the platform's app-data directory.
    pub data_dir: Option<PathBuf>,
    /// False with `--no-demo` or `STREETDESK_NO_DEMO=1`: an empty street gets its directory
    /// (communities, departments) but no demo tickets.
    pub demo: bool,
    /// `--view NAME`: the view to open on (a desktop shortcut straight to the backlog).
    pub view: AppView,
    /// Arguments not understood, logged once logging is up.
    pub ignored: Vec<String>,
}

impl LaunchOptions {
    /// Reads the environment, then the command line (which wins).
    pub fn from_env_and_args(args: impl IntoIterator<Item = String>) -> Self {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut opts = LaunchOptions {
            data_dir: env("STREETDESK_DATA_DIR").map(PathBuf::from),
            demo: !matches!(
                env("STREETDESK_NO_DEMO").as_deref(),
                Some("1" | "true" | "yes")
            ),
            view: AppView::default(),
            ignored: Vec::new(),
        };
        let mut args = args.into_iter().peekable();
        // A flag's value, unless the next word is itself a flag (`--view --no-demo`).
        let value = |args: &mut std::iter::Peekable<_>| {
            args.next_if(|next: &String| !next.starts_with("--"))
        };
        while let Some(a) = args.next() {
            match a.as_str() {
                "--no-demo" => opts.demo = false,
                "--data-dir" => match value(&mut args) {
                    Some(dir) => opts.data_dir = Some(PathBuf::from(dir)),
                    None => opts.ignored.push(a),
                },
                "--view" => match value(&mut args) {
                    Some(name) => opts.set_view(&name, &format!("--view {name}")),
                    None => opts.ignored.push(a),
                },
                other => {
                    if let Some(dir) = other.strip_prefix("--data-dir=") {
                        opts.data_dir = Some(PathBuf::from(dir));
                    } else if let Some(name) = other.strip_prefix("--view=") {
                        opts.set_view(name, other);
                    } else {
                        opts.ignored.push(other.to_owned());
                    }
                }
            }
        }
        opts
    }

    fn set_view(&mut self, name: &str, written: &str) {
        match AppView::parse(name) {
            Some(view) => self.view = view,
            None => self.ignored.push(written.to_owned()),
        }
    }
}

/// Chooses WebKitGTK's renderer before GTK starts (Linux only). Its DMA-BUF renderer brings
/// up Mesa's GL stack even where the page needs no GPU: measured under Xvfb that costs 0.3 to
/// 0.6 s of a start from a cold disk and 100 MB in the web process, and it is the renderer
/// behind blank windows on some GPUs and virtual machines. A dense table UI loses nothing
/// without it. An officer's own `WEBKIT_DISABLE_DMABUF_RENDERER` (e.g. `0`) wins.
pub fn choose_renderer() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // Called first thing in `run`, before any other thread exists.
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// Where this run keeps its database and its logs.
pub struct Dirs {
    /// Directory of the SQLite database.
    pub data_dir: PathBuf,
    /// Directory of the log files.
    pub log_dir: PathBuf,
}

/// The platform's directories, unless a data directory was given; then logs go beside the data
/// so that a test or a portable install keeps everything in one place.
pub fn resolve_dirs(opts: &LaunchOptions, app: &tauri::AppHandle) -> tauri::Result<Dirs> {
    Ok(match &opts.data_dir {
        Some(dir) => Dirs {
            data_dir: dir.clone(),
            log_dir: dir.join("logs"),
        },
        None => Dirs {
            data_dir: app.path().app_data_dir()?,
            log_dir: app.path().app_log_dir()?,
        },
    })
}

/// On a first start, lays out the street: the demo street, or only its directory.
pub fn prepare_street(store: &mut Store, demo: bool) -> ApiResult<()> {
    if !store.communities()?.is_empty() {
        return Ok(());
    }
    if demo {
        tracing::info!("empty database: creating the demo street");
        streetdesk_demo::populate(store, DemoOptions::default())
    } else {
        tracing::info!("empty database, demo off: creating the street directory only");
        store.set_street_name(streetdesk_demo::STREET_NAME)?;
        store.upsert_directory(
            &streetdesk_demo::communities(),
            &streetdesk_demo::departments(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> LaunchOptions {
        LaunchOptions::from_env_and_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn flags_choose_data_dir_and_demo() {
        let o = parse(&["--data-dir", "/tmp/x", "--no-demo"]);
        assert_eq!(o.data_dir.as_deref(), Some(std::path::Path::new("/tmp/x")));
        assert!(!o.demo);
        let o = parse(&["--data-dir=/srv/street"]);
        assert_eq!(
            o.data_dir.as_deref(),
            Some(std::path::Path::new("/srv/street"))
        );
        assert!(o.ignored.is_empty());
    }

    #[test]
    fn view_flag_names_a_view_and_an_unknown_one_is_set_aside() {
        assert_eq!(parse(&[]).view, AppView::Workbench);
        assert_eq!(parse(&["--view", "backlog"]).view, AppView::Backlog);
        assert_eq!(parse(&["--view=statistics"]).view, AppView::Statistics);
        let o = parse(&["--view", "tickets", "--frobnicate", "--view=all"]);
        assert_eq!(o.view, AppView::Workbench);
        assert_eq!(o.ignored, ["--view tickets", "--frobnicate", "--view=all"]);
        for v in AppView::ALL {
            assert_eq!(parse(&["--view", v.name()]).view, v);
        }
    }

    #[test]
    fn a_flag_missing_its_value_does_not_swallow_the_next_flag() {
        let o = parse(&["--view", "--no-demo"]);
        assert_eq!(o.view, AppView::Workbench);
        assert!(!o.demo);
        assert_eq!(o.ignored, ["--view"]);
        let o = parse(&["--data-dir", "--view", "backlog", "--data-dir"]);
        assert_eq!(o.data_dir, None);
        assert_eq!(o.view, AppView::Backlog);
        assert_eq!(o.ignored, ["--data-dir", "--data-dir"]);
    }

    #[test]
    fn a_street_without_demo_has_communities_and_no_tickets() {
        let mut store = Store::open_in_memory().unwrap();
        prepare_street(&mut store, false).unwrap();
        assert!(store.communities().unwrap().len() >= 8);
        assert_eq!(store.ticket_count().unwrap(), 0);
        // A second start changes nothing.
        prepare_street(&mut store, true).unwrap();
        assert_eq!(store.ticket_count().unwrap(), 0);
    }
}
