//! A PostgreSQL to run and test against: the one at DATABASE_URL when it answers, else a
//! cluster of our own (initdb + pg_ctl from the system's PostgreSQL, trust auth, a free
//! port, no Unix socket), run as a non-root user when we are root.

use crate::shell::{command, output, run_checked};
use crate::Result;
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A database URL, and the cluster behind it if we started one (stopped on drop).
pub struct Database {
    pub url: String,
    cluster: Option<Cluster>,
}

impl Database {
    pub fn describe(&self) -> String {
        match &self.cluster {
            Some(cluster) => {
                format!("127.0.0.1:{} (own cluster in {})", cluster.port, cluster.data.display())
            }
            None => "DATABASE_URL".to_owned(),
        }
    }
}

struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    owner: Option<String>,
    /// Throwaway clusters are deleted when stopped.
    throwaway: bool,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mode = if self.throwaway { "immediate" } else { "fast" };
        let mut stop = self.as_owner(self.bin.join("pg_ctl"));
        stop.args(["stop", "-s", "-m", mode, "-D"]).arg(&self.data);
        let _ = output(&mut stop);
        if self.throwaway {
            let _ = std::fs::remove_dir_all(&self.data);
        }
    }
}

impl Cluster {
    fn as_owner(&self, program: PathBuf) -> std::process::Command {
        match &self.owner {
            Some(user) => {
                let mut cmd = command("runuser");
                cmd.args(["-u", user, "--"]).arg(program);
                cmd
            }
            None => command(program),
        }
    }

    fn start(&self) -> Result {
        let log = self.data.with_extension("log");
        if let Some(user) = &self.owner {
            std::fs::write(&log, "").map_err(|error| format!("cannot create {}: {error}", log.display()))?;
            run_checked(command("chown").arg(user).arg(&log))?;
        }
        let mut start = self.as_owner(self.bin.join("pg_ctl"));
        start.args(["start", "-s", "-w", "-t", "60", "-D"]).arg(&self.data).arg("-l").arg(&log);
        run_checked(&mut start).map_err(|error| format!("{error}; see {}", log.display()))
    }

    fn is_running(&self) -> bool {
        let mut status = self.as_owner(self.bin.join("pg_ctl"));
        status.args(["status", "-D"]).arg(&self.data);
        output(&mut status).is_some()
    }
}

/// How a throwaway cluster treats its data.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Tests: nothing must survive a crash, so commits skip the disk.
    Throwaway,
    /// Benchmarks: commits wait for the disk, as on a real hub's server.
    Durable,
}

/// For tests: DATABASE_URL if it answers, else a fresh throwaway cluster under target/.
pub fn for_tests(root: &Path) -> Result<Database> {
    fresh(root, Durability::Throwaway)
}

/// For benchmarks: DATABASE_URL if it answers, else a fresh cluster, deleted afterwards,
/// whose commits wait for the disk as a production server's do.
pub fn for_bench(root: &Path) -> Result<Database> {
    fresh(root, Durability::Durable)
}

fn fresh(root: &Path, durability: Durability) -> Result<Database> {
    if let Some(url) = reachable_database_url() {
        return Ok(Database { url, cluster: None });
    }
    let name = format!("digital-hub-test-{}", std::process::id());
    let mut data = root.join("target/xtask-postgres").join(&name);
    if !owner_can_reach(&data)? {
        // The checkout sits where the cluster's owner cannot go (a private home, say).
        data = std::env::temp_dir().join(name);
    }
    let cluster = init_cluster(&data, free_port()?, true, durability)?;
    cluster.start()?;
    let url = format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port);
    Ok(Database { url, cluster: Some(cluster) })
}

/// For `run`: DATABASE_URL if set, else the persistent cluster in .hub/postgres.
pub fn for_run(root: &Path) -> Result<Database> {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        return Ok(Database { url, cluster: None });
    }
    let base = root.join(".hub/postgres");
    let data = base.join("data");
    let port_file = base.join("port");
    let cluster = if data.join("PG_VERSION").exists() {
        let port =
            std::fs::read_to_string(&port_file).ok().and_then(|port| port.trim().parse().ok()).ok_or_else(
                || format!("{} is missing; delete {} to start afresh", port_file.display(), base.display()),
            )?;
        Cluster { bin: postgres_bin()?, data, port, owner: cluster_owner()?, throwaway: false }
    } else {
        let cluster = init_cluster(&data, free_port()?, false, Durability::Durable)?;
        std::fs::write(&port_file, cluster.port.to_string())
            .map_err(|error| format!("cannot write the port: {error}"))?;
        cluster
    };
    if !cluster.is_running() {
        cluster.start()?;
    }
    let mut create = command(cluster.bin.join("createdb"));
    create.args(["-h", "127.0.0.1", "-p", &cluster.port.to_string(), "-U", "postgres", "digital_hub"]);
    // "already exists" is the usual answer after the first run.
    let _ = output(&mut create);
    let url = format!("postgres://postgres@127.0.0.1:{}/digital_hub", cluster.port);
    Ok(Database { url, cluster: Some(cluster) })
}

