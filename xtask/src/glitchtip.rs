//! `cargo xtask glitchtip up | seed | down | status`: a live GlitchTip on loopback for the tests.
//!
//! `up` runs the setup recipe from `../shared/glitchtip/` (Debian PostgreSQL and Redis, GlitchTip's own
//! `uv.lock`, migrations, web on uvicorn and a celery worker, all on 127.0.0.1) with the source tarball
//! named by `GLITCHTIP_SRC` (default: the tarball in `../shared/glitchtip/`). `seed` makes a fresh
//! organization for one run (so runs never mix) and fills it through the real Python `sentry-sdk`
//! (`tests/glitchtip/seed.py`), waiting on GlitchTip's API until the worker has stored everything.
//! `down` stops what `up` started, by the PIDs the recipe saved.

use super::{root, run};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where GlitchTip's runtime files live: source, venvs, database, logs, PIDs. Outside `/root`, since
/// PostgreSQL runs as the `postgres` user and must reach its data directory.
pub fn home() -> PathBuf {
    std::env::var_os("LOOKOUT_GLITCHTIP_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/srv/lookout-glitchtip"))
}

fn shared() -> PathBuf {
    root().join("../shared/glitchtip")
}

fn recipe_dir() -> PathBuf {
    std::env::var_os("GLITCHTIP_RECIPE")
        .map(PathBuf::from)
        .unwrap_or_else(shared)
}

/// The GlitchTip backend source tarball (`GLITCHTIP_SRC`).
fn source() -> PathBuf {
    std::env::var_os("GLITCHTIP_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared().join("glitchtip-backend-c264800f.tar.gz"))
}

/// Why the live tier cannot run here, in one line, or `None` when it can.
pub fn missing() -> Option<String> {
    let src = source();
    let recipe = recipe_dir().join("recipe-setup.sh");
    if !src.exists() || !recipe.exists() {
        return Some(format!(
            "live GlitchTip tier: needs the GlitchTip backend source tarball (GLITCHTIP_SRC, now {}) and its setup \
             recipe (GLITCHTIP_RECIPE, now {}); both come with ../shared/glitchtip/ beside the project",
            src.display(),
            recipe_dir().display()
        ));
    }
    None
}

fn alive(name: &str) -> bool {
    let Ok(pid) = std::fs::read_to_string(home().join("run").join(format!("{name}.pid"))) else {
        return false;
    };
    Path::new("/proc").join(pid.trim()).exists()
}

/// Whether web and worker are running.
pub fn running() -> bool {
    alive("web") && alive("celery")
}

/// Starts GlitchTip (installing what is missing). Returns whether this call started it.
pub fn up() -> Result<bool, String> {
    if let Some(why) = missing() {
        return Err(why);
    }
    let was_running = running();
    let t0 = Instant::now();
    let setup = || {
        run(Command::new("bash")
            .arg(recipe_dir().join("recipe-setup.sh"))
            .env("GT_HOME", home())
            .env("GT_TARBALL", source()))
    };
    // The recipe's fixed ports (PostgreSQL 55432, Redis 56379) lie in Linux's ephemeral range: an
    // outgoing connection of an earlier test can hold one for a moment ("could not bind …
    // Address already in use"). Wait for them to be free, and try once more if it still failed.
    wait_free(&[55432, 56379], Duration::from_secs(30));
    if let Err(e) = setup() {
        eprintln!("glitchtip: setup failed ({e}); once more when its ports are free");
        let _ = down();
        wait_free(&[55432, 56379, 8000], Duration::from_secs(60));
        setup()?;
    }
    eprintln!(
        "glitchtip: up in {:.0}s ({})",
        t0.elapsed().as_secs_f64(),
        if was_running {
            "was already running"
        } else {
            "started"
        }
    );
    Ok(!was_running)
}

/// Stops what `up` started.
pub fn down() -> Result<(), String> {
    run(Command::new("bash")
        .arg(recipe_dir().join("recipe-stop.sh"))
        .env("GT_HOME", home()))
}

/// A fresh organization filled with the test fleet; returns the path of its run file (org, token, DSNs).
pub fn seed() -> Result<PathBuf, String> {
    let t0 = Instant::now();
    let runs = home().join("runs");
    std::fs::create_dir_all(&runs).map_err(|e| format!("{}: {e}", runs.display()))?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let org = format!("lookout-{stamp}");
    let file = runs.join(format!("{org}.json"));
    let provision = root().join("tests/glitchtip/provision_run.py");
    let script = format!(
        ". '{home}/env.sh' && cd '{home}/src' && ./manage.py shell < '{provision}'",
        home = home().display(),
        provision = provision.display()
    );
    run(Command::new("bash")
        .args(["-c", &script])
        .env("LOOKOUT_GT_ORG", &org)
        .env("LOOKOUT_GT_RUN_JSON", &file))?;
    run(Command::new(home().join("sender-venv/bin/python"))
        .arg(root().join("tests/glitchtip/seed.py"))
        .arg(&file))?;
    eprintln!(
        "glitchtip: seeded {org} in {:.0}s ({})",
        t0.elapsed().as_secs_f64(),
        file.display()
    );
    Ok(file)
}

/// `cargo xtask glitchtip …`
pub fn command(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("up") => up().map(|_| ()),
        Some("seed") => seed().map(|f| println!("{}", f.display())),
        Some("down") => down(),
        Some("status") => {
            println!("{}", if running() { "running" } else { "not running" });
            Ok(())
        }
        _ => Err("usage: cargo xtask glitchtip <up | seed | down | status>".into()),
    }
}

/// Waits (up to `limit`) until nothing holds any of `ports` on 127.0.0.1, judged by binding them.
fn wait_free(ports: &[u16], limit: Duration) {
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        let busy = ports.iter().any(|p| {
            std::net::TcpListener::bind(("127.0.0.1", *p)).is_err()
                && std::net::TcpStream::connect(("127.0.0.1", *p)).is_err()
        });
        if !busy {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
