#!/usr/bin/env python3
"""Gatehouse failover test (bench/README.md, "Failover"): one PostgreSQL, 2-3 Payara Micro instances behind
HAProxy, all on loopback; a mixed load through HAProxy while every instance is restarted in turn (SIGTERM,
start, ready) and then one is killed (SIGKILL) and started again. Prints and saves a table per phase: requests,
failures by kind, sessions lost, writes lost or phantom, time to ready.

Everything it starts runs in a process group of its own and is stopped at the end, also on failure or Ctrl-C.
"""
import argparse
import datetime
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "results")
TMP = os.path.join(RESULTS, "tmp", "failover")
PASSWORD = "failover password 0123"
LB_PORT = 8580
DRAIN_SECONDS = 8  # HAProxy below marks an instance down after 3 failed checks 1 s apart: about 3 s
STARTED = []  # every process this run started, stopped in reverse order at the end


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, out_name, env=None):
    out = open(os.path.join(TMP, out_name), "ab")
    process = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    STARTED.append(process)
    return process


def stop_all():
    """SIGTERM first: an instance drains, the database's launcher stops PostgreSQL (which runs in a session of
    its own, so SIGKILL to the launcher would leave it running); SIGKILL after 60 s."""
    for process in reversed(STARTED):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def get_status(port, path, timeout=2.0):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", path)
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return None


