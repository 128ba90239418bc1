#!/usr/bin/env python3
"""How fast `scholia serve` shows a save: edit files of a running preview, time until served.

    python3 bench/serve_bench.py                       # 10,000-commentary corpus
    python3 bench/serve_bench.py --edits 20 --alias-edits 5 --hugo /tmp/serve-bench/large-hugo

The corpus (../shared/bench/gen_corpus.py, seed 1; by default the shared copy in
/dev/shm/scholia-bench/large-scholia) is copied to --work first, because this script edits it.

Measured, each as the wall time from the saved file being renamed into place (as editors
save) to the new text being served over HTTP, polled every 2 ms:
  - commentary edit: a new sentence in one commentary; median over --edits commentaries;
  - alias edit: a new alias on one glossary entry, until a commentary that contains the alias
    text serves it as a link to the entry; median over --alias-edits entries;
  - the full `scholia build` of the same copy, for comparison (median of --runs);
  - then a second `serve` of the copy, which starts from the folder and cache the first one
    left: its start, and commentary edits (other files) the same way;
  - with --hugo DIR (a hugo-flavor corpus): `hugo server` on it, one or two commentary edits,
    the same way, plus the rebuild time Hugo itself prints.
Every measured edit is checked (the text or the link must appear); a timeout fails the run.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "scholia")


def get(port, path, host="127.0.0.1"):
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return 0, ""


def save(path, text):
    """Write beside the target, then rename over it: one event, no half-written file."""
    tmp = os.path.join(os.path.dirname(os.path.dirname(path)), ".bench-save.tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def wait_served(port, path, pred, timeout=60.0, host="127.0.0.1"):
    start = time.perf_counter()
    while True:
        status, body = get(port, path, host)
        if status == 200 and pred(body):
            return time.perf_counter()
        if time.perf_counter() - start > timeout:
            sys.exit(f"timeout: {path} never showed the change")
        time.sleep(0.002)


def slug_of(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    with open(path) as f:
        head = f.read(4000)
    m = re.search(r"^slug:\s*\"?([^\"\n]+)\"?\s*$", head, re.M)
    if m:
        return m.group(1).strip()
    return stem[11:] if re.match(r"\d{4}-\d{2}-\d{2}-", stem) else stem


def start_server(cmd, ready, cwd=None):
    """Start a server; return (process, lines list, matched ready line)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)
    lines = []
    found = threading.Event()
    match = {}

    def pump():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            m = re.search(ready, line)
            if m and not found.is_set():
                match["m"] = m
                found.set()

    threading.Thread(target=pump, daemon=True).start()
    start = time.time()
    while not found.wait(0.5):
        if proc.poll() is not None or time.time() - start > 1800:
            proc.kill()
            sys.exit("server never became ready:\n" + "\n".join(lines[-20:]))
    return proc, lines, match["m"]


def commentary_files(site):
    """The published commentaries (drafts are not served)."""
    out = []
    for d, _, files in os.walk(os.path.join(site, "content", "commentaries")):
        for f in files:
            path = os.path.join(d, f)
            if f.endswith(".md") and not re.search(r"^draft: true$", open(path).read(4000), re.M):
                out.append(path)
    return sorted(out)


