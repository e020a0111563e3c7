#!/usr/bin/env python3
"""Login cost of an account with an imported bcrypt hash (passlib's $2b$, cost 12) against a native one
(Argon2id, m=19 MiB, t=2): a paired loop against one server, median milliseconds per case. bench/README.md,
"Legacy password hashes". Starts the server as bench/run.sh does (./mvnw -Prun, port 8480), or uses a running
one with --no-start --url URL (its database from GATEHOUSE_DB_* or the embedded defaults with --db-port)."""
import argparse
import statistics
import time
import uuid

import gatehouse_bench as gb

# made by libxcrypt's crypt(3), not by Gatehouse (the same fixture as V1ImportChecks' Ada)
BCRYPT_PASSWORD = "v1 password of Ada"
BCRYPT_HASH = "$2b$12$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm"


def timed(api, email, password):
    start = time.perf_counter()
    status, _ = api.call("POST", "/api/v1/auth/login", {"email": email, "password": password})
    return (time.perf_counter() - start) * 1000, status


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-n", type=int, default=20)
    p.add_argument("--no-start", action="store_true")
    p.add_argument("--url", default="http://localhost:8480")
    p.add_argument("--db-port", type=int)
    a = p.parse_args()
    server = None
    if not a.no_start:
        gb.os.makedirs(gb.TMP, exist_ok=True)
        server = gb.Server(8480, gb.os.path.join(gb.TMP, "data"))
        server.boot()
        a.db_port = server.db_port
    try:
        db = gb.Db("localhost", a.db_port, "postgres", "postgres", "embedded")
        api = gb.Api(a.url)
        run = uuid.uuid4().hex[:8]
        native, legacy = f"native-{run}@bench.example.com", f"bcrypt-{run}@bench.example.com"
        for email, tenant in ((native, "Native " + run), (legacy, "Bcrypt " + run)):
            status, _ = api.call("POST", "/api/v1/auth/register", {"email": email, "password": BCRYPT_PASSWORD,
                                                                  "full_name": "Bench", "tenant_name": tenant})
            assert status == 201, status
        for _ in range(3):  # warm-up
            timed(api, native, BCRYPT_PASSWORD)
        cases = {k: [] for k in ("native right", "bcrypt right (first sign-in: verify + upgrade)",
                                 "native wrong", "bcrypt wrong", "unknown email")}
        for i in range(a.n):
            cases["native wrong"].append(timed(api, native, "wrong password " + str(i)))
            cases["native right"].append(timed(api, native, BCRYPT_PASSWORD))
            db.query(f"update users set password_hash = '{BCRYPT_HASH}' where email = '{legacy}'")
            cases["bcrypt wrong"].append(timed(api, legacy, "wrong password " + str(i)))
            cases["bcrypt right (first sign-in: verify + upgrade)"].append(timed(api, legacy, BCRYPT_PASSWORD))
            cases["unknown email"].append(timed(api, f"nobody-{run}-{i}@bench.example.com", BCRYPT_PASSWORD))
        base = statistics.median(ms for ms, _ in cases["native wrong"])
        print(f"{a.n} paired logins per case, median ms (ratio to a wrong password on a native account)")
        for name, samples in cases.items():
            med = statistics.median(ms for ms, _ in samples)
            statuses = sorted({s for _, s in samples})
            print(f"  {name:50s} {med:8.1f} ms  x{med / base:4.2f}  statuses {statuses}")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
