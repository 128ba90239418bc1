#!/usr/bin/env python3
"""What the publishing checks cost: `scholia build` against `scholia check` (the same build
into a temporary folder, then the link check and the editorial report) on one corpus.

    python3 bench/publish.py                       # the shared 10,000-commentary corpus
    python3 bench/publish.py --root /tmp/me/c200 --runs 5

The binary is target/release/scholia (build it first). Each command runs --runs times,
alternating; the median wall time is printed. Both must succeed, and check must find every
link resolving (exit 0): a fast wrong answer fails.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, env):
    """(wall seconds, user+sys CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        errors = [l for l in r.stderr.splitlines() if l.startswith("error")]
        sys.exit(f"{' '.join(cmd)} failed:\n" + "\n".join(errors[:20]))
    return elapsed, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default="/dev/shm/scholia-bench/large-scholia")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--base-url", default="https://example.org/policy/commentary/")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "scholia"))
    a = ap.parse_args()
    # Both outputs on the RAM disk (check writes under TMPDIR), so the disk is not measured.
    tmp = "/dev/shm" if os.path.isdir("/dev/shm") else None
    env = dict(os.environ, TMPDIR=tmp or tempfile.gettempdir())
    out = tempfile.mkdtemp(prefix="scholia-publish-bench-", dir=tmp)
    site = os.path.join(out, "site")
    builds, checks = [], []
    try:
        for _ in range(a.runs):
            builds.append(timed([a.bin, "build", "--root", a.root, "--out", site, "--base-url", a.base_url], env))
            checks.append(timed([a.bin, "check", "--root", a.root, "--base-url", a.base_url], env))
        pages = sum(1 for _, _, fs in os.walk(site) for f in fs if f.endswith(".html"))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    med = lambda runs, i: statistics.median(r[i] for r in runs)
    print(f"{a.root}: {pages} pages, median of {a.runs} (wall s / user+sys CPU s)")
    for name, runs in (("build", builds), ("check (+links)", checks)):
        print(f"  {name:15} {med(runs, 0):6.2f} / {med(runs, 1):6.2f}   runs: "
              + ", ".join(f"{w:.2f}/{c:.2f}" for w, c in runs))
    print(f"  check - build   {med(checks, 0) - med(builds, 0):6.2f} / {med(checks, 1) - med(builds, 1):6.2f}"
          "   (link check of every page, editorial report)")

if __name__ == "__main__":
    main()
