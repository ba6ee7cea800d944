//! The shipped build, split by route (issue 18). Trunk has no split step (trunk-rs/trunk#1022), so
//! `cargo xtask dist` builds the site itself:
//!
//! 1. Trunk builds the page and its assets (CSS hashed and minified, `config.json`, the icon, the
//!    public URL) from a copy of `index.html` without the Rust link, in a folder without a
//!    `Cargo.toml` (else Trunk adds the Rust app back on its own);
//! 2. cargo builds the wasm with the `split` feature, the final link keeping its relocations
//!    (`cargo rustc … -- -C link-arg=--emit-relocs`: only the last link changes, so the
//!    dependencies stay cached);
//! 3. `wasm-split-cli` (`wasm_split_cli_support`, the splitter cargo-leptos uses) cuts it into the
//!    main module, one module per lazy page and the chunks they share, with a JS link module;
//! 4. wasm-bindgen (`--keep-lld-exports`: the chunks link against the main module's exports) and
//!    `wasm-opt -Oz` on every module;
//! 5. every file gets a content hash in its name, the references between them are rewritten, and
//!    the page gets a boot module and preload links for the main module; the boot module adds
//!    preload links for the modules of the lazy page the address opens.

use crate::{cmd, root, run_for, target_dir, tools_dir};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The splitter; its runtime half (`wasm_split_helpers`, through leptos) must be the same 0.2.x.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";

pub fn wasm_split_bin() -> PathBuf {
    tools_dir().join(format!(
        "wasm-split-{WASM_SPLIT_VERSION}/bin/wasm-split-cli"
    ))
}

/// Installs the splitter unless this version is there.
pub fn setup() -> Result<(), String> {
    if wasm_split_bin().exists() {
        eprintln!("  wasm-split-cli {WASM_SPLIT_VERSION}: present");
        return Ok(());
    }
    let prefix = tools_dir().join(format!("wasm-split-{WASM_SPLIT_VERSION}"));
    run_for(
        cmd("cargo")
            .args([
                "install",
                "wasm_split_cli_support",
                "--version",
                WASM_SPLIT_VERSION,
                "--features",
                "build-binary",
                "--locked",
                "--root",
            ])
            .arg(&prefix),
        Some(Duration::from_secs(20 * 60)),
    )
}

