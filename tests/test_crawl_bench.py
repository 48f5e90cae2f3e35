"""The crawl benchmark's commands (benchmarks/crawl_bench.py); the crawls themselves are not run here."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "crawl_bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("crawl_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["crawl_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_news_command_runs_scrapy_or_the_profiler(tmp_path: Path) -> None:
    bench = _bench()
    feed, log = tmp_path / "news.jsonl", tmp_path / "news.log"
    plain = bench.news_command("http://127.0.0.1:1", feed, log, tmp_path, {"X": "1"})
    assert plain[1:6] == ["-m", "scrapy", "crawl", "news", "-a"]
    assert "X=1" in plain and "CONCURRENT_ITEMS=1" in plain
    profiled = bench.news_command("http://127.0.0.1:1", feed, log, tmp_path, {"X": "1"},
                                  profile=tmp_path / "out.prof")
    assert profiled[1] == "-c" and "thread_time" in profiled[2]
    assert profiled[3] == str(tmp_path / "out.prof")
    # Everything after the runner is the same scrapy command line.
    assert profiled[4:] == plain[3:]


def test_both_crawls_get_the_projects_concurrent_items() -> None:
    # Neither crawl is favoured: bare Scrapy runs with the value the news crawl has.
    from newsarchive import settings

    assert int(_bench().LOCALHOST_SETTINGS["CONCURRENT_ITEMS"]) == settings.CONCURRENT_ITEMS


def test_profile_runner_passes_scrapys_exit_status(tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "version.prof"
    done = subprocess.run([sys.executable, "-c", _bench().PROFILE_RUNNER, str(out), "version"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Scrapy" in done.stdout
    assert out.stat().st_size > 0
    bad = subprocess.run([sys.executable, "-c", _bench().PROFILE_RUNNER, str(out), "no-such-command"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0


def test_system_cpu_is_reported_per_page_beside_the_total() -> None:
    result = _bench().CrawlResult(
        label="news", site_pages=2000, pages=2000, requests=2005, seconds=20.0, wall_seconds=22.0,
        peak_mb=170.0, peak_rss_mb=170.0, peak_pss_mb=160.0, cpu_seconds=30.0, returncode=0,
        system_cpu_seconds=2.0)
    assert result.cpu_ms_per_page == 15.0
    assert result.system_cpu_ms_per_page == 1.0
