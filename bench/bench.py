#!/usr/bin/env python3
"""Scholia's benchmark: build the same corpus with Scholia and with Hugo, side by side.

    python3 bench/bench.py                 # small and large corpora, 3 runs each
    python3 bench/bench.py --sizes small --runs 5
    python3 bench/bench.py --glossary-flatness --scaling

Corpora come from ../shared/bench/gen_corpus.py (seed 1) and are cached under --work
(default /dev/shm/scholia-bench: a RAM disk, because deleting and re-creating thousands of
files on this machine's ext4 costs seconds of noisy system time). Each run is timed with
/usr/bin/time -v (wall, user+sys CPU, peak RSS); Scholia and Hugo alternate. Every build's
output is checked: the number of HTML pages, and the number of glossary links in commentary
pages, which must equal the links the Hugo flavor carries pre-made. A fast wrong build fails.

For each corpus it also times a physical floor: reading every input file (`cat`) and
writing as many files, folders and bytes as Scholia wrote (`cp -r` of its output to a fresh
folder, which reads that output from the RAM disk too), with no processing; and prints
Scholia's ratio to it.
"""

import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
SIZES = {
    "small": (1000, 300, 200),
    "large": (10000, 1500, 1000),
    "50k": (50000, 1500, 1000),
}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def corpus(work, name, commentaries, bodies, treaties, flavor):
    out = os.path.join(work, f"{name}-{flavor}")
    if not os.path.isdir(out):
        sh([sys.executable, GEN, "--out", out, "--commentaries", str(commentaries),
            "--bodies", str(bodies), "--treaties", str(treaties), "--seed", "1",
            "--flavor", flavor, "--force"], stdout=subprocess.DEVNULL)
    return out


def timed(cmd, cwd=None):
    """(wall s, cpu s, peak RSS MiB) of one run, via /usr/bin/time -v."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    def field(label):
        m = re.search(rf"{re.escape(label)}: (.*)", r.stderr)
        return m.group(1).strip()
    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return secs, cpu, rss


def html_pages(out):
    return sum(1 for _ in glob.iglob(os.path.join(out, "**", "*.html"), recursive=True))


def scholia_links(out):
    """Glossary links in the text of commentary pages (sidenote copies left out)."""
    n = 0
    for f in glob.iglob(os.path.join(out, "commentaries", "*", "index.html")):
        s = open(f, encoding="utf-8").read()
        s = re.sub(r'<aside class="sidenote".*?</aside>', "", s, flags=re.S)
        n += s.count('<a class="gl ')
    return n


def hugo_expected_links(hugo_root):
    """The glossary links the Hugo flavor writes by hand into published commentaries."""
    n = 0
    for f in glob.iglob(os.path.join(hugo_root, "content", "commentaries", "**", "*.md"), recursive=True):
        s = open(f, encoding="utf-8").read()
        if re.search(r"^draft:\s*true", s, re.M):
            continue
        n += s.count("](/glossary/")
    return n


def tree_size(root):
    """(files, bytes) under root."""
    files = size = 0
    for d, _, fs in os.walk(root):
        for f in fs:
            files += 1
            size += os.path.getsize(os.path.join(d, f))
    return files, size


def floor(args, name, s_root, s_out):
    """Median (wall, cpu) of reading the inputs and writing a copy of Scholia's output."""
    dest = os.path.join(args.work, f"floor-{name}")
    script = f'find "{s_root}" -type f -exec cat {{}} + >/dev/null && cp -r "{s_out}" "{dest}"'
    ws = []
    for _ in range(args.runs):
        shutil.rmtree(dest, ignore_errors=True)
        ws.append(timed(["sh", "-c", script]))
    shutil.rmtree(dest, ignore_errors=True)
    return statistics.median(w[0] for w in ws), statistics.median(w[1] for w in ws)