/// The same server's URL with another database name.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let authority = rest.split('/').next().unwrap_or_default();
    let mut changed = format!("{scheme}://{authority}/{database}");
    if let Some(query) = query {
        changed.push('?');
        changed.push_str(query);
    }
    changed
}

fn reachable_database_url() -> Option<String> {
    let url = std::env::var("DATABASE_URL").ok()?;
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().ok()?),
        None => (host_port, 5432),
    };
    let host = if host.is_empty() { "localhost" } else { host };
    let address = (host, port).to_socket_addrs().ok()?.next()?;
    if TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_ok() {
        Some(url)
    } else {
        println!("DATABASE_URL does not answer; starting a PostgreSQL of our own");
        None
    }
}

fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|error| format!("cannot find a free port: {error}"))?;
    listener.local_addr().map(|address| address.port()).map_err(|error| error.to_string())
}

/// The newest installed PostgreSQL's bin directory (Debian keeps initdb off PATH).
fn postgres_bin() -> Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            "PostgreSQL is not installed (no /usr/lib/postgresql); run `cargo xtask setup`".to_owned()
        })?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin".to_owned())
}

/// PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user.
fn cluster_owner() -> Result<Option<String>> {
    let is_root = output(command("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        return Ok(None);
    }
    if output(command("id").arg("postgres")).is_none() {
        run_checked(command("useradd").args(["--system", "--no-create-home", "postgres"]))?;
    }
    Ok(Some("postgres".to_owned()))
}

/// Whether the cluster's owner can reach a directory to be created at `dir`.
fn owner_can_reach(dir: &Path) -> Result<bool> {
    let Some(user) = cluster_owner()? else {
        return Ok(true);
    };
    let parent = dir.parent().ok_or("a data directory has a parent")?;
    std::fs::create_dir_all(parent)
        .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    let mut probe = command("runuser");
    probe.args(["-u", &user, "--", "test", "-x"]).arg(parent);
    Ok(output(&mut probe).is_some())
}

fn init_cluster(data: &Path, port: u16, throwaway: bool, durability: Durability) -> Result<Cluster> {
    let bin = postgres_bin()?;
    let owner = cluster_owner()?;
    if data.exists() {
        std::fs::remove_dir_all(data).map_err(|error| format!("cannot clear {}: {error}", data.display()))?;
    }
    std::fs::create_dir_all(data).map_err(|error| format!("cannot create {}: {error}", data.display()))?;
    if let Some(user) = &owner {
        run_checked(command("chown").arg(user).arg(data))?;
        // The owner must reach the directory through its parents.
        let mut probe = command("runuser");
        probe.args(["-u", user, "--", "test", "-w"]).arg(data);
        if output(&mut probe).is_none() {
            return Err(format!(
                "user {user} cannot write {}; make its parent directories world-searchable (chmod o+x)",
                data.display()
            ));
        }
    }
    let cluster = Cluster { bin, data: data.to_path_buf(), port, owner, throwaway };
    let mut initdb = cluster.as_owner(cluster.bin.join("initdb"));
    initdb.args(["-D"]).arg(data).args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
    output(&mut initdb).ok_or_else(|| format!("initdb failed in {}", data.display()))?;
    let mut settings = format!(
        "\n# set by cargo xtask\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 200\n"
    );
    if durability == Durability::Throwaway {
        // Nothing here must survive a crash, so skip the work that makes it survive one.
        settings.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
    }
    let conf = data.join("postgresql.conf");
    let mut text =
        std::fs::read_to_string(&conf).map_err(|error| format!("cannot read {}: {error}", conf.display()))?;
    text.push_str(&settings);
    std::fs::write(&conf, text).map_err(|error| format!("cannot write {}: {error}", conf.display()))?;
    Ok(cluster)
}
