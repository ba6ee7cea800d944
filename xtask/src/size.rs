//! `cargo xtask size`: the size ledger. Builds the shipped bundle (`dist/`, split by route),
//! prints each asset raw, gzipped and brotli'd, the first load of every route (the main module
//! and, for a lazy page, its modules), every view's code, and (with `twiggy` on the PATH) the
//! wasm's largest contributors from a build that keeps names; fails when the gzipped first load
//! of `/` grew past the budget recorded in `docs/size-budget.txt` (`--record` writes it there).
//!
//! `cargo xtask test` checks the budget against the `dist/` its end-to-end tier builds.

use crate::{cmd, dist, output, root, run, target_dir};
use std::io::Write;
use std::path::Path;

/// Slack over the recorded budget before the check fails (compression noise, tiny changes).
const SLACK_BYTES: u64 = 1024;

fn budget_file() -> std::path::PathBuf {
    root().join("docs/size-budget.txt")
}

/// `data` compressed at the settings a static host uses for pre-compressed assets: gzip 9.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// … and brotli 11.
pub fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).unwrap();
    out
}

fn gz(data: &[u8]) -> u64 {
    gzip(data).len() as u64
}

fn br(data: &[u8]) -> u64 {
    brotli(data).len() as u64
}

/// Writes a brotli and a gzip copy beside every text and wasm asset of a built site, for hosts
/// that serve stored objects with their `Content-Encoding` (S3, GCS; the README's hosting
/// section). A copy that would not be smaller is left out.
pub fn precompress(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        // Not config.json: it is edited after deploy, and a stale copy would win.
        if !["wasm", "js", "css", "html", "svg"].contains(&ext) {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (suffix, bytes) in [("gz", gzip(&data)), ("br", brotli(&data))] {
            let mut out = path.clone().into_os_string();
            out.push(format!(".{suffix}"));
            if bytes.len() < data.len() {
                std::fs::write(&out, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            } else {
                let _ = std::fs::remove_file(&out);
            }
        }
    }
    Ok(())
}

/// Every code asset of a built `dist/` (wasm, js, css): (name, raw, gzip, brotli), largest
/// first.
pub fn measure(dist: &Path) -> Result<Vec<(String, u64, u64, u64)>, String> {
    let mut rows = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if [".wasm", ".js", ".css"].iter().any(|x| name.ends_with(x)) {
            let data = std::fs::read(e.path()).map_err(|e| format!("{name}: {e}"))?;
            rows.push((name, data.len() as u64, gz(&data), br(&data)));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    Ok(rows)
}

/// A module split off the main one: a lazy page's or a chunk they share, loaded on demand.
fn is_chunk(name: &str) -> bool {
    name.ends_with(".wasm") && (name.starts_with("chunk_") || name.starts_with("split_"))
}

/// What each route loads first: (route, files, gzip, brotli). The main module, its glue, the
/// link module, the boot module and the CSS for every route (`/` and `/issues` need no more);
/// a lazy page adds its module and the chunks it needs (from the link module's loaders).
pub fn routes(dist: &Path) -> Result<Vec<(String, usize, u64, u64)>, String> {
    let rows = measure(dist)?;
    let base: Vec<_> = rows.iter().filter(|r| !is_chunk(&r.0)).collect();
    let sum = |rs: &[&(String, u64, u64, u64)]| -> (u64, u64) {
        rs.iter().fold((0, 0), |a, r| (a.0 + r.2, a.1 + r.3))
    };
    let (g, b) = sum(&base);
    let mut out = vec![("/, /issues".to_owned(), base.len(), g, b)];
    let link = rows
        .iter()
        .find(|r| r.0.starts_with("split-") && r.0.ends_with(".js"))
        .and_then(|r| std::fs::read_to_string(dist.join(&r.0)).ok())
        .unwrap_or_default();
    let loaders = crate::split::loaders(&link);
    for (page, files) in crate::split::pages(&loaders) {
        let mut rs = base.clone();
        rs.extend(rows.iter().filter(|r| files.contains(&r.0)));
        let (g, b) = sum(&rs);
        out.push((crate::split::route_of(&page), rs.len(), g, b));
    }
    let (g, b) = rows.iter().fold((0, 0), |a, r| (a.0 + r.2, a.1 + r.3));
    out.push(("every view's code".into(), rows.len(), g, b));
    Ok(out)
}

/// The gzipped first load of `/` (what the budget holds).
fn first_load(dist: &Path) -> Result<u64, String> {
    Ok(routes(dist)?.first().map_or(0, |r| r.2))
}

fn kb(b: u64) -> String {
    format!("{:.1} KB", b as f64 / 1024.0)
}

fn recorded_budget() -> Option<u64> {
    let text = std::fs::read_to_string(budget_file()).ok()?;
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("gzip_bytes ="))
        .find_map(|v| v.trim().parse().ok())
}

/// Fails when the gzipped first load of `dist` is above the recorded budget (plus slack).
pub fn check_budget(dist: &Path) -> Result<(), String> {
    let total = first_load(dist)?;
    match recorded_budget() {
        Some(b) if total > b + SLACK_BYTES => Err(format!(
            "size: the first load of / is {} gzipped, over the budget of {} in docs/size-budget.txt \
             (+{} slack). Find what grew with `cargo xtask size`; if the growth is worth it, \
             record it with `cargo xtask size --record` and say why in the commit.",
            kb(total),
            kb(b),
            kb(SLACK_BYTES)
        )),
        Some(b) => {
            eprintln!("  size: {} gzipped, budget {}", kb(total), kb(b));
            Ok(())
        }
        None => Err("size: docs/size-budget.txt has no `gzip_bytes = N` line".into()),
    }
}

pub fn command(args: &[String]) -> Result<(), String> {
    dist(None)?;
    let dist_dir = root().join("dist");
    let rows = measure(&dist_dir)?;
    println!("| asset | raw | gzip | brotli |\n|---|---:|---:|---:|");
    let mut chunks = (0usize, 0u64, 0u64, 0u64);
    for (name, raw, g, b) in &rows {
        if is_chunk(name) {
            chunks = (chunks.0 + 1, chunks.1 + raw, chunks.2 + g, chunks.3 + b);
        } else {
            println!("| {name} | {} | {} | {} |", kb(*raw), kb(*g), kb(*b));
        }
    }
    println!(
        "| {} split modules (lazy pages and their chunks) | {} | {} | {} |",
        chunks.0,
        kb(chunks.1),
        kb(chunks.2),
        kb(chunks.3)
    );
    println!("\n| first load of | files | gzip | brotli |\n|---|---:|---:|---:|");
    let routes = routes(&dist_dir)?;
    for (route, n, g, b) in &routes {
        println!("| {route} | {n} | {} | {} |", kb(*g), kb(*b));
    }
    let (g, b) = routes.first().map_or((0, 0), |r| (r.2, r.3));
    if args.iter().any(|a| a == "--record") {
        let text = format!(
            "# The shipped first load of / (wasm + js + css), gzipped at level 9, in bytes.\n\
             # `cargo xtask test` fails when dist/ grows past this (+{SLACK_BYTES} bytes);\n\
             # `cargo xtask size --record` rewrites it. Brotli (quality 11) at recording: {b}.\n\
             gzip_bytes = {g}\n"
        );
        std::fs::write(budget_file(), text).map_err(|e| e.to_string())?;
        println!("\nrecorded: gzip_bytes = {g}");
    }
    if output(cmd("twiggy").arg("--version")).is_some() {
        // A build of the same code that keeps function names (the shipped one has none).
        run(cmd("cargo").args([
            "build",
            "--profile",
            "wasm-profile",
            "--target",
            "wasm32-unknown-unknown",
            "--bin",
            "lookout",
        ]))?;
        let wasm = target_dir().join("wasm32-unknown-unknown/wasm-profile/lookout.wasm");
        let csv = output(
            cmd("twiggy")
                .args(["top", "-n", "1000000", "-f", "csv"])
                .arg(&wasm),
        )
        .ok_or("twiggy top failed")?;
        print_contributors(&csv);
    } else {
        println!(
            "\n(install twiggy — `cargo install twiggy --locked` — for the largest contributors)"
        );
    }
    if args.iter().any(|a| a == "--record") {
        Ok(())
    } else {
        check_budget(&dist_dir)
    }
}

/// The fields of one CSV line (twiggy quotes names that hold commas or quotes).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The crate a symbol's code belongs to: `<a::B as c::D>::f` → `a`, `<T as c::D>::f` → `c`,
/// `core[1f2e]::fmt::x` → `core`.
fn crate_of(symbol: &str) -> String {
    let mut s = symbol.trim_start_matches(['<', '&', '*']);
    for p in ["impl ", "mut ", "dyn ", "const "] {
        s = s.strip_prefix(p).unwrap_or(s);
    }
    let first = |s: &str| -> String {
        let head = s.split("::").next().unwrap_or(s);
        let head = head.split(['<', ' ', '[']).next().unwrap_or(head);
        head.to_owned()
    };
    let head = first(s);
    // A generic parameter (`T`, `F`) says nothing: take the trait's crate.
    if !head.chars().any(|c| c.is_ascii_lowercase()) {
        if let Some((_, t)) = s.split_once(" as ") {
            return first(t.trim_start_matches(['<', '&']));
        }
    }
    head
}

/// Code and data by crate, and the largest functions, from `twiggy top -f csv`. Custom
/// sections (names, debug info, wasm-bindgen's descriptors) are left out: wasm-bindgen and
/// wasm-opt strip them from the shipped file.
fn print_contributors(csv: &str) {
    let mut by_crate: Vec<(String, u64)> = Vec::new();
    let mut functions: Vec<(String, u64)> = Vec::new();
    let mut data = 0u64;
    for line in csv.lines().skip(1) {
        let f = csv_fields(line);
        let (Some(name), Some(size)) = (f.first(), f.get(1).and_then(|s| s.parse::<u64>().ok()))
        else {
            continue;
        };
        if name.starts_with("custom section")
            || name.contains("subsection")
            || name.starts_with('Σ')
        {
            continue;
        }
        if name.starts_with("data segment") || name.starts_with("data[") {
            data += size;
            continue;
        }
        if !name.contains("::") {
            continue;
        }
        let c = crate_of(name);
        match by_crate.iter_mut().find(|(n, _)| *n == c) {
            Some(e) => e.1 += size,
            None => by_crate.push((c, size)),
        }
        functions.push((name.clone(), size));
    }
    by_crate.sort_by_key(|c| std::cmp::Reverse(c.1));
    functions.sort_by_key(|f| std::cmp::Reverse(f.1));
    let code: u64 = by_crate.iter().map(|c| c.1).sum();
    println!("\ncode by crate (named functions, before wasm-bindgen and wasm-opt; {} of code, {} of data segments):", kb(code), kb(data));
    println!("| crate | code | share |\n|---|---:|---:|");
    for (c, n) in by_crate.iter().take(20) {
        println!(
            "| {c} | {} | {:.1} % |",
            kb(*n),
            *n as f64 * 100.0 / code.max(1) as f64
        );
    }
    println!("\nlargest functions:");
    for (f, n) in functions.iter().take(15) {
        let short: String = f.chars().take(110).collect();
        println!("  {:>9}  {short}", kb(*n));
    }
}