/// A content hash for file names (FNV-1a, 64 bits).
pub fn hash(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn read(p: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn write(p: &Path, data: impl AsRef<[u8]>) -> Result<(), String> {
    std::fs::write(p, data).map_err(|e| format!("{}: {e}", p.display()))
}

/// Replaces every `from` in `text`, failing when there is none (a renamed reference that is not
/// rewritten would load a file that does not exist).
fn replace_all(text: &str, from: &str, to: &str, what: &str) -> Result<String, String> {
    if !text.contains(from) {
        return Err(format!("split: {what} has no `{from}` to rewrite"));
    }
    Ok(text.replace(from, to))
}

/// Builds the split site into `dist` with the given extra cargo features, for `public_url`.
pub fn build(dist: &Path, features: &[&str], public_url: &str) -> Result<(), String> {
    let limit = Some(Duration::from_secs(30 * 60));
    // 1. The page and its assets.
    let site = root().join(".xtask-site");
    std::fs::create_dir_all(&site).map_err(|e| format!("{}: {e}", site.display()))?;
    let index = String::from_utf8_lossy(&read(&root().join("index.html"))?).into_owned();
    let assets: String = index
        .lines()
        .filter(|l| !l.contains("rel=\"rust\""))
        .map(|l| {
            l.replace("href=\"style/", "href=\"../style/")
                .replace("href=\"public/", "href=\"../public/")
                + "\n"
        })
        .collect();
    write(&site.join("index.html"), assets)?;
    let _ = std::fs::remove_dir_all(dist);
    run_for(
        cmd("trunk")
            .args([
                "build",
                "--release",
                "--offline=true",
                "--public-url",
                public_url,
            ])
            .arg("--dist")
            .arg(dist)
            .arg(site.join("index.html")),
        limit,
    )?;
    // 2. The wasm, keeping its relocations.
    let mut features: Vec<&str> = features.to_vec();
    features.push("split");
    run_for(
        cmd("cargo").args([
            "rustc",
            "--quiet",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--bin",
            "lookout",
            "--features",
            &features.join(","),
            "--",
            "-C",
            "link-arg=--emit-relocs",
        ]),
        limit,
    )?;
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm-release/lookout.wasm");
    // 3. Split.
    let name = dist.file_name().and_then(|n| n.to_str()).unwrap_or("dist");
    let work = target_dir().join("split").join(name);
    let _ = std::fs::remove_dir_all(&work);
    let (raw, pkg) = (work.join("raw"), work.join("pkg"));
    run_for(
        cmd(wasm_split_bin().to_str().unwrap()).arg(&wasm).arg(&raw),
        limit,
    )?;
    // 4. Bindings for the main module, then every module optimized.
    run_for(
        cmd("wasm-bindgen")
            .arg(raw.join("main.wasm"))
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-demangle",
                "--remove-name-section",
                "--remove-producers-section",
                "--out-name",
                "main",
                "--out-dir",
            ])
            .arg(&pkg),
        limit,
    )?;
    let mut chunks: Vec<String> = Vec::new();
    for e in std::fs::read_dir(&raw).map_err(|e| format!("{}: {e}", raw.display()))? {
        let n = e.map_err(|e| e.to_string())?.file_name();
        let n = n.to_string_lossy().into_owned();
        if n.ends_with(".wasm") && n != "main.wasm" {
            std::fs::copy(raw.join(&n), pkg.join(&n)).map_err(|e| format!("{n}: {e}"))?;
            chunks.push(n);
        }
    }
    chunks.sort();
    if !chunks.iter().any(|c| c.starts_with("split_")) {
        return Err("split: the splitter found no lazy page (is the `split` feature on?)".into());
    }
    let mut modules: Vec<String> = chunks.clone();
    modules.push("main_bg.wasm".into());
    optimize(&pkg, &modules)?;
    // 5. Hashed names, references rewritten.
    let mut link = String::from_utf8_lossy(&read(&raw.join("__wasm_split.js"))?).into_owned();
    let mut renamed: Vec<(String, String)> = Vec::new();
    for c in &chunks {
        let data = read(&pkg.join(c))?;
        let stem = c.trim_end_matches(".wasm");
        let to = format!("{stem}-{}.wasm", hash(&[&data]));
        link = replace_all(
            &link,
            &format!("\"./{c}\""),
            &format!("\"./{to}\""),
            "the link module",
        )?;
        write(&dist.join(&to), data)?;
        renamed.push((c.clone(), to));
    }
    let main_wasm = read(&pkg.join("main_bg.wasm"))?;
    let glue = String::from_utf8_lossy(&read(&pkg.join("main.js"))?).into_owned();
    let main_wasm_name = format!("lookout-{}_bg.wasm", hash(&[&main_wasm]));
    // The glue and the link module import each other: one hash over both and every module.
    let js_hash = hash(&[glue.as_bytes(), link.as_bytes(), &main_wasm]);
    let (glue_name, link_name) = (
        format!("lookout-{js_hash}.js"),
        format!("split-{js_hash}.js"),
    );
    let link = replace_all(
        &link,
        "from \"./main.js\"",
        &format!("from \"./{glue_name}\""),
        "the link module",
    )?;
    let glue = replace_all(
        &glue,
        "from \"./__wasm_split.js\"",
        &format!("from \"./{link_name}\""),
        "the wasm-bindgen glue",
    )?
    .replace("'main_bg.wasm'", &format!("'{main_wasm_name}'"));
    write(&dist.join(&main_wasm_name), &main_wasm)?;
    write(&dist.join(&glue_name), glue)?;
    write(&dist.join(&link_name), &link)?;
    // The boot module (external: a CSP of `script-src 'self' 'wasm-unsafe-eval'` is enough).
    let prefix = if public_url.ends_with('/') {
        public_url.to_owned()
    } else {
        format!("{public_url}/")
    };
    let boot = format!(
        "import init from '{prefix}{glue_name}';\n{}\
         const wasm = await init({{ module_or_path: '{prefix}{main_wasm_name}' }});\n\
         dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{detail: {{wasm}}}}));\n",
        preload_script(&prefix, &loaders(&link))
    );
    let boot_name = format!("boot-{}.js", hash(&[boot.as_bytes()]));
    write(&dist.join(&boot_name), &boot)?;
    let html_path = dist.join("index.html");
    let html = String::from_utf8_lossy(&read(&html_path)?).into_owned();
    let tags = format!(
        "<link rel=modulepreload href=\"{prefix}{glue_name}\">\
         <link rel=modulepreload href=\"{prefix}{link_name}\">\
         <link rel=preload as=fetch crossorigin type=application/wasm href=\"{prefix}{main_wasm_name}\">\
         <script type=module src=\"{prefix}{boot_name}\"></script></head>"
    );
    let html = replace_all(&html, "</head>", &tags, "index.html")?;
    write(&html_path, html)?;
    eprintln!(
        "  split: main module and {} chunks ({} lazy pages) into {}",
        chunks.len(),
        chunks.iter().filter(|c| c.starts_with("split_")).count(),
        dist.display()
    );
    Ok(())
}

/// `wasm-opt -Oz` on every module, as many at a time as there are CPUs.
fn optimize(dir: &Path, modules: &[String]) -> Result<(), String> {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let queue = std::sync::Mutex::new(modules.to_vec());
    let failures = std::sync::Mutex::new(Vec::new());
    eprintln!(
        "  $ wasm-opt -Oz … on {} modules, {cpus} at a time",
        modules.len()
    );
    std::thread::scope(|s| {
        for _ in 0..cpus {
            s.spawn(|| loop {
                let Some(m) = queue.lock().unwrap().pop() else {
                    break;
                };
                let p = dir.join(&m);
                let r = quiet_wasm_opt(&p);
                if let Err(e) = r {
                    failures.lock().unwrap().push(e);
                }
            });
        }
    });
    match failures.into_inner().unwrap().first() {
        Some(e) => Err(e.clone()),
        None => Ok(()),
    }
}

