#!/usr/bin/env python3
"""Summarises a JFR recording's execution samples: self and inclusive shares of frames, and the callers of a
frame. Usage: jfr_profile.py FILE.jfr [--match REGEX ...] [--callers REGEX] [--top N]
Needs JDK 25's jfr (JAVA_HOME/bin/jfr)."""
import argparse, collections, json, os, re, subprocess

def samples(path):
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "200", "--events", "jdk.ExecutionSample", path],
                         capture_output=True, text=True, check=True).stdout
    for e in json.loads(out)["recording"]["events"]:
        frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
        thread = (e["values"].get("sampledThread") or {}).get("javaName") or ""
        yield thread, [f"{f['method']['type']['name']}.{f['method']['name']}" for f in frames]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--match", action="append", default=[])
    p.add_argument("--callers")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--thread", default="http-thread-pool")
    a = p.parse_args()
    all_s = [(t, f) for t, f in samples(a.file)]
    req = [f for t, f in all_s if a.thread in t]
    print(f"samples: {len(all_s)} total, {len(req)} on threads matching '{a.thread}'")
    incl = collections.Counter()
    for f in req:
        for name in set(f):
            incl[name] += 1
    for m in a.match:
        rx = re.compile(m)
        n = sum(1 for f in req if any(rx.search(x) for x in f))
        print(f"  {100 * n / max(1, len(req)):5.1f}%  stacks containing /{m}/")
    if a.callers:
        rx = re.compile(a.callers)
        c = collections.Counter()
        for f in req:
            for i, x in enumerate(f):
                if rx.search(x):
                    c[" <- ".join(f[i:i + 12])] += 1
                    break
        for k, v in c.most_common(a.top):
            print(f"{v:5d}  {k}")
    else:
        for k, v in incl.most_common(a.top):
            print(f"{100 * v / len(req):5.1f}%  {k}")

main()
