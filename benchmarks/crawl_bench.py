"""Crawl speed and memory: ``scrapy crawl news`` against bare Scrapy, same run.

Serves a site of real pages on 127.0.0.1 (site_builder.py: the shared
corpus under thousands of distinct article URLs, a sitemap index, robots.txt)
and crawls it:

1. bare Scrapy, fetch only (bare_spider.py: robots.txt -> sitemap index ->
   every page, nothing done with the responses), Scrapy's defaults; run
   before and again after the long news crawl, since the machine's load
   drifts (the speed ratio uses their mean, the memory ratio the higher peak);
2. ``scrapy crawl news -a url=… -O feed.jsonl``: discovery, extraction,
   cleaning, validation, storage in a fresh SQLite archive and the feed,
   with the project's settings;
3. the news crawl again on a site a quarter the size, for memory flatness;
4. optionally, Scrapy with trafilatura in the callback (if installed).

Every crawl is a child process with the same politeness overrides for
localhost (no delay, no AutoThrottle, 16 concurrent requests per domain,
robots.txt obeyed, INFO logging). Pages/s counts the article pages the server
answered, over the time from the crawl's first request to the process's exit
(interpreter start-up and imports are left out; closing the archive and the
feed are in). CPU ms/page is the user + system CPU time of the crawl process
and every process it started (start-up included), per article page: it
depends much less than pages/s on what else the machine runs, and gives a
ceiling for idle cores: at most 1000 / (ms per page) pages/s per core the
crawl can use (bare Scrapy: one; the news crawl with extraction workers: all).

Memory is the peak over the crawl, sampled every 20 ms, of the crawl
process and every process it started (extraction workers, with
NEWSARCHIVE_EXTRACT_WORKERS set), three ways:

- unique ("peak MB", the one the memory target is judged on): the crawl
  process's RSS plus each worker's USS, the pages only that worker maps. A
  forked worker shares the pages neither side has written to since the fork
  with the crawl's process; those are counted once, in the crawl's RSS. For
  one process this is its RSS, so bare Scrapy and the default (worker-less)
  crawl are measured exactly as before;
- RSS summed: counts a worker's shared pages twice, so for more than one
  process it overstates what the crawl costs the machine;
- PSS summed (proportional set size): each shared page split between all
  the processes that map it, including unrelated ones: shared libraries are
  mapped by every Python process on the machine, so one process's PSS moves
  with whatever else runs, which is why it is printed but not judged on.

USS and PSS come from /proc/PID/smaps_rollup, which costs ~4 ms a process
to read, so they are read every 100 ms (a worker's last reading is added
to the crawl process's RSS between readings).

Targets (issue 4): news >= 0.35x bare pages/s, <= 1.5x bare peak memory,
and peak memory at 4N pages <= 1.2x that at N pages.

    .venv/bin/python benchmarks/crawl_bench.py            # N=2000, 4N=8000
    .venv/bin/python benchmarks/crawl_bench.py --pages 500 --no-trafilatura   # quick
    .venv/bin/python benchmarks/crawl_bench.py -s NEWSARCHIVE_EXTRACT_WORKERS=1  # news crawls only
    .venv/bin/python benchmarks/crawl_bench.py --pages 2000 --profile news.prof  # where the time goes
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# Politeness is for other people's servers: these apply to every crawl here.
LOCALHOST_SETTINGS: dict[str, str] = {
    "LOG_LEVEL": "INFO",
    "ROBOTSTXT_OBEY": "True",
    "DOWNLOAD_DELAY": "0",
    "DOWNLOAD_DELAY_JITTER": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "TELNETCONSOLE_ENABLED": "False",
    # The project's value (newsarchive/settings.py; a test keeps them equal),
    # given to the bare crawl too, so favouring neither crawl: Scrapy's default
    # of 100 starts 101 asyncio tasks per response, which cost fetch-only Scrapy
    # a quarter of its CPU; 16 cost both crawls about 0.2 ms a response more than 1.
    "CONCURRENT_ITEMS": "1",
}

TARGET_SPEED_RATIO = 0.35
TARGET_MEMORY_RATIO = 1.5
TARGET_FLATNESS = 1.2


@dataclass
class CrawlResult:
    label: str
    site_pages: int
    pages: int
    """Article pages the server answered with 200."""
    requests: int
    seconds: float
    """From the crawl's first request to the process's exit."""
    wall_seconds: float
    """From process start to exit."""
    peak_mb: float
    """Crawl process's RSS + its workers' USS: the memory target is judged on this."""
    peak_rss_mb: float
    """Summed RSS of the crawl's processes (double counts shared pages)."""
    peak_pss_mb: float
    """Summed PSS of the crawl's processes (shares pages with unrelated processes too)."""
    cpu_seconds: float
    """User + system CPU of the crawl's process and its children."""
    returncode: int
    system_cpu_seconds: float = 0.0
    """Of ``cpu_seconds``, the system (kernel) part: page faults, syscalls."""
    stored: int | None = None
    """Rows in the archive (news crawl) or items in the feed."""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0

    @property
    def system_cpu_ms_per_page(self) -> float:
        return 1000 * self.system_cpu_seconds / self.pages if self.pages else 0.0


