#!/usr/bin/env python3
"""Gatehouse benchmark driver: starts the server (or targets one), seeds tenants/users/roles/refresh tokens
by SQL, takes access tokens for many distinct users, warms the JVM up and runs wrk over the scenarios of
bench/README.md. Loopback only; every wrk run is bounded by -d and a subprocess timeout.

Counts per scenario: requests/s, latency p50/p90/p99 (wrk's own histogram), non-2xx and socket errors,
SQL statements per request (pg_stat_statements calls of the server's statements / requests), peak RSS of
the server JVM (/proc VmRSS sampled every 0.25 s), peak JDBC connections open and in use (pg_stat_activity
rows with application_name 'gatehouse', sampled every 0.25 s).
"""
import argparse
import base64
import concurrent.futures
import csv
import datetime
import hashlib
import http.client
import io
import ipaddress
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "results")
TMP = os.path.join(RESULTS, "tmp")
LUA = os.path.join(BENCH, "scenario.lua")
BASELINE = "1 baseline: JAX-RS, no auth (/.well-known/jwks.json)"
FLOOR = "1a /health/live (servlet, no JAX-RS)"
PASSWORD = "bench password 0123"
APP_NAME = "gatehouse"  # ApplicationName of the JDBC pool (server-config)


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


# ---------------------------------------------------------------------------------------------- database