/// The longest one module's wasm-opt may take (a hung step must not stall CI for an hour).
const WASM_OPT_LIMIT: Duration = Duration::from_secs(20 * 60);

/// `wasm-opt -Oz` on one module in place, killed after [`WASM_OPT_LIMIT`]. Binaryen warns once
/// per chunk about the name section's label subsection (id 3), which it does not read and the
/// output drops anyway (`-q` does not hide it), so those lines are left out of what it prints.
fn quiet_wasm_opt(p: &Path) -> Result<(), String> {
    use std::io::Read;
    let mut child = cmd("wasm-opt")
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
        ])
        .arg(p)
        .arg("-o")
        .arg(p)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("wasm-opt: {e}"))?;
    // Read apart from the wait, so a full pipe never blocks it.
    let mut stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if started.elapsed() > WASM_OPT_LIMIT {
            let _ = child.kill();
            return Err(format!(
                "wasm-opt {} did not finish within {WASM_OPT_LIMIT:?}",
                p.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let said: String = reader
        .join()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.contains("unknown name subsection"))
        .map(|l| format!("{l}\n"))
        .collect();
    eprint!("{said}");
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "wasm-opt {} failed ({status}): {said}",
            p.display()
        ))
    }
}

/// A split site's modules: each loader in the link module, its file and the loaders it needs
/// first. The lazy pages' loaders are named `__wasm_split_load_<page>` (`…_issue_page`).
pub fn loaders(link: &str) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    let parts: Vec<&str> = link.split("makeLoad(").collect();
    for w in parts.windows(2) {
        let (before, body) = (w[0], w[1]);
        let Some(name) = before
            .rsplit("const ")
            .next()
            .and_then(|s| s.split_whitespace().next())
        else {
            continue;
        };
        let Some(file) = body
            .split("new URL(\"./")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        let deps = body
            .rsplit_once(", [")
            .and_then(|(_, d)| d.split(']').next())
            .map(|d| {
                d.split(',')
                    .map(|x| x.trim().to_owned())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        out.push((name.to_owned(), file.to_owned(), deps));
    }
    out
}

/// Each lazy page (`issue_page`, …) and the files it needs: its own module and the chunks its
/// loader waits for, followed through the link module's loaders.
pub fn pages(loaders: &[(String, String, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (name, _, _) in loaders {
        let Some(page) = name.strip_prefix("__wasm_split_load_") else {
            continue;
        };
        let mut files: Vec<String> = Vec::new();
        let mut todo = vec![name.as_str()];
        while let Some(n) = todo.pop() {
            let Some((_, file, deps)) = loaders.iter().find(|l| l.0 == n) else {
                continue;
            };
            if !files.contains(file) {
                files.push(file.clone());
                todo.extend(deps.iter().map(String::as_str));
            }
        }
        out.push((page.to_owned(), files));
    }
    out
}

/// The app's route of a lazy page (as `src/lib.rs` routes it; `routes.rs` opens each lazy route
/// cold and checks that the boot module preloaded its module).
pub fn route_of(page: &str) -> String {
    match page {
        "issue_page" => "/issues/:id".into(),
        "trace_page" => "/trace/:id".into(),
        p => format!("/{}", p.trim_end_matches("_page")),
    }
}

/// The boot module's first lines: when the address opens a lazy page, preload links for its
/// module and chunks, so they are fetched beside the main module instead of after it has
/// started (the link module's own `fetch` then takes the preloaded answer). A route with a
/// parameter (`/issues/:id`) matches any longer path under its prefix (`/issues/4022`).
fn preload_script(prefix: &str, loaders: &[(String, String, Vec<String>)]) -> String {
    let mut exact = Vec::new();
    let mut below = Vec::new();
    for (page, files) in pages(loaders) {
        let route = route_of(&page);
        let list = files
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(",");
        match route.split_once(":") {
            Some((head, _)) => below.push(format!("[\"{head}\",[{list}]]")),
            None => exact.push(format!("\"{route}\":[{list}]")),
        }
    }
    format!(
        "const B = '{prefix}';\n\
         const at = ('/' + location.pathname.slice(B.length)).replace(/\\/+$/, '') || '/';\n\
         const exact = {{{}}};\n\
         const below = [{}];\n\
         for (const f of exact[at] || (below.find(([p]) => at.startsWith(p) && at.length > p.length) || [, []])[1]) {{\n\
         \x20 const l = document.createElement('link');\n\
         \x20 l.rel = 'preload'; l.as = 'fetch'; l.crossOrigin = ''; l.href = B + f;\n\
         \x20 document.head.append(l);\n\
         }}\n",
        exact.join(","),
        below.join(",")
    )
}