def bench_scholia(args, site):
    # Full build, for comparison.
    builds = []
    for _ in range(args.runs):
        out = os.path.join(args.work, "full-out")
        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([BIN, "build", "--root", site, "--out", out, "--base-url", "/"],
                       check=True, stdout=subprocess.DEVNULL)
        builds.append(time.perf_counter() - t)
    shutil.rmtree(os.path.join(args.work, "full-out"), ignore_errors=True)

    t = time.perf_counter()
    proc, lines, m = start_server([BIN, "serve", "--root", site, "--port", "0"],
                                  r"serving http://localhost:(\d+)/")
    startup = time.perf_counter() - t
    port = int(m.group(1))
    try:
        files = commentary_files(site)
        step = max(1, len(files) // args.edits)
        picked = files[::step][: args.edits]
        times = commentary_edits(port, picked)

        # Alias edits: first (untimed) a commentary gains a made-up name, then (timed) an
        # entry gains that name as an alias; done when the commentary links it.
        bodies = sorted(os.listdir(os.path.join(site, "content", "glossary", "bodies")))
        alias_times = []
        for n in range(args.alias_edits):
            entry = os.path.join(site, "content", "glossary", "bodies",
                                 bodies[(n * 97) % len(bodies)])
            entry_slug = os.path.splitext(os.path.basename(entry))[0]
            f = picked[(n * 7 + 3) % len(picked)]
            url = f"/commentaries/{slug_of(f)}/"
            name = f"Quorvath Panel {chr(65 + n)}{n}"
            text = open(f).read()
            save(f, text.rstrip("\n") + f"\n\nThe {name} met in private.\n")
            wait_served(port, url, lambda b: name in b)
            time.sleep(0.5)
            etext = open(entry).read()
            if re.search(r"^aliases: \[", etext, re.M):
                new = re.sub(r"^aliases: \[", f"aliases: [{name}, ", etext, count=1, flags=re.M)
            else:
                new = re.sub(r"^(name: .*)$", rf"\1\naliases: [{name}]", etext, count=1,
                             flags=re.M)
            link = re.compile(r'<a [^>]*href="[^"]*/' + re.escape(entry_slug) + r'/"[^>]*>'
                              + re.escape(name) + "</a>")
            t0 = time.perf_counter()
            save(entry, new)
            t1 = wait_served(port, url, lambda b: link.search(b) is not None)
            alias_times.append(t1 - t0)
            time.sleep(0.5)
        rebuilds = [l for l in lines if l.startswith("rebuilt in")]
    finally:
        proc.terminate()
        proc.wait()
    # A second session: it starts from the folder and cache the first one left.
    t = time.perf_counter()
    proc, lines, m = start_server([BIN, "serve", "--root", site, "--port", "0"],
                                  r"serving http://localhost:(\d+)/")
    restart = time.perf_counter() - t
    try:
        port = int(m.group(1))
        picked = files[step // 2::step][: args.edits]
        restart_times = commentary_edits(port, picked)
    finally:
        proc.terminate()
        proc.wait()
    return {
        "full_build_s": builds,
        "serve_start_s": startup,
        "edit_ms": [x * 1000 for x in times],
        "alias_ms": [x * 1000 for x in alias_times],
        "rebuild_lines": rebuilds,
        "restart_s": restart,
        "restart_edit_ms": [x * 1000 for x in restart_times],
    }


def commentary_edits(port, picked):
    """Appends a sentence to each file of `picked`; the times until each is served."""
    times = []
    for n, f in enumerate(picked):
        url = f"/commentaries/{slug_of(f)}/"
        if get(port, url)[0] != 200:
            sys.exit(f"{url} is not served")
        text = open(f).read()
        token = f"Benchmark sentence {n} {time.time_ns()}."
        t0 = time.perf_counter()
        save(f, text.rstrip("\n") + f"\n\n{token}\n")
        t1 = wait_served(port, url, lambda b: token in b)
        times.append(t1 - t0)
        time.sleep(0.3)
    return times


def bench_hugo(args, site):
    port = free_port()
    t = time.perf_counter()
    proc, lines, _ = start_server(
        ["hugo", "server", "--source", site, "--port", str(port), "--bind", "127.0.0.1",
         "--disableLiveReload"],
        r"Web Server is available")
    startup = time.perf_counter() - t
    try:
        files = commentary_files(site)
        times = []
        for n in range(args.hugo_edits):
            f = files[(n + 1) * len(files) // (args.hugo_edits + 1)]
            text = open(f).read()
            m = re.search(r'^slug\s*[:=]\s*"?([^"\n]+)"?', text, re.M)
            slug = m.group(1) if m else slug_of(f)
            url = None
            for cand in (f"/commentaries/{slug}/", f"/{slug}/"):
                if get(port, cand)[0] == 200:
                    url = cand
                    break
            if url is None:
                sys.exit(f"hugo: cannot find the page of {f}")
            token = f"Benchmark sentence {n} {time.time_ns()}."
            before = len(lines)
            t0 = time.perf_counter()
            save(f, text.rstrip("\n") + f"\n\n{token}\n")
            t1 = wait_served(port, url, lambda b: token in b, timeout=600)
            times.append(t1 - t0)
            time.sleep(2)
            for l in lines[before:]:
                if "Total in" in l or "rebuilding" in l.lower():
                    print("  hugo:", l.strip())
    finally:
        proc.terminate()
        proc.wait()
    return {"start_s": startup, "edit_ms": [x * 1000 for x in times]}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/dev/shm/scholia-bench/large-scholia")
    ap.add_argument("--work", default="/tmp/serve-bench")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--alias-edits", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--hugo", help="a hugo-flavor corpus to compare with `hugo server`")
    ap.add_argument("--hugo-edits", type=int, default=2)
    ap.add_argument("--no-build", action="store_true", help="use target/release as is")
    args = ap.parse_args()

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(args.work, exist_ok=True)
    site = os.path.join(args.work, os.path.basename(args.corpus.rstrip("/")))
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(args.corpus, site)

    r = bench_scholia(args, site)
    med = statistics.median
    print(f"corpus: {args.corpus} (copied to {site})")
    print(f"full build: median {med(r['full_build_s']):.2f} s of {len(r['full_build_s'])} "
          f"({', '.join(f'{x:.2f}' for x in r['full_build_s'])})")
    print(f"serve start (first build + listening): {r['serve_start_s']:.2f} s")
    e = r["edit_ms"]
    print(f"commentary edit -> served: median {med(e):.0f} ms over {len(e)} edits "
          f"(min {min(e):.0f}, max {max(e):.0f})")
    a = r["alias_ms"]
    if a:
        print(f"alias edit -> linked in a commentary: median {med(a):.0f} ms over {len(a)} "
              f"edits (min {min(a):.0f}, max {max(a):.0f})")
    for l in r["rebuild_lines"][-8:]:
        print("  scholia:", l)
    e = r["restart_edit_ms"]
    print(f"serve again (from the last session's folder and cache): {r['restart_s']:.2f} s; "
          f"commentary edit -> served: median {med(e):.0f} ms over {len(e)} edits "
          f"(min {min(e):.0f}, max {max(e):.0f})")

    if args.hugo:
        h = bench_hugo(args, args.hugo)
        print(f"hugo server {args.hugo}: start {h['start_s']:.1f} s; commentary edit -> "
              f"served: {', '.join(f'{x:.0f}' for x in h['edit_ms'])} ms")


if __name__ == "__main__":
    main()
