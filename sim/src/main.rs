//! `lookout-sim`: runs the simulator until interrupted.

use lookout_sim::{Faults, Flavor, Sim, SimOptions};

const HELP: &str = "lookout-sim: a Sentry-compatible API simulator with a multi-cloud demo fleet

USAGE: lookout-sim [OPTIONS]

  --port N                 API port (default 9000; 0 = any free port)
  --flavor F               sentry | sentry-legacy | glitchtip (default sentry)
  --seed N                 fleet seed (default 1; same seed, same fleet)
  --servers N              servers in the fleet (default 30; more are extra API servers)
  --token T                accepted bearer token (default lookout-demo)
  --allowed-origin O       an origin the token allows (repeatable; default http://127.0.0.1:8080)
  --live-interval-ms N     tick of the live SDK traffic (default 3000; 0 = off)
  --serve-dist DIR         also serve a built dashboard from DIR
  --dist-port N            port for --serve-dist (default 8080)
  --latency-ms N           fault: delay every API answer
  --fault-429 N            fault: answer the next N API requests with 429 (-1 = always)
  --fault-500 N            fault: 500
  --fault-malformed N      fault: truncated JSON
  --fault-html N           fault: an HTML 502 page
  --fault-drop N           fault: close the connection without an answer
  --revoke-token           fault: the token is refused (401)
  --quiet                  print only the ready line
  -h, --help               this text

Faults can also be set at run time: POST /__sim/faults {\"rateLimit\": 3, \"latencyMs\": 200, …}
(with Authorization: Bearer <token>)
";

fn parse() -> Result<SimOptions, String> {
    let mut o = SimOptions::default();
    let mut origins = Vec::new();
    let mut f = Faults::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let num = |v: String, name: &str| {
            v.parse::<i64>()
                .map_err(|_| format!("{name}: not a number: {v}"))
        };
        match a.as_str() {
            "--port" => o.port = num(val("--port")?, "--port")? as u16,
            "--flavor" => {
                let v = val("--flavor")?;
                o.flavor = Flavor::parse(&v).ok_or_else(|| {
                    format!("unknown flavor {v} (sentry, sentry-legacy, glitchtip)")
                })?;
            }
            "--seed" => o.seed = num(val("--seed")?, "--seed")? as u64,
            "--servers" => {
                o.servers = (num(val("--servers")?, "--servers")? as usize).clamp(30, 2000)
            }
            "--token" => o.token = val("--token")?,
            "--allowed-origin" => origins.push(val("--allowed-origin")?),
            "--live-interval-ms" => {
                o.live_interval_ms = num(val("--live-interval-ms")?, "--live-interval-ms")? as u64
            }
            "--serve-dist" => o.serve_dist = Some(val("--serve-dist")?.into()),
            "--dist-port" => o.dist_port = num(val("--dist-port")?, "--dist-port")? as u16,
            "--latency-ms" => f.latency_ms = num(val("--latency-ms")?, "--latency-ms")? as u64,
            "--fault-429" => f.rate_limit = num(val("--fault-429")?, "--fault-429")?,
            "--fault-500" => f.server_error = num(val("--fault-500")?, "--fault-500")?,
            "--fault-malformed" => {
                f.malformed_json = num(val("--fault-malformed")?, "--fault-malformed")?
            }
            "--fault-html" => f.html_error = num(val("--fault-html")?, "--fault-html")?,
            "--fault-drop" => f.drop = num(val("--fault-drop")?, "--fault-drop")?,
            "--revoke-token" => f.revoke_token = true,
            "--quiet" => o.quiet = true,
            "-h" | "--help" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other} (see --help)")),
        }
    }
    if !origins.is_empty() {
        o.allowed_origins = origins;
    }
    o.faults = f;
    Ok(o)
}

fn main() {
    let opts = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("lookout-sim: {e}");
            std::process::exit(2);
        }
    };
    let sim = match Sim::start(opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lookout-sim: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let app = &sim.app;
    if !app.opts.quiet {
        let info = app.info();
        println!(
            "lookout-sim ({}) ready in {:.0} ms",
            app.opts.flavor.as_str(),
            app.startup_ms
        );
        println!(
            "  API:    {}/api/0/  (organization \"{}\")",
            sim.url, app.org
        );
        println!("  token:  {}", app.opts.token);
        println!("  origins allowed: {}", app.opts.allowed_origins.join(", "));
        if let Some(d) = info["dsns"].as_object() {
            for (slug, dsn) in d {
                println!("  DSN {slug}: {}", dsn.as_str().unwrap_or(""));
            }
        }
        println!(
            "  fleet: {} servers, {} issues, {} events, {} transactions",
            info["servers"].as_array().map_or(0, Vec::len),
            info["issues"],
            info["events"],
            info["transactions"]
        );
    }
    match &sim.dist_url {
        Some(d) => println!("Lookout: {d}/"),
        None => println!("ready: {}", sim.url),
    }
    // Run until interrupted.
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = ctrlc_like(tx);
    let _ = rx.recv();
    sim.stop();
}

/// Waits for SIGINT/SIGTERM on a small runtime of its own.
fn ctrlc_like(tx: std::sync::mpsc::Sender<()>) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        rt.block_on(async {
            #[cfg(unix)]
            {
                let mut term =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                        .expect("signal");
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            #[cfg(not(unix))]
            let _ = tokio::signal::ctrl_c().await;
        });
        let _ = tx.send(());
    });
    Ok(())
}
