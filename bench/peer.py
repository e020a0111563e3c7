#!/usr/bin/env python3
"""Peer comparison (issue 17): Gatehouse against Keycloak on the same machine, the same PostgreSQL and the same
wrk settings. Called by `./bench/run.sh --peer keycloak`; see bench/README.md, "Peer comparison".

Starts Gatehouse as the benchmark does (./mvnw -Prun, embedded PostgreSQL), creates database `keycloak` in that
PostgreSQL, fetches the Keycloak Quarkus distribution from Maven Central (checked against its .sha1), builds it
once and starts it on loopback, sets both up (Gatehouse by SQL as gatehouse_bench.py does, Keycloak through its
admin REST API), then runs four scenarios on each server, one server after the other per scenario, each a 30-s
unrecorded warm-up and a 15-s measured wrk run with one thread. Per run: requests/s, p50/p99, the server JVM's
CPU per request (utime + stime from /proc/<pid>/stat around the measured run). Per server: start to ready (JVM
process start to /health/ready 200), RSS after start and after the runs. Everything it started is stopped at the
end, also on failure or SIGTERM (run.sh's timeout).
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import gatehouse_bench as gb
from gatehouse_bench import log

KC_VERSION = "26.7.3"
KC_ZIP_URL = ("https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/{v}/"
              "keycloak-quarkus-dist-{v}.zip")
GH_PORT, KC_PORT, KC_MANAGEMENT_PORT = 8480, 8481, 9481
REALM, CLIENT = "bench", "bench-cli"
ADMIN_USER, ADMIN_PASSWORD = "bench-admin", "bench-admin-password"  # a loopback-only throwaway server
HZ = os.sysconf("SC_CLK_TCK")


class Stop(Exception):
    """SIGTERM (run.sh's timeout) or SIGINT: unwinds through the finally blocks that stop the servers."""


def on_signal(signum, _frame):
    raise Stop(f"signal {signum}")


# ---------------------------------------------------------------------------------------------- processes

def jvm_started_at(pid):
    """Wall-clock start of a process, from its start time in /proc (clock ticks since boot) and /proc/uptime."""
    with open(f"/proc/{pid}/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return time.time() - (uptime - start_ticks / HZ)


def http_status(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


class ReadyWatch(threading.Thread):
    """Polls /health/ready every 0.1 s once the server JVM exists; ready_at is the first 200."""

    def __init__(self, url, find_pid):
        super().__init__(daemon=True)
        self.url, self.find_pid = url, find_pid
        self.pid = self.jvm_start = self.ready_at = None
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set() and self.ready_at is None:
            if self.pid is None:
                try:
                    self.pid = self.find_pid()
                    self.jvm_start = jvm_started_at(self.pid) if self.pid else None
                except OSError:
                    self.pid = None
                self.done.wait(0.1 if self.pid else 0.5)  # the JVM's start time comes from /proc, not from here
            else:
                if http_status(self.url, 1) == 200:
                    self.ready_at = time.time()
                self.done.wait(0.1)

    def seconds(self):
        return round(self.ready_at - self.jvm_start, 2) if self.ready_at and self.jvm_start else None


def stop_group(proc, name, grace=60):
    if not proc or proc.poll() is not None:
        return
    log("stopping", name)
    pgid = os.getpgid(proc.pid)
    os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        proc.wait(30)
    for _ in range(30):  # children of the script (the JVM) may outlive it briefly
        try:
            os.killpg(pgid, 0)
            time.sleep(1)
        except ProcessLookupError:
            break


# ---------------------------------------------------------------------------------------------- http

def request(method, url, body=None, form=None, token=None, timeout=60):
    headers = {"Accept": "application/json"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read()
            return r.status, (json.loads(text) if text and r.headers.get_content_type() == "application/json" else None), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace"), e.headers


# ---------------------------------------------------------------------------------------------- keycloak

class Keycloak:
    """The Quarkus distribution, unpacked under results/tmp, built once for PostgreSQL and started on loopback."""

    def __init__(self, version, db_port):
        self.version, self.db_port = version, db_port
        self.home = os.path.join(gb.TMP, f"keycloak-{version}")
        self.log_path = os.path.join(gb.TMP, "keycloak.log")
        self.url = f"http://127.0.0.1:{KC_PORT}"
        self.proc = None
        self._admin = (None, 0.0)

    def fetch(self):
        zip_url = KC_ZIP_URL.format(v=self.version)
        zip_path = os.path.join(gb.TMP, os.path.basename(zip_url))
        with urllib.request.urlopen(zip_url + ".sha1", timeout=60) as r:
            want = r.read().decode().split()[0].strip().lower()
        if not os.path.exists(zip_path) or sha1(zip_path) != want:
            log("downloading", zip_url)
            part = zip_path + ".part"
            with urllib.request.urlopen(zip_url, timeout=600) as r, open(part, "wb") as f:
                shutil.copyfileobj(r, f, 1 << 20)
            got = sha1(part)
            if got != want:
                os.remove(part)
                raise RuntimeError(f"{zip_url}: SHA-1 {got}, Maven Central says {want}")
            os.replace(part, zip_path)
        marker = os.path.join(self.home, ".bench-sha1")
        if not os.path.exists(marker) or open(marker).read() != want:
            shutil.rmtree(self.home, ignore_errors=True)
            with zipfile.ZipFile(zip_path) as z:
                z.extractall(gb.TMP)
            for script in ("kc.sh", "kcadm.sh"):
                os.chmod(os.path.join(self.home, "bin", script), 0o755)
            with open(marker, "w") as f:
                f.write(want)
        log(f"Keycloak {self.version}: {zip_path} (SHA-1 {want} as on Maven Central)")

    # build-time options; `kc.sh build` runs again only when they change
    BUILD = ["--db=postgres", "--health-enabled=true", "--cache=local"]

    def env(self):
        return dict(os.environ,
                    KC_DB_URL=f"jdbc:postgresql://127.0.0.1:{self.db_port}/keycloak",
                    KC_DB_USERNAME="postgres", KC_DB_PASSWORD="embedded",
                    KC_HTTP_ENABLED="true", KC_HTTP_HOST="127.0.0.1", KC_HTTP_PORT=str(KC_PORT),
                    KC_HTTP_MANAGEMENT_HOST="127.0.0.1", KC_HTTP_MANAGEMENT_PORT=str(KC_MANAGEMENT_PORT),
                    KC_HOSTNAME_STRICT="false",
                    KC_BOOTSTRAP_ADMIN_USERNAME=ADMIN_USER, KC_BOOTSTRAP_ADMIN_PASSWORD=ADMIN_PASSWORD)

    def build(self):
        marker = os.path.join(self.home, ".bench-build")
        options = " ".join(self.BUILD)
        if os.path.exists(marker) and open(marker).read() == options:
            return
        log("kc.sh build", options)
        with open(self.log_path, "a") as logf:
            subprocess.run([os.path.join(self.home, "bin", "kc.sh"), "build"] + self.BUILD, env=self.env(),
                           stdout=logf, stderr=subprocess.STDOUT, timeout=900, check=True, start_new_session=True)
        with open(marker, "w") as f:
            f.write(options)

    def start(self):
        """kc.sh start --optimized; returns start-to-ready seconds (JVM start to /health/ready 200)."""
        logf = open(self.log_path, "a")
        log(f"starting Keycloak on {self.url} (log: {os.path.relpath(self.log_path, gb.ROOT)})")
        self.proc = subprocess.Popen([os.path.join(self.home, "bin", "kc.sh"), "start", "--optimized"],
                                     env=self.env(), stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
        watch = ReadyWatch(f"http://127.0.0.1:{KC_MANAGEMENT_PORT}/health/ready", self.pid)
        watch.start()
        deadline = time.time() + 600
        while watch.ready_at is None:
            if self.proc.poll() is not None or time.time() > deadline:
                watch.done.set()
                raise RuntimeError("Keycloak did not become ready; see " + self.log_path)
            time.sleep(0.2)
        return watch.seconds()

    def pid(self):
        return gb.group_pid(self.proc, b"io.quarkus.bootstrap.runner.QuarkusEntryPoint") if self.proc else None

    def stop(self):
        stop_group(self.proc, "Keycloak")

    # admin REST API
    def admin_token(self):
        token, at = self._admin
        if token and time.time() - at < 30:  # master realm's admin tokens live 60 s
            return token
        status, body, _ = request("POST", f"{self.url}/realms/master/protocol/openid-connect/token",
                                  form={"grant_type": "password", "client_id": "admin-cli",
                                        "username": ADMIN_USER, "password": ADMIN_PASSWORD})
        if status != 200:
            raise RuntimeError(f"Keycloak admin token: {status} {body}")
        self._admin = (body["access_token"], time.time())
        return body["access_token"]

    def admin(self, method, path, body=None, ok=(200, 201, 204)):
        status, out, headers = request(method, f"{self.url}/admin/realms{path}", body=body, token=self.admin_token())
        if status not in ok:
            raise RuntimeError(f"Keycloak admin {method} {path}: {status} {out}")
        return out, headers

    def set_up(self, users, password):
        """Realm (both servers rotate refresh tokens), a public client with direct access grants, the users."""
        log(f"Keycloak: realm {REALM}, client {CLIENT}, {users} users")
        self.admin("DELETE", f"/{REALM}", ok=(204, 404))
        self.admin("POST", "", {
            "realm": REALM, "enabled": True,
            "revokeRefreshToken": True, "refreshTokenMaxReuse": 0,
            # the run takes longer than Keycloak's default 5-min access tokens and 30-min idle sessions;
            # Gatehouse's bench server gets 240-min access tokens too
            "accessTokenLifespan": 14400, "ssoSessionIdleTimeout": 14400, "ssoSessionMaxLifespan": 36000,
            "clients": [{"clientId": CLIENT, "publicClient": True, "directAccessGrantsEnabled": True,
                         "standardFlowEnabled": False}],
        })

        def create(i):
            self.admin("POST", f"/{REALM}/users", {
                "username": f"user{i}", "email": f"user{i}@bench.example", "emailVerified": True,
                "firstName": "Bench", "lastName": f"User {i}", "enabled": True,
                "credentials": [{"type": "password", "value": password, "temporary": False}]})
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            list(pool.map(create, range(users)))
        log(f"Keycloak: created {users} users in {time.time() - started:.1f} s")
        found, _ = self.admin("GET", f"/{REALM}/users?username=user0&exact=true")
        creds, _ = self.admin("GET", f"/{REALM}/users/{found[0]['id']}/credentials")
        return json.loads(creds[0]["credentialData"])

    def login(self, username, password, scope=None):
        form = {"grant_type": "password", "client_id": CLIENT, "username": username, "password": password}
        if scope:
            form["scope"] = scope
        status, body, _ = request("POST", f"{self.url}/realms/{REALM}/protocol/openid-connect/token", form=form)
        if status != 200:
            raise RuntimeError(f"Keycloak login of {username}: {status} {body}")
        return body


def sha1(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------- measuring

class Side:
    """One server under test: where it answers, its JVM, and the wrk environment of each scenario."""

    def __init__(self, name, url, pid, envs):
        self.name, self.url, self.pid, self.envs = name, url, pid, envs
        self.start_to_ready = None
        self.start_to_ready_again = None
        self.rss_after_start_mb = None
        self.rss_after_runs_mb = None
        self.rss_peak_mb = None


SCENARIOS = [
    # key, label, connections
    ("trivial", "trivial JSON, no auth", 16),
    ("whoami", "who am I (100 users' tokens)", 16),
    ("refresh", "rotating refresh", 16),
    ("login", "password login", 4),
]


def mb(pid, field="VmRSS"):
    return round(gb.rss_kb(pid, field) / 1024, 1)


def measure(side, key, label, conns, warmup, seconds, own_pids, max_wait):
    gb.quiet_machine(own_pids, max_wait)
    env = side.envs[key]
    warm = env.get("warmup", env)
    log(f"{side.name}: {label}, warm-up {warmup} s")
    gb.run_wrk(side.url, warm, 1, conns, warmup, timeout_s=10)
    load_before = os.getloadavg()[0]
    cpu_before = gb.cpu_ticks(side.pid)
    result, _ = gb.run_wrk(side.url, env.get("measured", env), 1, conns, seconds, timeout_s=10)
    cpu = (gb.cpu_ticks(side.pid) - cpu_before) / HZ
    reqs = result["requests"]
    e = result["errors"]
    row = {
        "server": side.name, "scenario": key, "label": label, "connections": conns, "seconds": seconds,
        "requests": reqs, "rps": round(reqs / (result["duration_us"] / 1e6), 1),
        "p50_ms": result["latency_us"]["p50"] / 1000, "p99_ms": result["latency_us"]["p99"] / 1000,
        "non2xx": max(e["status"], result["lua_non2xx"]),
        "socket_errors": e["connect"] + e["read"] + e["write"] + e["timeout"],
        "starved": result.get("starved", 0),
        "statuses": result["statuses"] if key == "login" else None,
        "cpu_seconds": round(cpu, 2), "cpu_ms_per_request": round(cpu * 1000 / reqs, 3) if reqs else None,
        "load1_before": round(load_before, 2), "load1_after": round(os.getloadavg()[0], 2),
    }
    log(f"{side.name:<9} {label:<30} {row['rps']:>9} req/s  p50 {row['p50_ms']:.2f}  p99 {row['p99_ms']:.2f} ms  "
        f"CPU {row['cpu_ms_per_request']} ms/req  non2xx {row['non2xx']}  sock {row['socket_errors']}  "
        f"starved {row['starved']}  load {row['load1_before']}" + (f"  statuses {row['statuses']}" if row["statuses"] else ""))
    return row


def ratio(a, b, nd=2):
    return f"{a / b:.{nd}f}" if a and b else "–"


def table(rows, kc, gh):
    by = {(r["server"], r["scenario"]): r for r in rows}
    out = ["| scenario | conns | Keycloak req/s | Gatehouse req/s | req/s GH ÷ KC | Keycloak p50 / p99 ms "
           "| Gatehouse p50 / p99 ms | Keycloak CPU ms/req | Gatehouse CPU ms/req | CPU GH ÷ KC | errors KC / GH |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for key, label, conns in SCENARIOS:
        k, g = by.get((kc.name, key)), by.get((gh.name, key))
        if not k or not g:
            continue
        out.append(f"| {label} | {conns} | {k['rps']:,.1f} | {g['rps']:,.1f} | **{ratio(g['rps'], k['rps'])}** | "
                   f"{k['p50_ms']:.2f} / {k['p99_ms']:.2f} | {g['p50_ms']:.2f} / {g['p99_ms']:.2f} | "
                   f"{gb.fmt(k['cpu_ms_per_request'], 3)} | {gb.fmt(g['cpu_ms_per_request'], 3)} | "
                   f"**{ratio(g['cpu_ms_per_request'], k['cpu_ms_per_request'])}** | "
                   f"{k['non2xx'] + k['socket_errors']} / {g['non2xx'] + g['socket_errors']} |")
    for label, attr, unit in (("RSS after start", "rss_after_start_mb", "MB"),
                              ("RSS after the runs", "rss_after_runs_mb", "MB"),
                              ("peak RSS (VmHWM)", "rss_peak_mb", "MB"),
                              ("start to ready, fresh schema", "start_to_ready", "s"),
                              ("start to ready, schema present (restart)", "start_to_ready_again", "s")):
        a, b = getattr(kc, attr), getattr(gh, attr)
        if a is None and b is None:
            continue
        fa = f"{a:,.1f} {unit}" if a is not None else "–"
        fb = f"{b:,.1f} {unit}" if b is not None else "–"
        out.append(f"| {label} | | {fa} | {fb} | **{ratio(b, a)}** | | | | | | |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- the run

def boot_gatehouse(server, silence=90):
    """The benchmark's server start (./mvnw -Prun); returns start-to-ready of the Payara JVM. Payara Micro 7.2025.1
    sometimes hangs while booting (bench/README.md, "Failover"): a Payara JVM whose output stays silent for `silence`
    seconds before it is ready is killed, and the server started once more."""
    def payara():
        try:
            return server.payara_pid() if server.proc else None
        except OSError:
            return None
    for attempt in (1, 2):
        watch = ReadyWatch(f"http://127.0.0.1:{GH_PORT}/health/ready", payara)
        watch.start()
        hung = threading.Event()

        def guard():
            size, quiet_since = -1, time.time()
            while not watch.done.is_set() and watch.ready_at is None:
                now_size = os.path.getsize(server.log_path) if os.path.exists(server.log_path) else 0
                if now_size != size or watch.pid is None:
                    size, quiet_since = now_size, time.time()
                elif time.time() - quiet_since > silence:
                    log(f"Payara Micro silent for {silence} s while booting: killing it")
                    hung.set()
                    try:
                        os.kill(watch.pid, signal.SIGKILL)
                    except OSError:
                        pass
                    return
                watch.done.wait(1)
        threading.Thread(target=guard, daemon=True).start()
        try:
            server.boot()
        except RuntimeError:
            watch.done.set()
            if not hung.is_set() or attempt == 2:
                raise
            server.stop()
            continue
        deadline = time.time() + 30  # boot() saw it ready, polling every 1 s; the watch polls every 0.1 s
        while watch.ready_at is None and time.time() < deadline:
            time.sleep(0.1)
        watch.done.set()
        return watch.seconds()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--peer", default="keycloak", choices=["keycloak"])
    p.add_argument("--keycloak-version", default=KC_VERSION)
    p.add_argument("--users", type=int, default=100, help="users on each server (token holders, login users)")
    p.add_argument("--warmup", type=int, default=30, help="unrecorded seconds before each measured run")
    p.add_argument("--duration", type=int, default=15, help="measured seconds per scenario and server")
    p.add_argument("--no-restart", dest="restart", action="store_false",
                   help="skip the restarts that measure start-to-ready with the schema present")
    p.add_argument("--max-wait", type=int, default=600,
                   help="longest wait in seconds for other busy JVMs before each scenario")
    p.add_argument("--offline", action="store_true", help="run Maven offline")
    p.add_argument("--out", help="results file stem (default: <timestamp>-peer)")
    a = p.parse_args()
    if a.users < 100:
        sys.exit("--users: at least 100 (who-am-I runs over 100 users' tokens)")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    os.makedirs(gb.TMP, exist_ok=True)
    stamp = a.out or time.strftime("%Y%m%d-%H%M%S") + "-peer"
    load_start = os.getloadavg()
    data_dir = os.path.join(gb.TMP, "peer-data")  # both servers start on a fresh schema
    shutil.rmtree(data_dir, ignore_errors=True)
    server = gb.Server(GH_PORT, data_dir, offline=a.offline)
    kc = None
    rows = []
    argon = None
    try:
        # Gatehouse first: its run command starts the embedded PostgreSQL both servers use
        log_start = os.path.getsize(server.log_path) if os.path.exists(server.log_path) else 0
        gh_ready = boot_gatehouse(server)
        with open(server.log_path, errors="replace") as f:
            f.seek(log_start)
            recording = "AOT cache: none yet" in f.read()
        if recording:
            # the run command's first start with these options records its AOT cache, made when it stops
            # (docs/getting-started.md, "The data directory"); measure a start that uses it, as every later start of a user's does
            log("that start recorded the run command's AOT cache: stopping it to make the cache, then again")
            server.stop()
            shutil.rmtree(data_dir, ignore_errors=True)
            gh_ready = boot_gatehouse(server)
        gh = Side("Gatehouse", f"http://127.0.0.1:{GH_PORT}", server.payara_pid(), {})
        gh.start_to_ready, gh.rss_after_start_mb = gh_ready, mb(gh.pid)
        log(f"Gatehouse ready {gh.start_to_ready} s after its JVM started; RSS {gh.rss_after_start_mb} MB")
        db = gb.Db("127.0.0.1", server.db_port, "postgres", "postgres", "embedded")
        db.query("drop database if exists keycloak")
        db.query("create database keycloak")

        kc = Keycloak(a.keycloak_version, server.db_port)
        kc.fetch()
        kc.build()
        kc_side = Side("Keycloak", kc.url, None, {})
        kc_side.start_to_ready = kc.start()
        kc_side.pid = kc.pid()
        kc_side.rss_after_start_mb = mb(kc_side.pid)
        log(f"Keycloak ready {kc_side.start_to_ready} s after its JVM started; RSS {kc_side.rss_after_start_mb} MB")

        # Gatehouse data: one tenant of N users with the server's own hash, seeded refresh tokens
        api = gb.Api(gh.url)
        gb.clear_bench_data(db)
        phc = gb.reference_hash(api, db)
        ds = gb.Dataset()
        gb.seed(db, ds, phc, 0, 1, a.users, 4)
        users = ds.users
        gb.take_access_tokens(api, ds, users, workers=4)
        gh_refresh = ds.unused_refresh(users, a.users) + ds.unused_refresh(users, a.users)  # one per user per call
        gh.envs = {
            "trivial": {"BENCH_MODE": "plain", "BENCH_PATH": "/.well-known/jwks.json"},
            "whoami": {"BENCH_MODE": "bearer", "BENCH_PATH": "/api/v1/users/me",
                       "BENCH_INPUT": gb.write_lines("peer-gh-me.tokens", [u["access"] for u in users[:100]])},
            "refresh": {"warmup": {"BENCH_MODE": "refresh", "BENCH_INPUT": gb.write_lines(
                            "peer-gh-refresh-warm.tokens", gh_refresh[:a.users])},
                        "measured": {"BENCH_MODE": "refresh", "BENCH_INPUT": gb.write_lines(
                            "peer-gh-refresh.tokens", gh_refresh[a.users:])}},
            "login": {"BENCH_MODE": "login", "BENCH_PASSWORD": gb.PASSWORD, "BENCH_INPUT": gb.write_lines(
                "peer-gh-login.users", [f"{u['email']}\t{u['slug']}" for u in users])},
        }

        # Keycloak data: realm, client, users through the admin API; tokens by direct grants (each one a hash)
        kc_hash = kc.set_up(a.users, gb.PASSWORD)
        names = [f"user{i}" for i in range(a.users)]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            # userinfo wants the openid scope; the refresh chains and logins go without it, so Keycloak signs no ID
            # token there (Gatehouse issues none)
            me_tokens = [t["access_token"] for t in pool.map(lambda n: kc.login(n, gb.PASSWORD, "openid"), names[:100])]
            kc_refresh = [t["refresh_token"] for t in pool.map(lambda n: kc.login(n, gb.PASSWORD), names + names)]
        token_path = f"/realms/{REALM}/protocol/openid-connect/token"
        kc_side.envs = {
            "trivial": {"BENCH_MODE": "plain", "BENCH_PATH": f"/realms/{REALM}"},
            "whoami": {"BENCH_MODE": "bearer", "BENCH_PATH": f"/realms/{REALM}/protocol/openid-connect/userinfo",
                       "BENCH_INPUT": gb.write_lines("peer-kc-me.tokens", me_tokens)},
            "refresh": {"warmup": {"BENCH_MODE": "refresh", "BENCH_PATH": token_path, "BENCH_FORM_CLIENT": CLIENT,
                                   "BENCH_INPUT": gb.write_lines("peer-kc-refresh-warm.tokens", kc_refresh[:a.users])},
                        "measured": {"BENCH_MODE": "refresh", "BENCH_PATH": token_path, "BENCH_FORM_CLIENT": CLIENT,
                                     "BENCH_INPUT": gb.write_lines("peer-kc-refresh.tokens", kc_refresh[a.users:])}},
            "login": {"BENCH_MODE": "login", "BENCH_PATH": token_path, "BENCH_FORM_CLIENT": CLIENT,
                      "BENCH_PASSWORD": gb.PASSWORD, "BENCH_INPUT": gb.write_lines("peer-kc-login.users", names)},
        }

        own = {gh.pid, kc_side.pid, server.proc.pid, kc.proc.pid}
        for key, label, conns in SCENARIOS:
            for side in (kc_side, gh):
                rows.append(measure(side, key, label, conns, a.warmup, a.duration, own, a.max_wait))
        for side in (kc_side, gh):
            side.rss_after_runs_mb, side.rss_peak_mb = mb(side.pid), mb(side.pid, "VmHWM")
        log("measuring the bare Argon2id hash rate at Gatehouse's parameters (both servers idle)")
        argon = gb.argon2_rate(10)

        if a.restart:
            # schema present: Keycloak first (it needs the database that Gatehouse's run command owns)
            kc.stop()
            server.stop()
            gh.start_to_ready_again = boot_gatehouse(server)
            kc.db_port = server.db_port
            kc_side.start_to_ready_again = kc.start()
            log(f"restarts, schema present: Gatehouse {gh.start_to_ready_again} s, Keycloak {kc_side.start_to_ready_again} s")
    finally:
        if kc:
            kc.stop()
        server.stop()

    gh_params = phc.split("$")[1:4]
    doc = {"stamp": stamp, "args": vars(a), "keycloak_version": a.keycloak_version,
           "load_average_start": load_start, "results": rows,
           "servers": {s.name: {k: getattr(s, k) for k in ("start_to_ready", "start_to_ready_again",
                                                             "rss_after_start_mb", "rss_after_runs_mb", "rss_peak_mb")}
                       for s in (kc_side, gh)},
           "hashes": {"gatehouse": "$".join([""] + gh_params), "keycloak": kc_hash}, "argon2_bare": argon,
           "java": os.environ.get("JAVA_HOME")}
    with open(os.path.join(gb.RESULTS, stamp + ".json"), "w") as f:
        json.dump(doc, f, indent=2)
    kc_params = {k: ",".join(v) if isinstance(v, list) else v for k, v in kc_hash.get("additionalParameters", {}).items()}
    hash_line = (f"Password hashes: Gatehouse {gh_params[0]} {gh_params[2]} ({gh_params[1]}); Keycloak "
                 f"{kc_hash.get('algorithm')} type {kc_params.get('type')} memory {kc_params.get('memory')} KiB, "
                 f"iterations {kc_hash.get('hashIterations')}, parallelism {kc_params.get('parallelism')}, "
                 f"version {kc_params.get('version')}, hash length {kc_params.get('hashLength')} (Keycloak's default "
                 "password policy: no hashAlgorithm set).")
    logins = {r["server"]: r["statuses"] for r in rows if r["scenario"] == "login"}
    login_line = ("Password login answers by status (\"other\" = 2xx): " + "; ".join(
        f"{name} " + ", ".join(f"{k} {v:,}" for k, v in st.items() if v) for name, st in logins.items()) + "."
        if logins else "")
    gh_login = next((r for r in rows if r["server"] == gh.name and r["scenario"] == "login"), None)
    bare_line = ""
    if argon and gh_login and gh_login["cpu_ms_per_request"]:
        per_core = 1000 / gh_login["cpu_ms_per_request"]
        bare_line = (f"Bare Argon2id at Gatehouse's parameters (bench/Argon2Rate.java, BouncyCastle, this JDK, both "
                     f"servers idle): {argon['one_core']:.1f} hashes/s on one core ({1000 / argon['one_core']:.1f} ms "
                     f"each), {argon['all_cores']:.1f} on {argon['threads']} threads. Gatehouse's login took "
                     f"{gh_login['cpu_ms_per_request']:.1f} ms of JVM CPU: {per_core:.1f} logins per core-second, "
                     f"**{per_core / argon['one_core']:.2f}** of the bare hash rate per core.")
    loads = [r["load1_before"] for r in rows]
    md = [f"# Peer comparison {stamp}: Gatehouse against Keycloak {a.keycloak_version}", "",
          f"Machine: {os.cpu_count()} cores, {gb.platform_line()}; servers, PostgreSQL and wrk share them. "
          f"1-minute load average at the start {load_start[0]:.2f} ({load_start[1]:.2f} over 5 min); before the "
          f"measured runs {min(loads):.2f}–{max(loads):.2f}. wrk -t1, per scenario and server {a.warmup} s warm-up "
          f"(not recorded) then {a.duration} s measured; Keycloak then Gatehouse for each scenario, both servers "
          f"up throughout (the other one idle). {a.users} users on each side.", "",
          table(rows, kc_side, gh),
          login_line, "", bare_line, "",
          "GH ÷ KC: Gatehouse's figure over Keycloak's (req/s: above 1 is Gatehouse faster; CPU, RSS, time: below 1 "
          "is Gatehouse cheaper). CPU ms/req: utime + stime of the server JVM (/proc/<pid>/stat) across the "
          "measured run over its requests. errors: non-2xx + socket errors in the measured run. RSS after start: "
          "VmRSS when /health/ready first answered 200; after the runs: VmRSS after the last scenario. Start to "
          "ready: the server JVM's start (/proc) to the first 200 of /health/ready, polled every 0.1 s.", "",
          "Scenarios: trivial = Keycloak GET /realms/{r} vs Gatehouse GET /.well-known/jwks.json; who am I = GET "
          "/realms/{r}/protocol/openid-connect/userinfo vs GET /api/v1/users/me, a different user's token on each "
          "request (round robin over 100); rotating refresh = token endpoint grant_type=refresh_token vs POST "
          "/api/v1/auth/refresh, each response's new refresh token used for the next request (Keycloak realm "
          "revokeRefreshToken=true, refreshTokenMaxReuse=0); password login = direct grant "
          "(grant_type=password, public client) vs POST /api/v1/auth/login.", "",
          hash_line, "",
          "Keycloak: `kc.sh build " + " ".join(Keycloak.BUILD) + "` then `kc.sh start --optimized`, HTTP on "
          f"127.0.0.1:{KC_PORT}, management (health) on 127.0.0.1:{KC_MANAGEMENT_PORT}, hostname-strict off, its "
          "default JVM options (kc.sh: -Xms64m -Xmx512m, G1) on this JDK; database `keycloak` in the same "
          "embedded PostgreSQL. Gatehouse: `./mvnw -Prun` as the benchmark starts it (its default heap).", ""]
    text = "\n".join(md)
    with open(os.path.join(gb.RESULTS, stamp + ".md"), "w") as f:
        f.write(text)
    print()
    print(text)


if __name__ == "__main__":
    try:
        main()
    except Stop as e:
        sys.exit(f"stopped by {e}")