class Instance:
    def __init__(self, name, port, env, war):
        self.name, self.port, self.env, self.war = name, port, env, war
        self.process = None
        self.times_to_ready = []
        self.boot_hangs = 0

    def start(self):
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
        self.process = start([java, "@server-config/jvm.options", "-Xmx512m",
                              "-Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl",
                              "-jar", "target/runtime/payara-micro.jar", "--deploy", self.war,
                              "--port", str(self.port), "--nohazelcast",
                              "--prebootcommandfile", "server-config/pre-boot-commands.asadmin",
                              "--postbootcommandfile", "server-config/post-boot-commands.asadmin",
                              "--addlibs", "target/runtime/postgresql.jar"], f"instance-{self.name}.out", self.env)
        self.started_at = time.monotonic()

    def await_ready(self, silence_timeout=90, boot_timeout=420):
        """Payara Micro 7.2025.1 can hang while booting, before the application (seen once here under load: the
        RunLevelControllerThreads parked on one HK2 lock, the output silent): an instance whose output has
        not grown for silence_timeout seconds is killed and started again, once, and the time to ready counts
        both starts. A slow boot on a busy machine keeps writing and is waited for."""
        first_start = self.started_at
        for attempt in range(2):
            out = os.path.join(TMP, f"instance-{self.name}.out")
            size, grew_at = os.path.getsize(out), time.monotonic()
            while time.monotonic() - self.started_at < boot_timeout:
                if self.process.poll() is not None:
                    raise RuntimeError(f"instance {self.name} exited with {self.process.returncode}; see {TMP}")
                if get_status(self.port, "/health/ready") == 200:
                    seconds = time.monotonic() - first_start
                    self.times_to_ready.append(seconds)
                    log(f"instance {self.name} ready after {seconds:.1f} s")
                    return
                if os.path.getsize(out) != size:
                    size, grew_at = os.path.getsize(out), time.monotonic()
                elif time.monotonic() - grew_at > silence_timeout:
                    break
                time.sleep(0.5)
            if attempt == 0:
                log(f"instance {self.name} not ready and silent for {silence_timeout} s: boot hung, killed and started again")
                self.boot_hangs += 1
                self.kill()
                self.start()
        raise RuntimeError(f"instance {self.name} not ready after two starts; see {TMP}")

    def terminate(self, timeout=120):
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout)
        log(f"instance {self.name} stopped {time.monotonic() - began:.1f} s after SIGTERM, exit {self.process.returncode}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        log(f"instance {self.name} killed (SIGKILL)")


def haproxy_config(instances):
    servers = "\n".join(f"    server {i.name} 127.0.0.1:{i.port} check" for i in instances)
    return f"""# written by bench/failover.py; the settings docs/operations.md, "Running several instances", recommends
global
    maxconn 1000
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout check 5s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend gatehouse
    bind 127.0.0.1:{LB_PORT}
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /health/ready
    default-server inter 1s fall 3 rise 2
    # a request that reached an instance is retried elsewhere only when it is idempotent
    http-request disable-l7-retry unless METH_GET || METH_HEAD
{servers}
"""


class Api:
    """One keep-alive connection through the load balancer; any failure reconnects."""

    def __init__(self):
        self.connection = None

    def call(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", LB_PORT, timeout=30)
        try:
            self.connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = self.connection.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, (json.loads(data) if data and data[:1] == b"{" else None)
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return type(e).__name__, None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def outcome(status, body, ok):
    """'ok', or what failed: an HTTP status with Gatehouse's problem type, or '(load balancer)' when the answer
    is not Gatehouse's (HAProxy's 503 when no instance is up, 502/504), or a socket error's name."""
    if status in ok:
        return "ok"
    if isinstance(status, int):
        if isinstance(body, dict) and "type" in body:
            return f"{status} {body['type'].removeprefix('urn:gatehouse:problem:')}"
        return f"{status} (load balancer)" if status in (502, 503, 504) else str(status)
    return status


class Counts:
    """Outcomes by phase and request kind: 'ok', an HTTP status, or a socket error's name."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "warm-up"
        self.outcomes = {}  # (phase, kind) -> {outcome: n}
        self.sessions_lost = {}  # phase -> n

    def add(self, kind, outcome):
        with self.lock:
            per = self.outcomes.setdefault((self.phase, kind), {})
            per[outcome] = per.get(outcome, 0) + 1

    def session_lost(self):
        with self.lock:
            self.sessions_lost[self.phase] = self.sessions_lost.get(self.phase, 0) + 1


def register(api, tag):
    email = f"failover-{tag}-{uuid.uuid4().hex[:10]}@example.com"
    status, body = api.call("POST", "/api/v1/auth/register", {
        "email": email, "password": PASSWORD, "full_name": "Failover " + tag, "tenant_name": "Failover " + tag})
    if status != 201:
        raise RuntimeError(f"registration failed: {status} {body}")
    return email, body


def reader(counts, stop, token):
    api = Api()
    while not stop.is_set():
        status, body = api.call("GET", "/api/v1/users/me", token=token)
        counts.add("GET /users/me", outcome(status, body, (200,)))
        if status != 200:
            time.sleep(0.05)  # as a client would, not a storm of failures


def refresher(counts, stop, email, refresh_token):
    """Rotates in a loop. A failed answer is retried once with the same token, as a client whose response was
    lost would (the reuse interval); a 401 means the session ended: counted as lost, then a new login."""
    api = Api()
    while not stop.is_set():
        status, body = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": refresh_token})
        counts.add("POST /auth/refresh", outcome(status, body, (200,)))
        if status != 200 and status != 401:
            time.sleep(0.2)
            status, body = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": refresh_token})
            counts.add("POST /auth/refresh (client retry)", outcome(status, body, (200,)))
        if status == 200:
            refresh_token = body["refresh_token"]
        elif status == 401:
            counts.session_lost()
            while not stop.is_set():
                status, body = api.call("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
                if status == 200:
                    refresh_token = body["refresh_token"]
                    break
                time.sleep(0.5)


def role_creator(counts, stop, token, created, unknown):
    """Creates roles one after another. A failed answer leaves the outcome unknown: the client tries the same
    name again until it gets 201 (created now) or 409 (created by the attempt whose answer it lost)."""
    api = Api()
    while not stop.is_set():
        name = "r" + secrets.token_hex(6)
        for attempt in range(20):
            status, body = api.call("POST", "/api/v1/roles", {"name": name, "permissions": []}, token=token)
            counts.add("POST /roles" if attempt == 0 else "POST /roles (client retry)",
                       outcome(status, body, (201, 409) if attempt > 0 else (201,)))
            if status == 201 or (status == 409 and attempt > 0):
                created.add(name)
                unknown.discard(name)
                break
            unknown.add(name)
            time.sleep(0.3)


def psql(db_port, sql):
    return subprocess.run(["psql", "-X", "-At", "-h", "127.0.0.1", "-p", str(db_port), "-U", "postgres",
                           "-d", "postgres", "-c", sql], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PGPASSWORD="x")).stdout.split()


def table(counts, instances, writes, phases):
    kinds = sorted({k for (_, k) in counts.outcomes})
    lines = ["| phase | requests | kind | ok | failures by kind |", "|---|---:|---|---:|---|"]
    for phase in phases:
        for kind in kinds:
            per = counts.outcomes.get((phase, kind))
            if not per:
                continue
            failures = ", ".join(f"{n} × {o}" for o, n in sorted(per.items(), key=lambda e: str(e[0])) if o != "ok")
            lines.append(f"| {phase} | {sum(per.values()):,} | {kind} | {per.get('ok', 0):,} | {failures or '0'} |")
    lines.append("")
    lines.append("| phase | sessions lost (refresh chains ended) |")
    lines.append("|---|---:|")
    for phase in phases:
        lines.append(f"| {phase} | {counts.sessions_lost.get(phase, 0)} |")
    lines.append("")
    lines.append(f"Role creation: {writes['seen']} roles the client saw created, {writes['lost']} of them missing "
                 f"(writes lost), {writes['phantom']} roles in the database the client never saw created (phantom), "
                 f"{writes['unresolved']} left unresolved at the end.")
    lines.append("")
    lines.append("| instance | time to ready, s (first start, then each restart) | boots that hung (killed, started again) |")
    lines.append("|---|---|---:|")
    for i in instances:
        lines.append(f"| {i.name} | {', '.join(f'{t:.1f}' for t in i.times_to_ready)} | {i.boot_hangs} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=2, choices=(2, 3))
    parser.add_argument("--warm-up", type=int, default=30, help="seconds of load before the restarts")
    parser.add_argument("--war", default="target/gatehouse.war", help="another build to compare, e.g. main's")
    parser.add_argument("--settle", type=int, default=15, help="seconds of load between and after the phases")
    a = parser.parse_args()
    os.makedirs(TMP, exist_ok=True)
    for name in os.listdir(TMP):
        if name.endswith(".out"):
            os.remove(os.path.join(TMP, name))
    try:
        run(a)
    finally:
        log("stopping everything this run started")
        stop_all()


def run(a):
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    classpath = open(os.path.join(RESULTS, "tmp", "classpath.txt")).read().strip()
    db_port = free_port()
    db_dir = os.path.join(TMP, "postgres")
    subprocess.run(["rm", "-rf", db_dir], check=True)
    db = start([java, "-cp", f"target/test-classes:target/classes:{classpath}", "dev.gatehouse.launcher.EmbeddedDatabase",
                db_dir, str(db_port)], "database.out")
    deadline = time.monotonic() + 60
    while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(db_port)]).returncode != 0:
        if time.monotonic() > deadline or db.poll() is not None:
            raise RuntimeError("the database did not start; see " + TMP)
        time.sleep(0.5)
    log(f"PostgreSQL on port {db_port}")

    # one signing key for every instance: tokens issued by one are accepted by the others
    key = os.path.join(TMP, "private-key.pem")
    if not os.path.exists(key):
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                       check=True, capture_output=True)
    env = dict(os.environ, GATEHOUSE_DB_HOST="127.0.0.1", GATEHOUSE_DB_PORT=str(db_port), GATEHOUSE_DB_NAME="postgres",
               GATEHOUSE_DB_USER="postgres", GATEHOUSE_DB_PASSWORD="x", GATEHOUSE_DATA_DIR=os.path.join(TMP, "data"),
               GATEHOUSE_JWT_PRIVATE_KEY_LOCATION=key, GATEHOUSE_SHUTDOWN_DRAIN_SECONDS=str(DRAIN_SECONDS),
               GATEHOUSE_JWT_ACCESS_TOKEN_MINUTES="120",  # a run on a busy machine outlasts 15 minutes
               # every client here is 127.0.0.1, so the per-address limits would count the whole load as one client
               GATEHOUSE_RATE_LIMIT_REFRESH_PER_MINUTE="10000000", GATEHOUSE_RATE_LIMIT_LOGIN_PER_MINUTE="10000000")
    instances = [Instance(name, free_port(), env, a.war) for name in "abc"[:a.instances]]
    # the first migrates the schema alone; the others start once it is ready
    instances[0].start()
    instances[0].await_ready()
    for i in instances[1:]:
        i.start()
    for i in instances[1:]:
        i.await_ready()
    with open(os.path.join(TMP, "haproxy.cfg"), "w") as f:
        f.write(haproxy_config(instances))
    start(["haproxy", "-f", os.path.join(TMP, "haproxy.cfg")], "haproxy.out")
    deadline = time.monotonic() + 30
    while get_status(LB_PORT, "/health/ready") != 200:
        if time.monotonic() > deadline:
            raise RuntimeError("HAProxy did not come up; see " + TMP)
        time.sleep(0.5)
    log(f"HAProxy on port {LB_PORT} in front of " + ", ".join(f"{i.name}:{i.port}" for i in instances))

    api = Api()
    readers = [register(api, f"reader{n}")[1]["access_token"] for n in range(8)]
    refreshers = [register(api, f"refresher{n}") for n in range(4)]
    admin_email, admin = register(api, "roles")
    tenant_id = admin["user"]["tenant_id"]
    counts = Counts()
    stop = threading.Event()
    created, unknown = set(), set()
    threads = [threading.Thread(target=reader, args=(counts, stop, t)) for t in readers]
    threads += [threading.Thread(target=refresher, args=(counts, stop, e, b["refresh_token"])) for e, b in refreshers]
    threads.append(threading.Thread(target=role_creator, args=(counts, stop, admin["access_token"], created, unknown)))
    for t in threads:
        t.daemon = True
        t.start()
    log(f"load running: 8 readers, 4 refreshers, 1 role creator; warm-up {a.warm_up} s")
    time.sleep(a.warm_up)

    counts.phase = "rolling restart"
    for i in instances:
        i.terminate()
        i.start()
        i.await_ready()
        time.sleep(3)  # HAProxy's rise: 2 checks 1 s apart
    counts.phase = "steady"
    time.sleep(a.settle)

    counts.phase = "kill -9"
    victim = instances[0]
    victim.kill()
    time.sleep(5)
    victim.start()
    victim.await_ready()
    time.sleep(3)
    counts.phase = "after"
    time.sleep(a.settle)
    stop.set()
    for t in threads:
        t.join(60)

    in_db = set(psql(db_port, f"select name from roles where tenant_id = '{tenant_id}' and name like 'r%' and not is_system"))
    writes = {"seen": len(created), "lost": len(created - in_db), "phantom": len(in_db - created - unknown),
              "unresolved": len(unknown)}
    text = table(counts, instances, writes, ["warm-up", "rolling restart", "steady", "kill -9", "after"])
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    header = (f"# Failover run {stamp}\n\n{a.instances} instances behind HAProxy {haproxy_version()} on one PostgreSQL, "
              f"loopback, {os.cpu_count()} cores; drain {DRAIN_SECONDS} s; load: 8 readers (GET /users/me), "
              f"4 refresh loops, 1 role creator, each one request at a time on a keep-alive connection.\n"
              f"WAR {a.war}, git commit {git_commit()}.\n\n")
    with open(os.path.join(RESULTS, f"{stamp}-failover.md"), "w") as f:
        f.write(header + text + "\n")
    print()
    print(header + text)


def haproxy_version():
    out = subprocess.run(["haproxy", "-v"], capture_output=True, text=True).stdout
    return out.split()[2] if out else "?"


def git_commit():
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # timeout(1): still stop what this run started
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
