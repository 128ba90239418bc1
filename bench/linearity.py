#!/usr/bin/env python3
"""Does any of Scholia's own passes grow faster than its input?

    python3 bench/linearity.py            # n = 1,000 and 10,000, 3 runs each
    python3 bench/linearity.py --n 2000 --runs 5

Three sites stress one pass each, at n and at 10 n:

- autolink:  one commentary of n paragraphs, each naming one of 50 glossary entries, with
             `autolink: all`, so every mention becomes a link;
- footnotes: one commentary with n notes, each referenced twice (so each note links back to
             two references), and every note shown as a sidenote and in the list;
- backlinks: n short commentaries that all mention the same entry, whose page lists them.

A linear pass takes ~10x the time at 10 n, a quadratic one ~100x; the script prints the ratio
of the median build times. The fixed cost of a run (loading the theme and syntax sets, 50
entry pages) is not subtracted, so where it dominates the ratio sits well below 10.
It also checks each output: the number of glossary links, note references and backlinks.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def entry(root, i):
    path = os.path.join(root, "content/glossary/bodies", f"body-{i}.md")
    with open(path, "w") as f:
        f.write(f'---\nname: "Agency Number {i}"\nabbr: "AN{i}"\nsummary: "A test body."\n---\n\nA body.\n')


def site(kind, n):
    # A RAM disk where there is one: creating and deleting 50,000 files on ext4 adds seconds
    # of noise.
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    root = tempfile.mkdtemp(prefix=f"scholia-lin-{kind}-{n}-", dir=base)
    for d in ["content/commentaries", "content/glossary/bodies"]:
        os.makedirs(os.path.join(root, d))
    fm = '---\ntitle: "T{i}"\ndate: 2020-01-01\nsummary: "S."\n---\n\n'
    if kind == "autolink":
        with open(os.path.join(root, "scholia.yaml"), "w") as f:
            f.write("autolink: all\n")
        for i in range(50):
            entry(root, i)
        body = "".join(f"Paragraph {p} says that the AN{p % 50} acted, and so did others.\n\n" for p in range(n))
        with open(os.path.join(root, "content/commentaries/2020-01-01-long.md"), "w") as f:
            f.write(fm.format(i=0) + body)
        expect = ("a.gl", n)
    elif kind == "footnotes":
        body = "".join(f"Claim {p}[^n{p}] and again[^n{p}].\n\n" for p in range(n))
        body += "".join(f"[^n{p}]: Source {p}.\n" for p in range(n))
        with open(os.path.join(root, "content/commentaries/2020-01-01-notes.md"), "w") as f:
            f.write(fm.format(i=0) + body)
        expect = ('role="doc-noteref"', 2 * n)
    else:
        entry(root, 0)
        for i in range(n):
            path = os.path.join(root, "content/commentaries", f"2020-01-01-c{i}.md")
            with open(path, "w") as f:
                f.write(fm.format(i=i) + "The AN0 acted.\n")
        expect = ("backlink", n)
    return root, expect


def count(root, kind):
    out = os.path.join(root, "site")
    if kind == "autolink":
        html = open(os.path.join(out, "commentaries/long/index.html")).read()
        return len(re.findall(r'<a class="gl', html))
    if kind == "footnotes":
        html = open(os.path.join(out, "commentaries/notes/index.html")).read()
        return html.count('role="doc-noteref"')
    html = open(os.path.join(out, "glossary/bodies/body-0/index.html")).read()
    return len(set(re.findall(r'href="/commentaries/(c\d+)/"', html)))


def median_build(scholia, root, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([scholia, "build", "--root", root], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scholia", default=os.path.join(ROOT, "target", "release", "scholia"))
    a = ap.parse_args()
    if not os.path.exists(a.scholia):
        sys.exit(f"{a.scholia} is missing: run `cargo build --release` first")
    print(f"{'pass':<10} {'n':>7} {'median s':>9} {'10n':>7} {'median s':>9} {'ratio':>6}")
    for kind in ["autolink", "footnotes", "backlinks"]:
        row = []
        for n in [a.n, 10 * a.n]:
            root, (what, want) = site(kind, n)
            secs = median_build(a.scholia, root, a.runs)
            got = count(root, kind)
            if got != want:
                sys.exit(f"{kind} at n={n}: expected {want} {what}, found {got}")
            shutil.rmtree(root)
            row.append((n, secs))
        (n1, t1), (n2, t2) = row
        print(f"{kind:<10} {n1:>7} {t1:>9.3f} {n2:>7} {t2:>9.3f} {t2 / t1:>6.1f}")


if __name__ == "__main__":
    main()
