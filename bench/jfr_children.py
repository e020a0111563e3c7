#!/usr/bin/env python3
"""Where the time under one frame goes: the distribution of its callees (depth levels below it).
Usage: jfr_children.py FILE.jfr FRAME_REGEX [DEPTH]"""
import collections, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util
spec = importlib.util.spec_from_file_location("jp", os.path.join(os.path.dirname(os.path.abspath(__file__)), "jfr_profile.py"))
src = open(spec.origin).read().split("def main")[0]
ns = {}
exec(src, ns)
path, rx, depth = sys.argv[1], re.compile(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1
req = [f for t, f in ns["samples"](path) if "http-thread-pool" in t]
c = collections.Counter()
n = 0
for f in req:
    idx = [i for i, x in enumerate(f) if rx.search(x)]
    if not idx:
        continue
    n += 1
    i = idx[-1]  # outermost occurrence
    c[" -> ".join(reversed(f[max(0, i - depth):i])) or "(self)"] += 1
print(f"{n} of {len(req)} request-thread samples ({100 * n / len(req):.1f}%) under /{sys.argv[2]}/")
for k, v in c.most_common(25):
    print(f"{100 * v / len(req):5.1f}%  {k}")
