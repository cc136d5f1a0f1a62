//! A primary and its streaming replica on loopback: two PostgreSQL clusters of the test's
//! own (initdb, then pg_basebackup of the first), for what only a real replica shows — a
//! change announced on the primary before the replica has replayed it.
//!
//! As root, the clusters belong to the `postgres` user (PostgreSQL refuses root), as the
//! clusters `cargo xtask test` starts do.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The two clusters; both are stopped and deleted on drop.
pub struct Replicated {
    pub primary_url: String,
    pub replica_url: String,
    bin: PathBuf,
    owner: Option<&'static str>,
    dir: PathBuf,
}

impl Replicated {
    /// Starts a primary, copies it with `pg_basebackup -R` into a replica that streams from
    /// it, and starts that; panics, saying what failed, when a step does.
    pub fn start() -> Self {
        let bin = postgres_bin();
        let owner = is_root().then_some("postgres");
        let dir =
            std::env::temp_dir().join(format!("hub-replica-{}-{}", std::process::id(), uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let clusters = Self { primary_url: String::new(), replica_url: String::new(), bin, owner, dir };
        if let Some(user) = owner {
            clusters.run(Command::new("chown").arg(user).arg(&clusters.dir));
        }
        let (primary_port, replica_port) = (free_port(), free_port());
        let (primary, replica) = (clusters.dir.join("primary"), clusters.dir.join("replica"));
        clusters.run(clusters.as_owner("initdb").arg("-D").arg(&primary).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]));
        append(
            &primary.join("postgresql.conf"),
            &format!(
                "port = {primary_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n\
                 wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
            ),
        );
        clusters.pg_ctl_start(&primary);
        clusters.run(
            clusters
                .as_owner("pg_basebackup")
                .args(["-h", "127.0.0.1", "-p"])
                .arg(primary_port.to_string())
                .args(["-U", "postgres", "-X", "stream", "-R", "-D"])
                .arg(&replica),
        );
        append(&replica.join("postgresql.conf"), &format!("port = {replica_port}\nhot_standby = on\n"));
        clusters.pg_ctl_start(&replica);
        let mut clusters = clusters;
        clusters.primary_url = format!("postgres://postgres@127.0.0.1:{primary_port}/postgres");
        clusters.replica_url = format!("postgres://postgres@127.0.0.1:{replica_port}/postgres");
        clusters
    }

    fn as_owner(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match self.owner {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn pg_ctl_start(&self, data: &Path) {
        let log = data.with_extension("log");
        self.run(
            self.as_owner("pg_ctl")
                .args(["start", "-s", "-w", "-t", "60", "-D"])
                .arg(data)
                .arg("-l")
                .arg(&log),
        );
    }

    fn run(&self, command: &mut Command) {
        let output = command.output().unwrap_or_else(|error| panic!("{command:?} cannot run: {error}"));
        assert!(
            output.status.success(),
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for Replicated {
    fn drop(&mut self) {
        for cluster in ["replica", "primary"] {
            let data = self.dir.join(cluster);
            if data.exists() {
                let _ =
                    self.as_owner("pg_ctl").args(["stop", "-s", "-m", "immediate", "-D"]).arg(&data).output();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn append(path: &Path, text: &str) {
    let mut conf =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    conf.push_str("\n# set by the replica test\n");
    conf.push_str(text);
    std::fs::write(path, conf).unwrap();
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The newest installed PostgreSQL's bin directory (Debian keeps initdb off PATH).
fn postgres_bin() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server is installed under /usr/lib/postgresql")
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("pg_basebackup").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().expect("initdb and pg_basebackup under /usr/lib/postgresql/*/bin").1
}