def bench_size(args, name, sizes):
    c, b, t = sizes
    s_root = corpus(args.work, name, c, b, t, "scholia")
    h_root = corpus(args.work, name, c, b, t, "hugo") if not args.no_hugo else None
    s_out = os.path.join(args.work, f"out-{name}-scholia")
    h_out = os.path.join(args.work, f"out-{name}-hugo")
    runs = {"scholia": [], "hugo": []}
    for _ in range(args.runs):
        runs["scholia"].append(timed([args.scholia, "build", "--root", s_root, "--out", s_out]))
        if h_root:
            shutil.rmtree(h_out, ignore_errors=True)
            runs["hugo"].append(timed(["hugo", "--quiet", "-d", h_out], cwd=h_root))
    # Check the outputs.
    pages = html_pages(s_out)
    links = scholia_links(s_out)
    problems = []
    if h_root:
        want_links = hugo_expected_links(h_root)
        if links != want_links:
            problems.append(f"glossary links: scholia {links}, hugo flavor {want_links}")
        hugo_pages = html_pages(h_out)
        # Hugo writes the same pages; allow its few extra list pages (taxonomy terms index).
        if abs(hugo_pages - pages) > 3:
            problems.append(f"HTML pages: scholia {pages}, hugo {hugo_pages}")
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    s_wall = med(runs["scholia"], 0)
    print(f"\n## {name}: {c} commentaries, {b} bodies, {t} treaties ({args.runs} runs, median)")
    print(f"| tool | wall s | CPU s | peak RSS MiB | pages/s |")
    print(f"|---|---|---|---|---|")
    for tool in ("scholia", "hugo"):
        if not runs[tool]:
            continue
        w = med(runs[tool], 0)
        print(f"| {tool} | {w:.2f} | {med(runs[tool], 1):.2f} | {max(x[2] for x in runs[tool]):.0f} | {pages / w:.0f} |")
    if runs["hugo"]:
        print(f"ratio scholia/hugo (wall): {s_wall / med(runs['hugo'], 0):.2f}")
    f_wall, f_cpu = floor(args, name, s_root, s_out)
    in_files, in_bytes = tree_size(s_root)
    out_files, out_bytes = tree_size(s_out)
    print(f"physical floor (read {in_files} files, {in_bytes / 2**20:.1f} MiB; write "
          f"{out_files} files, {out_bytes / 2**20:.1f} MiB): {f_wall:.2f} s wall, {f_cpu:.2f} s CPU; "
          f"scholia/floor: {s_wall / f_wall:.1f}x wall, {med(runs['scholia'], 1) / f_cpu:.1f}x CPU")
    print(f"checked: {pages} HTML pages, {links} glossary links in commentaries")
    if problems:
        sys.exit("OUTPUT CHECK FAILED: " + "; ".join(problems))
    return s_wall


def flatness(args):
    """Auto-linking the same 1,000 commentaries with 100 and with 10,100 glossary entries.

    A whole build renders one page per entry, so it grows with the glossary by design: it is
    printed for reference. The figure that must stay flat is the Markdown pass over the
    commentaries, which examples/autolink_flatness.rs times alone (same text, the small
    glossary and the small one plus 10,000 more entries, every explicit link resolving)."""
    print("\n## auto-link cost against glossary size (1,000 commentaries)")
    roots = {}
    for entries in (100, 10000):
        b, t = entries * 3 // 5, entries * 2 // 5
        roots[entries] = corpus(args.work, f"gloss{entries}", 1000, b, t, "scholia")
        out = os.path.join(args.work, f"out-gloss{entries}")
        ws = [timed([args.scholia, "build", "--root", roots[entries], "--out", out])
              for _ in range(args.runs)]
        wall = statistics.median(w[0] for w in ws)
        print(f"whole build, {entries:>6} entries: {wall:.2f} s wall, {html_pages(out)} pages")
    sh(["cargo", "run", "--release", "--quiet", "--example", "autolink_flatness", "--",
        roots[100], roots[10000]], cwd=ROOT)


def scaling(args):
    print("\n## scaling (commentaries, wall s)")
    for name in ("small", "large", "50k"):
        c, b, t = SIZES[name]
        root = corpus(args.work, name, c, b, t, "scholia")
        out = os.path.join(args.work, f"out-{name}-scholia")
        ws = [timed([args.scholia, "build", "--root", root, "--out", out]) for _ in range(args.runs)]
        w = statistics.median(x[0] for x in ws)
        print(f"{c:>6}: {w:.2f} s ({c / w:.0f} commentaries/s, peak RSS {max(x[2] for x in ws):.0f} MiB)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="small,large", help="comma-separated: small, large, 50k")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/dev/shm/scholia-bench")
    ap.add_argument("--scholia", default=os.path.join(ROOT, "target", "release", "scholia"))
    ap.add_argument("--no-hugo", action="store_true", help="Scholia only")
    ap.add_argument("--glossary-flatness", action="store_true")
    ap.add_argument("--scaling", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    if not args.no_hugo and shutil.which("hugo") is None:
        sys.exit("hugo is not installed: apt-get install hugo (or pass --no-hugo)")
    for name in [s for s in args.sizes.split(",") if s]:
        bench_size(args, name, SIZES[name])
    if args.glossary_flatness:
        flatness(args)
    if args.scaling:
        scaling(args)


if __name__ == "__main__":
    main()