class BenchServer:
    """site_builder.py in its own process."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "site_builder.py"), "--pages", str(pages)],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("READY "):
            self.process.kill()
            raise RuntimeError(f"site server did not start: {line!r}")
        self.base = line.split()[1]

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read()

    def reset(self) -> None:
        self._get("/__reset")

    def stats(self) -> dict:
        return json.loads(self._get("/__stats"))

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _processes(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _rss(processes: list[psutil.Process]) -> tuple[int, int]:
    """(RSS of the first process, RSS summed over all)."""
    first = total = 0
    for index, process in enumerate(processes):
        try:
            rss = process.memory_info().rss
        except psutil.Error:
            continue
        total += rss
        if index == 0:
            first = rss
    return first, total


def _uss_pss(processes: list[psutil.Process]) -> tuple[int, int]:
    """(USS summed over all but the first process, PSS summed over all)."""
    uss = pss = 0
    for index, process in enumerate(processes):
        try:
            full = process.memory_full_info()
        except psutil.Error:
            continue
        pss += getattr(full, "pss", 0)
        if index > 0:
            uss += getattr(full, "uss", 0)
    return uss, pss


# Every 5th sample (100 ms) reads USS and PSS too: smaps_rollup costs ~4 ms a process.
FULL_EVERY = 5


def run_crawl(label: str, server: BenchServer, command: list[str], cwd: Path,
              env: dict[str, str], log: Path, timeout: float, *, expect_all: bool = True) -> CrawlResult:
    server.reset()
    started = time.monotonic()
    with log.open("wb") as log_file:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=log_file,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        watched = psutil.Process(child.pid)
        peak = peak_rss = peak_pss = 0
        workers_uss = 0
        samples = 0
        killed = False
        usage = None
        while True:
            # wait4 rather than poll: its rusage is the crawl's CPU time including
            # the workers it waited for.
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                break
            processes = _processes(watched)
            if samples % FULL_EVERY == 0:
                workers_uss, pss = _uss_pss(processes)
                peak_pss = max(peak_pss, pss)
            samples += 1
            main_rss, all_rss = _rss(processes)
            peak = max(peak, main_rss + (workers_uss if len(processes) > 1 else 0))
            peak_rss = max(peak_rss, all_rss)
            if time.monotonic() - started > timeout and not killed:
                child.kill()
                killed = True
            time.sleep(0.02)
    ended = time.monotonic()
    stats = server.stats()
    first = stats["first"] if stats["first"] is not None else started
    result = CrawlResult(
        label=label, site_pages=server.pages, pages=stats["articles"], requests=stats["requests"],
        seconds=ended - first, wall_seconds=ended - started, peak_mb=peak / 2**20,
        peak_rss_mb=peak_rss / 2**20,
        peak_pss_mb=peak_pss / 2**20, cpu_seconds=usage.ru_utime + usage.ru_stime if usage else 0.0,
        returncode=child.returncode, system_cpu_seconds=usage.ru_stime if usage else 0.0,
    )
    if child.returncode != 0 or (expect_all and result.pages < server.pages):
        tail = log.read_text(errors="replace").splitlines()[-15:]
        print(f"  ! {label}: exit {child.returncode}, {result.pages}/{server.pages} pages; log {log}",
              file=sys.stderr)
        print("    " + "\n    ".join(tail), file=sys.stderr)
    return result


def _overrides(extra: dict[str, str] | None = None) -> list[str]:
    args: list[str] = []
    for name, value in {**LOCALHOST_SETTINGS, **(extra or {})}.items():
        args += ["-s", f"{name}={value}"]
    return args


def bare_command(base: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "runspider", str(HERE / "bare_spider.py"),
            "-a", f"url={base}/", *_overrides()]


def trafilatura_command(base: str, feed: Path, max_pages: int) -> list[str]:
    return [sys.executable, "-m", "scrapy", "runspider", str(HERE / "trafilatura_spider.py"),
            "-a", f"url={base}/", "-O", str(feed),
            *_overrides({"CLOSESPIDER_ITEMCOUNT": str(max_pages)})]


# Runs ``scrapy`` (argv[2:]) under cProfile and writes the profile to argv[1].
# The clock is the main thread's CPU time, so the profile does not depend on
# the machine's load; the storage writer's thread is not in it.
PROFILE_RUNNER = """
import cProfile, runpy, sys, time
out = sys.argv[1]
sys.argv = ["scrapy"] + sys.argv[2:]
profile = cProfile.Profile(time.thread_time)
profile.enable()
try:
    runpy.run_module("scrapy", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
else:
    code = 0
finally:
    profile.disable()
    profile.dump_stats(out)
sys.exit(code)
"""


def news_command(base: str, feed: Path, log: Path, work: Path,
                 settings: dict[str, str] | None = None, profile: Path | None = None) -> list[str]:
    runner = ["-c", PROFILE_RUNNER, str(profile)] if profile is not None else ["-m", "scrapy"]
    return [sys.executable, *runner, "crawl", "news", "-a", f"url={base}/", "-O", str(feed),
            *_overrides({"NEWSARCHIVE_EXPORT_DIR": "",
                         "NEWSARCHIVE_STATE_DIR": str(work / f"state-{feed.stem}"),
                         **(settings or {})})]


def bare_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    env.pop("NEWSARCHIVE_DB_URL", None)
    return env


def news_env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NEWSARCHIVE_DB_URL"] = f"sqlite:///{db_path}"
    env.pop("SCRAPY_SETTINGS_MODULE", None)  # scrapy.cfg in the repo, as a user runs it
    return env


def _count_rows(db_path: Path) -> int | None:
    import sqlite3

    if not db_path.exists():
        return None
    with sqlite3.connect(db_path) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.Error:
            return None


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def crawl_news(server: BenchServer, work: Path, name: str, timeout: float,
               settings: dict[str, str] | None = None, profile: Path | None = None) -> CrawlResult:
    db_path = work / f"{name}.db"
    feed = work / f"{name}.jsonl"
    log = work / f"{name}.log"
    result = run_crawl(name, server, news_command(server.base, feed, log, work, settings, profile), REPO,
                       news_env(db_path), log, timeout)
    result.stored = _count_rows(db_path)
    return result


def profile_news(out: Path, pages: int, timeout: float, settings: dict[str, str]) -> int:
    """One news crawl of a ``pages``-page site under cProfile (``--profile``).

    Profiling slows the crawl several times over, Python code more than C,
    so the profile shows where the time goes, not how much there is.
    """
    import pstats

    work = Path(tempfile.mkdtemp(prefix="crawl-profile-"))
    site = BenchServer(pages)
    try:
        result = crawl_news(site, work, "news_profile", timeout, settings, profile=out.resolve())
    finally:
        site.close()
    print(f"news crawl of {result.pages} pages under cProfile: exit {result.returncode}, "
          f"stored {result.stored}; profile in {out} (log in {work})")
    if out.exists():
        stats = pstats.Stats(str(out))
        stats.sort_stats("cumulative").print_stats(40)
    return 0 if result.returncode == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Crawl speed and memory: news spider vs bare Scrapy.")
    parser.add_argument("--pages", type=int, default=2000,
                        help="N: the small site's pages; the main comparison uses 4N (default 2000)")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip the trafilatura reference")
    parser.add_argument("--trafilatura-pages", type=int, default=500,
                        help="pages the trafilatura reference crawls (it is slow)")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds allowed per crawl")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, archives)")
    parser.add_argument("--profile", type=Path, default=None, metavar="FILE",
                        help="only crawl the small site with the news spider, under cProfile "
                             "(main thread's CPU time), and write the profile to FILE")
    parser.add_argument("-s", "--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for the news crawls only (repeatable), "
                             "e.g. -s NEWSARCHIVE_EXTRACT_WORKERS=1")
    args = parser.parse_args(argv)
    news_settings: dict[str, str] = {}
    for pair in args.setting:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            parser.error(f"-s needs NAME=VALUE, not {pair!r}")
        news_settings[name] = value

    small, large = args.pages, 4 * args.pages
    if args.profile is not None:
        return profile_news(args.profile, small, args.timeout, news_settings)
    work = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    print(f"crawl benchmark: sites of {large} and {small} pages on 127.0.0.1 "
          f"(shared corpus, sitemap index); work folder {work}")
    if news_settings:
        print("news crawls with " + " ".join(f"{k}={v}" for k, v in news_settings.items()))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          f"(other work on the machine slows every crawl); python {sys.version.split()[0]}")
    results: dict[str, CrawlResult] = {}
    big_site = BenchServer(large)
    small_site = BenchServer(small)
    try:
        results["bare"] = run_crawl("bare", big_site, bare_command(big_site.base), work,
                                    bare_env(), work / "bare.log", args.timeout)
        results["news"] = crawl_news(big_site, work, "news", args.timeout, news_settings)
        # Bare again after the long crawl: the machine's load changes over a run,
        # and the speed ratio uses the mean of the two bare runs.
        results["bare_again"] = run_crawl("bare_again", big_site, bare_command(big_site.base), work,
                                          bare_env(), work / "bare_again.log", args.timeout)
        results["news_small"] = crawl_news(small_site, work, "news_small", args.timeout, news_settings)
        results["bare_small"] = run_crawl("bare_small", small_site, bare_command(small_site.base), work,
                                          bare_env(), work / "bare_small.log", args.timeout)
        has_trafilatura = importlib.util.find_spec("trafilatura") is not None
        if not args.no_trafilatura and has_trafilatura:
            feed = work / "trafilatura.jsonl"
            result = run_crawl("trafilatura", small_site,
                               trafilatura_command(small_site.base, feed, args.trafilatura_pages),
                               work, bare_env(), work / "trafilatura.log", args.timeout,
                               expect_all=False)
            result.stored = _count_lines(feed)
            results["trafilatura"] = result
        elif not args.no_trafilatura:
            print("(trafilatura not installed: pip install -r benchmarks/requirements.txt)")
    finally:
        big_site.close()
        small_site.close()

    print(f"load average after the crawls: {os.getloadavg()[0]:.1f}")
    print()
    print(f"{'crawl':<12} {'site':>6} {'pages':>6} {'reqs':>6} {'seconds':>8} {'pages/s':>8} "
          f"{'CPU ms/pg':>9} {'of sys':>6} {'peak MB':>8} {'RSS sum':>8} {'PSS sum':>8} {'stored':>7} {'exit':>4}")
    for result in results.values():
        print(f"{result.label:<12} {result.site_pages:>6} {result.pages:>6} {result.requests:>6} "
              f"{result.seconds:>8.1f} {result.pages_per_second:>8.1f} {result.cpu_ms_per_page:>9.2f} "
              f"{result.system_cpu_ms_per_page:>6.2f} {result.peak_mb:>8.0f} {result.peak_rss_mb:>8.0f} {result.peak_pss_mb:>8.0f} "
              f"{'-' if result.stored is None else result.stored:>7} {result.returncode:>4}")
    print("(peak MB: crawl process RSS + workers' USS, the judged figure; RSS and PSS summed over the\n"
          " crawl's processes; CPU ms/pg: user + system CPU per page, start-up included; of sys: its\n"
          " system part, page faults and system calls)")

    bare, bare_again = results["bare"], results["bare_again"]
    news, news_small = results["news"], results["news_small"]
    bare_speed = (bare.pages_per_second + bare_again.pages_per_second) / 2
    bare_peak = max(bare.peak_mb, bare_again.peak_mb)
    bare_peak_pss = max(bare.peak_pss_mb, bare_again.peak_pss_mb)
    speed = news.pages_per_second / bare_speed if bare_speed else 0.0
    memory = news.peak_mb / bare_peak if bare_peak else 0.0
    memory_pss = news.peak_pss_mb / bare_peak_pss if bare_peak_pss else 0.0
    flat = news.peak_mb / news_small.peak_mb if news_small.peak_mb else 0.0
    bare_flat = (bare.peak_mb / results["bare_small"].peak_mb
                 if results["bare_small"].peak_mb else 0.0)
    bare_cpu = (bare.cpu_ms_per_page + bare_again.cpu_ms_per_page) / 2

    def whole(*crawls: CrawlResult) -> bool:
        # A ratio over a crawl that failed or stopped short means nothing.
        return all(c.returncode == 0 and c.pages >= c.site_pages for c in crawls)

    checks = [
        (f"speed: news / bare pages/s at {large} pages", speed, f">= {TARGET_SPEED_RATIO}",
         speed >= TARGET_SPEED_RATIO, whole(news, bare, bare_again)),
        (f"memory: news / bare peak MB at {large} pages", memory, f"<= {TARGET_MEMORY_RATIO}",
         memory <= TARGET_MEMORY_RATIO, whole(news, bare, bare_again)),
        (f"flatness: news peak MB {large} / {small} pages", flat, f"<= {TARGET_FLATNESS}",
         flat <= TARGET_FLATNESS, whole(news, news_small)),
    ]
    print()
    for label, value, target, ok, valid in checks:
        verdict = ("PASS" if ok else "FAIL") if valid else "INVALID (crawl incomplete)"
        print(f"{label:<48} {value:6.2f}x  target {target:<7} {verdict}")
    print(f"{'(reference) news / bare peak PSS at ' + str(large) + ' pages':<48} {memory_pss:6.2f}x")
    print(f"{'(reference) bare peak MB ' + str(large) + ' / ' + str(small) + ' pages':<48} {bare_flat:6.2f}x")
    if bare_cpu and news.cpu_ms_per_page:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        # What the CPU work alone allows on idle cores: bare Scrapy is one
        # process (one core at most); the news crawl may use every core
        # (with extraction workers), so this is its best case.
        news_ceiling = 1000 * cores / news.cpu_ms_per_page
        bare_ceiling = 1000 / bare_cpu
        print(f"{'(reference) CPU per page, news / bare':<48} {news.cpu_ms_per_page / bare_cpu:6.2f}x  "
              f"({news.cpu_ms_per_page:.2f} / {bare_cpu:.2f} ms)")
        print(f"{'(reference) CPU-bound ceiling on idle cores':<48} {news_ceiling / bare_ceiling:6.2f}x  "
              f"(news on all {cores} cores {news_ceiling:.0f} pages/s, bare on one {bare_ceiling:.0f} pages/s)")
    if "trafilatura" in results:
        traf = results["trafilatura"]
        ratio = news.pages_per_second / traf.pages_per_second if traf.pages_per_second else 0.0
        print(f"{'speed: news / scrapy+trafilatura pages/s':<48} {ratio:6.2f}x  "
              f"(trafilatura {traf.pages_per_second:.1f} pages/s over {traf.pages} pages)")
        if traf.cpu_ms_per_page and news.cpu_ms_per_page:
            print(f"{'(reference) CPU per page, trafilatura / news':<48} "
                  f"{traf.cpu_ms_per_page / news.cpu_ms_per_page:6.2f}x  "
                  f"({traf.cpu_ms_per_page:.2f} / {news.cpu_ms_per_page:.2f} ms; start-up weighs more "
                  f"in trafilatura's {traf.pages} pages)")
    complete = whole(*(r for k, r in results.items() if k != "trafilatura"))
    if not complete:
        print("\nWARNING: a crawl did not fetch its whole site or failed; see its log above.")

    if args.json:
        args.json.write_text(json.dumps(
            {"results": {k: {**asdict(v), "pages_per_second": v.pages_per_second,
                             "cpu_ms_per_page": v.cpu_ms_per_page,
                             "system_cpu_ms_per_page": v.system_cpu_ms_per_page}
                         for k, v in results.items()},
             "news_settings": news_settings,
             "bare_pages_per_second_mean": bare_speed, "bare_peak_mb_max": bare_peak,
             "bare_peak_pss_mb_max": bare_peak_pss,
             "ratios": {"speed": speed, "memory": memory, "memory_pss": memory_pss, "flatness": flat,
                        "bare_flatness": bare_flat}},
            indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0 if complete and all(ok for _, _, _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