class Db:
    def __init__(self, host, port, name, user, password):
        self.env = dict(os.environ, PGHOST=host, PGPORT=str(port), PGDATABASE=name, PGUSER=user,
                        PGPASSWORD=password or "", PGAPPNAME="gatehouse-bench")
        self.args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]

    def query(self, sql, stdin=None, timeout=600):
        out = subprocess.run(self.args + ["-c", sql] if stdin is None else self.args + ["-f", "-"],
                             input=stdin if stdin is not None else None, env=self.env, text=True,
                             capture_output=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError("psql failed: " + out.stderr.strip())
        return out.stdout.strip()

    def script(self, text, timeout=600):
        return self.query(None, stdin=text, timeout=timeout)


class Sampler:
    """Samples the server's RSS and the pool's connections (from PostgreSQL) while a scenario runs."""

    def __init__(self, db, pid):
        self.db, self.pid = db, pid
        self.rss_kb = 0
        self.open_max = 0
        self.busy_max = 0
        self.stop_flag = threading.Event()
        self.proc = None
        self.threads = []

    def __enter__(self):
        sql = ("select 'S', count(*), count(*) filter (where state <> 'idle') from pg_stat_activity "
               f"where application_name = '{APP_NAME}' \\watch 0.25")
        self.proc = subprocess.Popen(self.db.args + ["-P", "footer=off"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env=self.db.env)
        self.proc.stdin.write(sql + "\n")
        self.proc.stdin.flush()
        self.threads = [threading.Thread(target=self._read_db, daemon=True),
                        threading.Thread(target=self._read_rss, daemon=True)]
        for t in self.threads:
            t.start()
        return self

    def _read_db(self):
        for line in self.proc.stdout:
            parts = line.strip().split("|")
            if len(parts) == 3 and parts[0] == "S":
                self.open_max = max(self.open_max, int(parts[1]))
                self.busy_max = max(self.busy_max, int(parts[2]))

    def _read_rss(self):
        while not self.stop_flag.is_set():
            self.rss_kb = max(self.rss_kb, rss_kb(self.pid))
            self.stop_flag.wait(0.25)

    def __exit__(self, *exc):
        self.stop_flag.set()
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for t in self.threads:
            t.join(5)


def rss_kb(pid, field="VmRSS"):
    if not pid:
        return 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def group_pid(proc, marker):
    """The pid in proc's process group whose command line contains marker (the server JVM under its script)."""
    try:
        pgid = os.getpgid(proc.pid)
    except OSError:
        return None
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            if os.getpgid(int(p)) != pgid:
                continue
            with open(f"/proc/{p}/cmdline", "rb") as f:
                if marker in f.read():
                    return int(p)
        except OSError:
            continue
    return None


STATEMENTS_SQL = """
select coalesce(sum(calls), 0) from pg_stat_statements s join pg_roles r on r.oid = s.userid
where s.dbid = (select oid from pg_database where datname = current_database())
  and s.toplevel and s.query !~* '(pg_stat|pg_catalog|pg_roles|pg_database)'
"""


# ---------------------------------------------------------------------------------------------- server

class Server:
    """The run command (./mvnw -Prun) in its own process group, with the bench's data dir."""

    def __init__(self, port, data_dir, postboot=None, heap=None, offline=False):
        self.port, self.data_dir, self.postboot, self.heap, self.offline = port, data_dir, postboot, heap, offline
        self.proc = None
        self.db_port = None
        self.log_path = os.path.join(TMP, "server.log")

    def start(self, build=True):
        env = dict(os.environ)
        for k in ("GATEHOUSE_DB_HOST",):
            env.pop(k, None)
        env.update(GATEHOUSE_DATA_DIR=self.data_dir, GATEHOUSE_HTTP_PORT=str(self.port),
                   # the bench runs for minutes with tokens taken at the start
                   GATEHOUSE_JWT_ACCESS_TOKEN_MINUTES="240",
                   # every scenario's client is this machine: the per-address limits of login and refresh would
                   # answer most of scenarios 4 and 5 with 429. The login flood comes from many addresses through
                   # X-Forwarded-For, which the server believes from loopback only.
                   GATEHOUSE_RATE_LIMIT_LOGIN_PER_MINUTE="10000000",
                   GATEHOUSE_RATE_LIMIT_REFRESH_PER_MINUTE="10000000",
                   GATEHOUSE_RATE_LIMIT_TOKEN_PER_MINUTE="10000000",
                   GATEHOUSE_RATE_LIMIT_CLIENT_TOKEN_PER_MINUTE="10000000",
                   GATEHOUSE_HTTP_TRUSTED_PROXIES="127.0.0.1,::1")
        # one JDK AOT cache for every bench server, whatever its data directory (peer.py starts fresh)
        env.setdefault("GATEHOUSE_AOT_CACHE_DIR", os.path.join(TMP, "aot"))
        if self.postboot:
            env["GATEHOUSE_POSTBOOT_FILE"] = self.postboot
        if self.heap:
            env["GATEHOUSE_HEAP"] = self.heap
        cmd = [os.path.join(ROOT, "mvnw"), "-B", "-Prun"]
        if self.offline:
            cmd.insert(1, "-o")
        logf = open(self.log_path, "a")
        log("starting server:", " ".join(cmd), "(log:", os.path.relpath(self.log_path, ROOT) + ")")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 1200  # a build and a boot on a shared 2-core machine can take 10 min
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server command exited; see " + self.log_path)
            text = open(self.log_path, errors="replace").read()
            m = re.findall(r"Embedded PostgreSQL on port (\d+)", text)
            if m:
                self.db_port = int(m[-1])
            if text.count("Gatehouse is ready on") > self.ready_count_before or (self.db_port and self.ready()):
                return
            time.sleep(1)
        raise RuntimeError("server not ready in 20 min")

    ready_count_before = 0

    def ready(self):
        """/health/ready answers 200: the run command announces readiness only within 3 min of its start, which a
        build and a boot on a busy machine can exceed."""
        try:
            with urllib.request.urlopen(f"http://localhost:{self.port}/health/ready", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def boot(self, build=True):
        self.ready_count_before = open(self.log_path).read().count("Gatehouse is ready on") \
            if os.path.exists(self.log_path) else 0
        self.start(build)

    def payara_pid(self):
        return group_pid(self.proc, b"payara-micro.jar")

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        log("stopping server")
        pgid = os.getpgid(self.proc.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.proc.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(30)
        # the launcher's shutdown hook stops Payara and PostgreSQL; wait for the group to be gone
        for _ in range(60):
            try:
                os.killpg(pgid, 0)
                time.sleep(1)
            except ProcessLookupError:
                break


# ---------------------------------------------------------------------------------------------- http

class Api:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.local = threading.local()

    def call(self, method, path, body=None, token=None):
        try:
            return self._call(method, path, body, token)
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # a kept-alive connection the server closed while idle (between scenarios): once more on a new one
            return self._call(method, path, body, token)

    def _call(self, method, path, body=None, token=None):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        if token:
            headers["Authorization"] = "Bearer " + token
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.local.conn = None
            conn.close()
            raise
        return resp.status, (json.loads(data) if data else None)


# ---------------------------------------------------------------------------------------------- seeding

class Dataset:
    """What the bench seeded and knows: users (id, tenant slug, email, admin?), unused refresh tokens."""

    def __init__(self):
        self.users = []          # dicts: id, tenant, slug, email, admin, refresh (list of plaintext tokens)
        self.tenants = 0

    def unused_refresh(self, users, k):
        out = []
        for u in users:
            if u["refresh"]:
                out.append(u["refresh"].pop())
            if len(out) >= k:
                break
        return out


def reference_hash(api, db):
    """One Argon2id PHC hash of PASSWORD, made by the server itself through registration."""
    email = f"hash-source-{secrets.token_hex(4)}@bench.example"
    status, body = api.call("POST", "/api/v1/auth/register",
                            {"email": email, "password": PASSWORD, "full_name": "Hash source",
                             "tenant_name": "Bench hash source " + secrets.token_hex(3)})
    if status != 201:
        raise RuntimeError(f"register failed: {status} {body}")
    return db.query(f"select password_hash from users where email = '{email}'")


def seed(db, ds, phc, tenants_from, tenants_to, users_per_tenant, tokens_per_user, roles_per_tenant=3):
    """Tenants [from, to) with their users, roles, role grants and refresh tokens, by COPY."""
    now = datetime.datetime.now(datetime.timezone.utc)
    t_rows, u_rows, m_rows, r_rows, ur_rows, rt_rows = (io.StringIO() for _ in range(6))
    tw, uw, mw, rw, urw, rtw = (csv.writer(x, lineterminator="\n") for x in (t_rows, u_rows, m_rows, r_rows, ur_rows, rt_rows))
    expires = (now + datetime.timedelta(days=30)).isoformat()
    for t in range(tenants_from, tenants_to):
        tid, slug = str(uuid.uuid4()), f"bench-t{t}"
        tw.writerow([tid, f"Bench tenant {t}", slug, "t", now.isoformat(), now.isoformat()])
        role_ids = [str(uuid.uuid4()) for _ in range(roles_per_tenant)]
        for i, rid in enumerate(role_ids):
            rw.writerow([rid, tid, ["admin", "member", "viewer", "billing"][i % 4], "seeded", "t" if i == 0 else "f",
                         now.isoformat(), now.isoformat()])
        for u in range(users_per_tenant):
            uid = str(uuid.uuid4())
            email = f"u{u}.t{t}@bench.example"
            created = (now - datetime.timedelta(seconds=users_per_tenant - u)).isoformat()
            admin = u == 0
            uw.writerow([uid, email, phc, f"Bench user {u} of {t}", "t", 0, created, created])
            mw.writerow([uid, tid, "t", "t" if admin else "f", created, created])
            grants = {role_ids[0]} if admin else {role_ids[1 + (u % (roles_per_tenant - 1))], role_ids[1]}
            for rid in grants:
                urw.writerow([uid, rid])
            tokens = []
            for _ in range(tokens_per_user):
                tok = secrets.token_urlsafe(32)
                tokens.append(tok)
                rtw.writerow([str(uuid.uuid4()), uid, tid, "\\x" + hashlib.sha256(tok.encode()).hexdigest(),
                              str(uuid.uuid4()), expires, created, "127.0.0.1", "gatehouse-bench", 0, created])
            ds.users.append({"id": uid, "slug": slug, "email": email, "admin": admin, "refresh": tokens})
    ds.tenants = max(ds.tenants, tenants_to)
    script = "\n".join([
        "\\copy tenants (id, name, slug, is_active, created_at, updated_at) from stdin with (format csv)",
        t_rows.getvalue() + "\\.",
        "\\copy users (id, email, password_hash, full_name, is_active, token_version, created_at, updated_at) from stdin with (format csv)",
        u_rows.getvalue() + "\\.",
        "\\copy memberships (user_id, tenant_id, is_active, is_superuser, created_at, updated_at) from stdin with (format csv)",
        m_rows.getvalue() + "\\.",
        "\\copy roles (id, tenant_id, name, description, is_system, created_at, updated_at) from stdin with (format csv)",
        r_rows.getvalue() + "\\.",
        "\\copy user_roles (user_id, role_id) from stdin with (format csv)",
        ur_rows.getvalue() + "\\.",
        "\\copy refresh_tokens (id, user_id, tenant_id, token_hash, family_id, expires_at, created_at, created_by_ip, user_agent, token_version, session_started_at) from stdin with (format csv)",
        rt_rows.getvalue() + "\\.",
        "analyze;",
    ]) + "\n"
    db.script(script)


def clear_bench_data(db):
    db.script("""
        create temporary table bench_users as
            select m.user_id from memberships m join tenants t on t.id = m.tenant_id where t.slug like 'bench-%';
        delete from refresh_tokens where user_id in (select user_id from bench_users);
        delete from user_roles where user_id in (select user_id from bench_users);
        delete from memberships where user_id in (select user_id from bench_users);
        delete from roles where tenant_id in (select id from tenants where slug like 'bench-%');
        delete from users where id in (select user_id from bench_users);
        delete from tenants where slug like 'bench-%';
        drop table bench_users;
        vacuum analyze;
    """)


def service_account_clients(api, admins):
    """A service account with a client secret for each tenant admin that has none yet, made through the API; each
    admin keeps its client's HTTP Basic header value."""
    for u in admins:
        if "basic" in u:
            continue
        status, account = api.call("POST", "/api/v1/service-accounts", {"name": "bench machine"}, token=u["access"])
        if status != 201:
            raise RuntimeError(f"service account for {u['email']} failed: {status} {account}")
        status, secret = api.call("POST", f"/api/v1/service-accounts/{account['id']}/secrets", {}, token=u["access"])
        if status != 201:
            raise RuntimeError(f"secret for {u['email']} failed: {status} {secret}")
        pair = f"{account['id']}:{secret['client_secret']}".encode()
        u["basic"] = "Basic " + base64.b64encode(pair).decode()


def take_access_tokens(api, ds, users, workers=8):
    """Access tokens by refreshing one seeded refresh token per user (no password hash involved)."""
    def one(u):
        rt = u["refresh"].pop()
        status, body = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": rt})
        if status != 200:
            raise RuntimeError(f"refresh for {u['email']} failed: {status} {body}")
        u["access"] = body["access_token"]
        u["refresh"].append(body["refresh_token"])  # still live: the rotated successor
        return u
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, users))
    log(f"took {len(users)} access tokens in {time.time() - started:.1f} s")


# ---------------------------------------------------------------------------------------------- wrk

def write_lines(name, lines):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run_wrk(url, env, threads, conns, seconds, timeout_s=None):
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s", "-s", LUA]
    if timeout_s:
        cmd += ["--timeout", f"{timeout_s}s"]
    cmd.append(url)
    full_env = dict(os.environ, **env, BENCH_THREADS=str(threads))
    out = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=seconds + 120)
    m = re.search(r"BENCH_RESULT (\{.*\})", out.stdout)
    if not m:
        raise RuntimeError("wrk gave no result:\n" + out.stdout + out.stderr)
    return json.loads(m.group(1)), out.stdout


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def busy_others(own_pids):
    """Other Payara Micro / Maven JVMs (builds, test suites) that used more than 10 % of a core over 3 s.
    Processes of the bench's own server (its process group) do not count."""
    out = subprocess.run(["pgrep", "-f", "payara-micro.jar|surefire|failsafe|classworlds|javac"],
                         capture_output=True, text=True)
    own_groups = set()
    for p in own_pids:
        try:
            own_groups.add(os.getpgid(p))
        except OSError:
            pass
    others = []
    for p in (int(x) for x in out.stdout.split()):
        try:
            if p == os.getpid() or p in own_pids or os.getpgid(p) in own_groups:
                continue
        except OSError:
            continue
        others.append(p)
    before = {p: cpu_ticks(p) for p in others}
    time.sleep(3)
    hz = os.sysconf("SC_CLK_TCK")
    return [p for p in others if (cpu_ticks(p) - before[p]) / hz / 3 > 0.10]


def quiet_machine(own_pids, max_wait=1200):
    """Waits (poll 30 s, up to max_wait s) until no other Payara Micro / Maven test JVM is busy."""
    waited = 0
    while True:
        busy = busy_others(own_pids)
        if not busy or waited >= max_wait:
            if busy:
                log(f"WARNING: other JVMs still busy after {waited} s:", busy)
            return waited
        log(f"machine busy (other JVMs {busy} use CPU); waiting 30 s")
        time.sleep(30)
        waited += 30


class Bench:
    def __init__(self, args):
        self.args = args
        self.url = args.url.rstrip("/")
        host = urllib.parse.urlsplit(self.url).hostname
        try:
            loop = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
        except OSError:
            loop = False
        if not loop:
            sys.exit(f"refusing to load {host}: only loopback addresses may be targeted")
        self.api = Api(self.url)
        self.server = None
        self.db = None
        self.results = []
        self.pairs = []
        self.flood = None
        self.own_pids = set()

    def server_pid(self):
        if self.server:
            return self.server.payara_pid()
        return self.args.server_pid

    def measure(self, name, size_label, env, conns, seconds, threads=2, wrk_timeout=None, note=""):
        quiet_machine(self.own_pids, self.args.max_wait)
        if self.count_statements:
            self.db.query("select pg_stat_statements_reset()")
        pid = self.server_pid()
        if self.args.jfr and pid and ((name.startswith("2 ") and conns == 16) or name.startswith("6 ")):
            self.jfr_file = os.path.join(TMP, f"{self.args.jfr}-{len(self.results)}.jfr")
            subprocess.run([os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jcmd"), str(pid), "JFR.start",
                            f"duration={seconds}s", "settings=profile", f"filename={self.jfr_file}"],
                           capture_output=True, timeout=60)
            note = (note + " " if note else "") + "JFR: " + os.path.basename(self.jfr_file)
        with Sampler(self.db, pid) as sampler:
            result, raw = run_wrk(self.url, env, threads, conns, seconds, wrk_timeout)
            time.sleep(0.3)
        statements = int(self.db.query(STATEMENTS_SQL)) if self.count_statements else None
        reqs = result["requests"]
        e = result["errors"]
        non2xx = max(e["status"], result["lua_non2xx"])
        row = {
            "scenario": name, "users": size_label, "connections": conns, "seconds": seconds,
            "requests": reqs,
            "rps": round(reqs / (result["duration_us"] / 1e6), 1),
            "p50_ms": result["latency_us"]["p50"] / 1000, "p90_ms": result["latency_us"]["p90"] / 1000,
            "p99_ms": result["latency_us"]["p99"] / 1000, "max_ms": result["latency_us"]["max"] / 1000,
            "non2xx": non2xx,
            "socket_errors": e["connect"] + e["read"] + e["write"] + e["timeout"],
            "socket_errors_detail": {k: e[k] for k in ("connect", "read", "write", "timeout")},
            "statements": statements,
            "statements_per_request": round(statements / reqs, 3) if reqs and statements is not None else None,
            "rss_peak_mb": round(sampler.rss_kb / 1024, 1),
            "pool_open_peak": sampler.open_max, "pool_busy_peak": sampler.busy_max,
            "starved": result.get("starved", 0),
            "note": note,
        }
        self.results.append(row)
        log(f"{name:<28} {size_label:>6} users c={conns:<5} {row['rps']:>8} req/s  p50 {row['p50_ms']:.2f} "
            f"p99 {row['p99_ms']:.2f} ms  stmts/req {row['statements_per_request']}  non2xx {non2xx}  "
            f"sock {row['socket_errors']} starved {row['starved']}  rss {row['rss_peak_mb']} MB  pool {sampler.open_max}/{sampler.busy_max}")
        return row

    def many_connections(self, scenario, size_label, users, conns, delay_ms):
        env = dict(self.env_me(users), BENCH_DELAY_MS=str(delay_ms))
        note = f"each connection one request every ~{delay_ms} ms (0.5x-1.5x)"
        for run, what in (("a", "first contact"), ("", "steady")):
            self.measure(f"{scenario}{run} {conns} conns /users/me, {what}", size_label, env, conns,
                         self.args.concurrency_duration, threads=2, wrk_timeout=10, note=note)

    def paired_ratio(self, size_label, users, rounds, seconds):
        """/users/me over the baseline in alternating short runs, so that JIT and machine drift hit both alike."""
        quiet_machine(self.own_pids, self.args.max_wait)
        pairs = []
        for _ in range(rounds):
            base, _ = run_wrk(self.url, self.env_jaxrs(), 2, 16, seconds)
            me, _ = run_wrk(self.url, self.env_me(users), 2, 16, seconds)
            rps = [r["requests"] / (r["duration_us"] / 1e6) for r in (base, me)]
            pairs.append({"baseline_rps": round(rps[0], 1), "me_rps": round(rps[1], 1), "ratio": round(rps[1] / rps[0], 3)})
        row = {"users": size_label, "rounds": pairs, "median_ratio": statistics.median(p["ratio"] for p in pairs)}
        self.pairs.append(row)
        log(f"paired /users/me ÷ baseline at {size_label} users: {[p['ratio'] for p in pairs]}, median {row['median_ratio']}")
        return row

    # scenario environments
    def env_plain(self):
        return {"BENCH_MODE": "plain", "BENCH_PATH": "/health/live"}

    def env_jaxrs(self):
        return {"BENCH_MODE": "plain", "BENCH_PATH": "/.well-known/jwks.json"}

    def env_me(self, users):
        return {"BENCH_MODE": "bearer", "BENCH_PATH": "/api/v1/users/me",
                "BENCH_INPUT": write_lines("me.tokens", [u["access"] for u in users])}

    def env_page(self, admins, users_per_tenant):
        return {"BENCH_MODE": "admin_page", "BENCH_PAGES": str(max(1, users_per_tenant // 20)),
                "BENCH_INPUT": write_lines("admin.tokens", [u["access"] for u in admins])}

    def env_refresh(self, users, k):
        return {"BENCH_MODE": "refresh", "BENCH_INPUT": write_lines("refresh.tokens", self.ds.unused_refresh(users, k))}

    def env_grant(self, admins):
        return {"BENCH_MODE": "client_credentials",
                "BENCH_INPUT": write_lines("grant.clients", [u["basic"] for u in admins])}

    def env_login(self, users):
        return {"BENCH_MODE": "login", "BENCH_PASSWORD": PASSWORD,
                "BENCH_INPUT": write_lines("login.users", [f"{u['email']}\t{u['slug']}" for u in users])}

    def login_flood(self, label, users, seconds):
        """Scenario 7: /users/me (16 connections) alone, then beside 64 connections of wrong passwords for random
        emails from random addresses, which every instance must hash (bounded) or refuse (503). The flood starts
        first and ends last, so /users/me is measured under it throughout; its answers are counted by status."""
        alone = self.measure("7a GET /users/me, no flood", label, self.env_me(users), 16, seconds)
        flood = {}
        flood_seconds = seconds + 15  # quiet_machine's check and the ramp-up come before the measurement
        thread = threading.Thread(target=lambda: flood.update(result=run_wrk(
            self.url, {"BENCH_MODE": "login_flood"}, 1, 64, flood_seconds, timeout_s=10)[0]))
        thread.start()
        time.sleep(5)
        beside = self.measure("7 GET /users/me beside a login flood", label, self.env_me(users), 16, seconds,
                              note="64 connections of wrong passwords beside it")
        thread.join()
        r = flood["result"]
        st = r["statuses"]
        row = {"scenario": "7 login flood (64 conns, wrong passwords)", "users": label, "connections": 64,
               "seconds": flood_seconds, "requests": r["requests"],
               "rps": round(r["requests"] / (r["duration_us"] / 1e6), 1),
               "p50_ms": r["latency_us"]["p50"] / 1000, "p90_ms": r["latency_us"]["p90"] / 1000,
               "p99_ms": r["latency_us"]["p99"] / 1000, "max_ms": r["latency_us"]["max"] / 1000,
               "non2xx": r["requests"] - st["other"],
               "socket_errors": sum(r["errors"][k] for k in ("connect", "read", "write", "timeout")),
               "statements": None, "statements_per_request": None,
               "rss_peak_mb": beside["rss_peak_mb"], "pool_open_peak": beside["pool_open_peak"],
               "pool_busy_peak": beside["pool_busy_peak"], "starved": 0, "statuses": st,
               "note": f"401 {st['401']}, 429 {st['429']}, 503 {st['503']}, other 5xx {st['other_5xx']}, other {st['other']}"}
        self.results.append(row)
        ratio = beside["rps"] / alone["rps"] if alone["rps"] else 0
        self.flood = {"me_alone_rps": alone["rps"], "me_beside_rps": beside["rps"], "ratio": round(ratio, 3),
                      "statuses": st, "rss_peak_mb": beside["rss_peak_mb"]}
        log(f"login flood: /users/me {beside['rps']} req/s beside it, {alone['rps']} alone = {ratio:.2f}; "
            f"flood answers {st}; peak RSS {beside['rss_peak_mb']} MB")

    def warm_up(self, users, admins, seconds):
        log(f"warm-up {seconds} s (not recorded)")
        run_wrk(self.url, self.env_login(users), 2, 4, 8, timeout_s=10)  # Argon2 first: its garbage is gone by the end
        part = max(5, (seconds - 8) // 4)
        run_wrk(self.url, self.env_refresh(users, 400), 2, 16, part)
        run_wrk(self.url, self.env_page(admins, self.args.users), 2, 16, part)
        run_wrk(self.url, self.env_me(users), 2, 16, part)
        run_wrk(self.url, self.env_jaxrs(), 2, 16, part)

    def first_requests(self, users, admins):
        """The first requests of a larger size's new tokens, unrecorded, as the warm-up made them for the first size:
        a token's first request pays MP-JWT's verification and the caller's query, later ones neither; without
        this, the larger size's rows would hold some 5,000 first requests that the smaller size's do not."""
        log("first requests of the new tokens (not recorded)")
        run_wrk(self.url, self.env_page(admins, self.args.users), 2, 16, 5)
        run_wrk(self.url, self.env_me(users), 2, 16, 10)

    def run(self):
        try:
            return self._run()
        finally:
            if self.server and not self.args.keep_server:
                self.server.stop()

    def _run(self):
        a = self.args
        os.makedirs(TMP, exist_ok=True)
        if a.start_server:
            data_dir = os.path.join(TMP, "data")
            if a.fresh and os.path.exists(data_dir):
                shutil.rmtree(data_dir)
            self.server = Server(urllib.parse.urlsplit(self.url).port or 80, data_dir, a.postboot, a.heap, a.offline)
            self.server.boot(build=True)
            self.db = Db("localhost", self.server.db_port, "postgres", "postgres", "embedded")
            if "pg_stat_statements" not in self.db.query("show shared_preload_libraries"):
                log("enabling pg_stat_statements in the bench's embedded PostgreSQL (restart)")
                self.db.query("alter system set shared_preload_libraries = 'pg_stat_statements'")
                self.server.stop()
                self.server.boot(build=False)
                self.db = Db("localhost", self.server.db_port, "postgres", "postgres", "embedded")
        else:
            self.db = Db(os.environ.get("GATEHOUSE_DB_HOST", "localhost"), os.environ.get("GATEHOUSE_DB_PORT", "5432"),
                         os.environ.get("GATEHOUSE_DB_NAME", "postgres"), os.environ.get("GATEHOUSE_DB_USER", "postgres"),
                         os.environ.get("GATEHOUSE_DB_PASSWORD", ""))
        # a running server's database (--no-start) may not preload it: then statements are not counted
        self.count_statements = a.start_server or "pg_stat_statements" in self.db.query("show shared_preload_libraries")
        if self.count_statements:
            self.db.query("create extension if not exists pg_stat_statements")
            if a.start_server and self.db.query("show pg_stat_statements.track_utility") != "off":
                # BEGIN/COMMIT/SET are not statements of the request's work: not tracked
                self.db.query("alter system set pg_stat_statements.track_utility = off")
                self.db.query("select pg_reload_conf()")
            self.db.query("select pg_stat_statements_reset()")  # fails early if not preloaded
        else:
            log("WARNING: pg_stat_statements is not preloaded in this database: SQL statements are not counted")
        pid = self.server_pid()
        if pid:
            self.own_pids.add(pid)
        return self._scenarios()

    def _scenarios(self):
        a = self.args
        self.ds = Dataset()
        clear_bench_data(self.db)
        phc = reference_hash(self.api, self.db)
        started = time.time()
        d = a.duration
        sizes = [s for s in (a.small_tenants, a.tenants) if s]
        prev = 0
        for i, tenants in enumerate(sizes):
            label = str(tenants * a.users)
            log(f"seeding tenants {prev}..{tenants - 1}: {a.users} users each, {a.tokens} refresh tokens each, 3 roles per tenant")
            seed(self.db, self.ds, phc, prev, tenants, a.users, a.tokens)
            prev = tenants
            users = self.ds.users
            step = max(1, len(users) // a.token_users)
            token_users = users[::step][: a.token_users]
            admins = [u for u in users if u["admin"]]
            take_access_tokens(self.api, self.ds, [u for u in token_users + admins if "access" not in u])
            final = i == len(sizes) - 1
            if i == 0:
                self.warm_up(token_users, admins, a.warmup)
            else:
                self.first_requests(token_users, admins)
            if a.flood_only:
                self.login_flood(label, token_users, a.login_flood_seconds)
                continue
            # the baseline: the same stack as /users/me (JAX-RS resource, JSON) without authentication or SQL
            self.measure(BASELINE, label, self.env_jaxrs(), 16, d)
            # the floor below it: MicroProfile Health's servlet, no JAX-RS
            self.measure(FLOOR, label, self.env_plain(), 16, d)
            self.measure("2 GET /users/me", label, self.env_me(token_users), 16, d)
            self.measure("3 GET /users?page (admins)", label, self.env_page(admins, a.users), 16, d)
            if a.pairs:
                self.paired_ratio(label, token_users, a.pairs, 10)
            if a.tuning_run:
                self.measure("2 GET /users/me", label, self.env_me(token_users), 64, d, note="64 connections")
                continue
            self.measure("4 POST /auth/refresh", label, self.env_refresh(users, 4000), 16, d)
            service_account_clients(self.api, admins)
            self.measure("4b POST /oauth/token (client secret)", label, self.env_grant(admins), 16, d)
            if final:
                # 6 before 5: the Argon2 garbage of the login scenario would otherwise land in scenario 6
                # twice each: the first run opens the connections on paths the 16-connection scenarios never
                # warmed (accept, per-connection buffers); the second is the steady state the targets are about
                if a.concurrency:
                    self.many_connections("6", label, token_users, a.concurrency, a.delay_ms)
                if a.many_connections:
                    # issue 17: twice the connections at twice the rate (10,000 sending every ~5 s: ~2,000 req/s)
                    self.many_connections("8", label, token_users, a.many_connections, a.many_delay_ms)
                self.measure("5 POST /auth/login", label, self.env_login(token_users), 16, d, wrk_timeout=10)
                if a.login_flood_seconds:
                    self.login_flood(label, token_users, a.login_flood_seconds)
        return time.time() - started


def argon2_rate(seconds):
    """Argon2id hashes/s on one core and on all cores, the server's own parameters (BouncyCastle)."""
    jdk = os.environ.get("JAVA_HOME", "")
    java = os.path.join(jdk, "bin", "java") if jdk else "java"
    m2 = os.path.expanduser("~/.m2/repository/org/bouncycastle/bcprov-jdk18on")
    jars = sorted(os.path.join(r, f) for r, _, fs in os.walk(m2) for f in fs if f.endswith(".jar"))
    if not jars:
        return None
    out = subprocess.run([java, "-cp", jars[-1], os.path.join(BENCH, "Argon2Rate.java"), str(seconds)],
                         capture_output=True, text=True, timeout=seconds * 3 + 60)
    m = re.search(r"ARGON2 (\{.*\})", out.stdout)
    return json.loads(m.group(1)) if m else None


def fmt(v, nd=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def reference_rps(rows, scenario):
    """req/s of a reference scenario per data size: {users: rps}."""
    return {r["users"]: r["rps"] for r in rows if r["scenario"] == scenario}


def ratio_to(r, reference):
    base = reference.get(r["users"])
    return fmt(r["rps"] / base, 2) if base else "–"


def table(rows):
    baselines, floors = reference_rps(rows, BASELINE), reference_rps(rows, FLOOR)
    head = ("| scenario | users | conns | req/s | × baseline | × /health/live | p50 ms | p90 ms | p99 ms | non-2xx "
            "| socket err | SQL stmts/req | peak RSS MB | pool open/busy peak |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    lines = []
    for r in rows:
        lines.append(f"| {r['scenario']} | {r['users']} | {r['connections']} | {fmt(r['rps'])} | "
                     f"{ratio_to(r, baselines)} | {ratio_to(r, floors)} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} | {r['p99_ms']:.2f} | "
                     f"{r['non2xx']} | {r['socket_errors']} | {fmt(r['statements_per_request'], 2)} | "
                     f"{fmt(r['rss_peak_mb'], 0)} | {r['pool_open_peak']}/{r['pool_busy_peak']} |")
    return head + "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://localhost:8480", help="server to load (loopback only)")
    p.add_argument("--no-start", dest="start_server", action="store_false",
                   help="target a running server at --url; database from GATEHOUSE_DB_* (pg_stat_statements preloaded)")
    p.add_argument("--server-pid", type=int, help="with --no-start: the server JVM's pid, for RSS")
    p.add_argument("--tenants", type=int, default=100)
    p.add_argument("--small-tenants", type=int, default=10, help="first run size in tenants (0: skip the 1,000-user run)")
    p.add_argument("--users", type=int, default=100, help="users per tenant")
    p.add_argument("--tokens", type=int, default=4, help="refresh tokens seeded per user")
    p.add_argument("--token-users", type=int, default=5000, help="distinct users whose access tokens are used")
    p.add_argument("--duration", type=int, default=30, help="seconds per scenario")
    p.add_argument("--warmup", type=int, default=60, help="warm-up seconds (>= 30)")
    p.add_argument("--pairs", type=int, default=3,
                   help="alternating 10-s runs of baseline and /users/me per data size, for the ratio (0: skip)")
    p.add_argument("--concurrency", type=int, default=5000, help="connections of scenario 6 (0: skip)")
    p.add_argument("--concurrency-duration", type=int, default=45)
    p.add_argument("--delay-ms", type=int, default=5000)
    p.add_argument("--many-connections", type=int, default=10000, help="connections of scenario 8 (0: skip)")
    p.add_argument("--many-delay-ms", type=int, default=5000)
    p.add_argument("--quick", action="store_true", help="smoke run: small data, 5 s scenarios")
    p.add_argument("--max-wait", type=int, default=1200,
                   help="longest wait in seconds for other busy JVMs before each measurement (0: measure at once)")
    p.add_argument("--login-flood-seconds", type=int, default=30,
                   help="seconds of scenario 7 (/users/me beside a login flood) and of its /users/me alone (0: skip)")
    p.add_argument("--login-flood", action="store_true",
                   help="scenario 7 only, after a short warm-up: 1,000 users, no other scenario")
    p.add_argument("--fresh", action="store_true", help="delete the bench's embedded database first")
    p.add_argument("--offline", action="store_true", help="run Maven offline")
    p.add_argument("--keep-server", action="store_true")
    p.add_argument("--postboot", help="alternative asadmin post-boot file (tuning runs)")
    p.add_argument("--heap", help="server heap (GATEHOUSE_HEAP)")
    p.add_argument("--label", default="", help="free text stored with the results")
    p.add_argument("--out", default=None, help="results file stem (default: timestamp)")
    p.add_argument("--jfr", help="record JFR (profile settings) during /users/me at 16 connections and scenario 6 "
                                 "(steady) into results/tmp/NAME-*.jfr")
    p.add_argument("--tuning", action="store_true",
                   help="pool/thread/JSON-provider/caller-cache variants, one server each (bench/journal/2026-11-28-pool-and-thread-sizes.md)")
    p.add_argument("--variant", action="append",
                   help="with --tuning: only the variants whose name contains this text (repeatable)")
    a = p.parse_args()
    a.tuning_run = False
    a.flood_only = False
    if a.tuning:
        return tuning(a)
    if a.quick:
        a.tenants, a.small_tenants, a.users, a.duration, a.warmup, a.pairs = 4, 2, 50, 5, 10, 1
        a.concurrency, a.concurrency_duration, a.token_users = min(a.concurrency, 500), 12, 200
        a.many_connections = min(a.many_connections, 1000)
        a.login_flood_seconds = min(a.login_flood_seconds, 10)
    if a.login_flood:
        a.flood_only = True
        a.tenants, a.small_tenants, a.pairs, a.concurrency, a.many_connections, a.token_users = 10, 0, 0, 0, 0, 1000
    connections = max(a.concurrency, a.many_connections)
    if connections:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = min(hard, max(soft, connections * 2 + 1024))
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        if want < connections + 256:
            sys.exit(f"open-file limit {want} too low for {connections} connections (raise the hard limit)")
    bench = Bench(a)
    stamp = a.out or time.strftime("%Y%m%d-%H%M%S")
    t0 = time.time()
    bench.run()
    log("measuring Argon2id hash rate (server parameters, BouncyCastle)")
    argon = argon2_rate(5 if a.quick else 10)
    rows = bench.results
    md = [f"# Gatehouse benchmark {stamp}", "",
          f"{a.label}".strip(), "",
          f"Machine: {os.cpu_count()} cores, {platform_line()}. wrk 2 threads; {a.duration} s per scenario after "
          f"{a.warmup} s warm-up; data: {a.tenants} tenants × {a.users} users (first run {a.small_tenants} tenants), "
          f"3 roles per tenant, {a.tokens} refresh tokens per user; access tokens of {a.token_users} distinct users.", "",
          table(rows)]
    if bench.pairs:
        md.append("Paired check of the ratio target (GET /users/me over the baseline, 16 connections, alternating "
                  "10-s runs of the two so that JIT and machine drift hit both alike):")
        md.append("")
        for p in bench.pairs:
            rounds = ", ".join(f"{r['me_rps']:,.0f} / {r['baseline_rps']:,.0f} = {r['ratio']:.2f}" for r in p["rounds"])
            md.append(f"- {p['users']} users: {rounds}; median **{p['median_ratio']:.2f}**")
        md.append("")
    if bench.flood:
        f = bench.flood
        md.append(f"Login flood (scenario 7): GET /users/me served {f['me_beside_rps']:,.1f} req/s beside 64 connections "
                  f"of wrong passwords, {f['me_alone_rps']:,.1f} alone: **{f['ratio']:.2f}**; the flood's answers "
                  f"401 {f['statuses']['401']:,}, 429 {f['statuses']['429']:,}, 503 {f['statuses']['503']:,}, "
                  f"other 5xx {f['statuses']['other_5xx']:,}; peak RSS {f['rss_peak_mb']:,.0f} MB.")
        md.append("")
    if argon:
        login = [r for r in rows if r["scenario"].startswith("5 ")]
        md.append(f"Argon2id (m=19 MiB, t=2, p=1, BouncyCastle, this JDK): {argon['one_core']:.1f} hashes/s on one core, "
                  f"{argon['all_cores']:.1f} hashes/s on {argon['threads']} threads"
                  + (f"; login ran at {login[0]['rps']:.1f} req/s = {login[0]['rps'] / os.cpu_count():.1f} per core." if login else "."))
        md.append("")
    md.append("req/s: wrk requests / duration. × baseline: req/s over scenario 1 (JAX-RS without authentication) of "
              "the same data size and run; × /health/live: over scenario 1a. "
              "Latency: wrk's histogram (for scenario 6 from sending a request to its response, the delay excluded). "
              "non-2xx: responses with status ≥ 400 as wrk counts them (refresh also counts every non-2xx in Lua). "
              "Socket errors: connect + read + write + timeout. SQL stmts/req: calls in pg_stat_statements "
              "(top-level, utility statements like BEGIN/COMMIT not tracked, the bench's own monitoring queries "
              "excluded), reset before the scenario, divided by wrk's request count. Peak RSS: highest VmRSS of the "
              "Payara JVM sampled every 0.25 s. Pool open/busy: highest number of PostgreSQL sessions with "
              "application_name 'gatehouse' (connections the JDBC pool holds) and of those not idle (in use by a "
              "request), sampled every 0.25 s from pg_stat_activity.")
    text = "\n".join(md) + "\n"
    doc = {"stamp": stamp, "label": a.label, "args": vars(a), "argon2": argon, "results": rows, "pairs": bench.pairs,
           "login_flood": bench.flood,
           "baseline_rps": reference_rps(rows, BASELINE), "wall_seconds": round(time.time() - t0)}
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, stamp + ".md"), "w") as f:
        f.write(text)
    with open(os.path.join(RESULTS, stamp + ".json"), "w") as f:
        json.dump(doc, f, indent=2)
    if not a.quick and not a.flood_only and not a.postboot and not stamp.startswith("tmp/"):
        shutil.copyfile(os.path.join(RESULTS, stamp + ".md"), os.path.join(RESULTS, "latest.md"))
    print()
    print(text)


TUNING_VARIANTS = [
    # name, JDBC max pool, HTTP max threads, extra server environment, monitoring levels on?
    ("chosen: JDBC 8, HTTP 32", 8, 32, {}, True),
    ("caller cache off (JDBC 8, HTTP 32)", 8, 32, {"GATEHOUSE_CALLER_CACHE_ENABLED": "false"}, True),
    ("verified-token cache off (JDBC 8, HTTP 32)", 8, 32, {"GATEHOUSE_TOKEN_CACHE_ENABLED": "false"}, True),
    ("before: JSON-P provider looked up per call, caller cache off", 8, 32,
     {"GATEHOUSE_JSON_PROVIDER": "lookup", "GATEHOUSE_CALLER_CACHE_ENABLED": "false"}, True),
    ("JDBC 4, HTTP 32", 4, 32, {}, True),
    ("JDBC 16, HTTP 32", 16, 32, {}, True),
    ("JDBC 8, HTTP 200", 8, 200, {}, True),
    ("JDBC 8, HTTP 32, monitoring levels OFF", 8, 32, {}, False),
]


def tuning(a):
    """One server per variant, same data size: baselines, /users/me (16 and 64 connections), a page of /users."""
    base = open(os.path.join(ROOT, "server-config", "post-boot-commands.asadmin")).read()
    a.small_tenants, a.tenants, a.concurrency, a.many_connections, a.token_users = 0, 10, 0, 0, 1000
    a.duration, a.warmup = (a.duration if a.duration != 30 else 15), 40
    a.tuning_run, a.start_server, a.pairs = True, True, 0
    stamp = a.out or time.strftime("%Y%m%d-%H%M%S") + "-tuning"
    variants = [v for v in TUNING_VARIANTS if not a.variant or any(f in v[0] for f in a.variant)]
    jfr = a.jfr
    rows = []
    os.makedirs(TMP, exist_ok=True)
    for name, jdbc, http, env, monitoring in variants:
        text = re.sub(r"--maxpoolsize=\d+", f"--maxpoolsize={jdbc}", base)
        text = re.sub(r"--steadypoolsize=\d+", f"--steadypoolsize={min(jdbc, 4)}", text)
        text = re.sub(r"max-thread-pool-size=\d+", f"max-thread-pool-size={http}", text)
        text = re.sub(r"min-thread-pool-size=\d+", f"min-thread-pool-size={min(http, 8)}", text)
        if not monitoring:
            text = re.sub(r"(?m)^set .*module-monitoring-levels.*$", "", text)
        a.postboot = os.path.join(TMP, "tuning.asadmin")
        with open(a.postboot, "w") as f:
            f.write(text)
        os.environ.update(env)
        log("tuning variant:", name)
        a.jfr = (jfr + "-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")) if jfr else None
        try:
            bench = Bench(a)
            bench.run()
        finally:
            for k in env:
                os.environ.pop(k, None)
        for r in bench.results:
            r["variant"] = name
        rows += bench.results
    lines = [f"# Gatehouse tuning run {stamp}", "",
             f"One server per variant, {a.tenants * a.users} users, {a.warmup} s warm-up, {a.duration} s per row, "
             "wrk 2 threads. × baseline: over the JAX-RS endpoint without authentication of the same server; "
             "× /health/live: over MicroProfile Health's servlet.", "",
             "| variant | scenario | conns | req/s | × baseline | × /health/live | p50 ms | p99 ms | non-2xx | SQL stmts/req | pool open/busy peak | peak RSS MB |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, *_ in variants:
        vr = [r for r in rows if r["variant"] == name]
        baselines, floors = reference_rps(vr, BASELINE), reference_rps(vr, FLOOR)
        for r in vr:
            lines.append(f"| {name} | {r['scenario']} | {r['connections']} | {fmt(r['rps'])} | "
                         f"{ratio_to(r, baselines)} | {ratio_to(r, floors)} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                         f"{r['non2xx']} | {fmt(r['statements_per_request'], 2)} | {r['pool_open_peak']}/{r['pool_busy_peak']} | "
                         f"{fmt(r['rss_peak_mb'], 0)} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(RESULTS, stamp + ".md"), "w") as f:
        f.write(text)
    with open(os.path.join(RESULTS, stamp + ".json"), "w") as f:
        json.dump({"stamp": stamp, "results": rows}, f, indent=2)
    print(text)


def platform_line():
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) // 1024 // 1024
        return f"{mem} GB RAM"
    except OSError:
        return ""


if __name__ == "__main__":
    main()
