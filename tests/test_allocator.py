"""MallocTuning: configured from settings, calls mallopt with glibc's numbers."""
from __future__ import annotations

import ctypes
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsarchive import allocator
from newsarchive.allocator import M_MMAP_THRESHOLD, MallocTuning


class FakeLibc:
    """Records the calls instead of changing the test process's malloc."""

    def __init__(self, result: int = 1) -> None:
        self.mallopt_calls: list[tuple[int, int]] = []
        self.result = result

    def mallopt(self, param: Any, value: Any) -> int:
        self.mallopt_calls.append((param.value, value.value))
        return self.result


@pytest.fixture
def libc(monkeypatch: pytest.MonkeyPatch) -> FakeLibc:
    fake = FakeLibc()
    monkeypatch.setattr(allocator, "load_glibc", lambda: fake)
    return fake


def crawler_with(**settings: Any) -> Any:
    return get_crawler(Spider, settings)


def project_malloc_settings() -> dict[str, Any]:
    from newsarchive import settings as project

    return {name: getattr(project, name) for name in dir(project)
            if name.startswith("NEWSARCHIVE_MALLOC_")}


def test_project_settings_fix_the_mmap_threshold_when_switched_on(libc: FakeLibc) -> None:
    settings = {**project_malloc_settings(), "NEWSARCHIVE_MALLOC_TUNING": True}
    MallocTuning.from_crawler(crawler_with(**settings))
    assert libc.mallopt_calls == [(M_MMAP_THRESHOLD, 128 * 1024)]


def test_project_settings_fix_the_mmap_threshold_by_default(libc: FakeLibc) -> None:
    # On by default: it keeps a crawl's peak memory within 1.5x bare Scrapy (see settings.py).
    MallocTuning.from_crawler(crawler_with(**project_malloc_settings()))
    assert libc.mallopt_calls == [(-3, 128 * 1024)]


def test_switched_off_it_leaves_malloc_alone(libc: FakeLibc) -> None:
    with pytest.raises(NotConfigured):
        MallocTuning.from_crawler(crawler_with(**{**project_malloc_settings(), "NEWSARCHIVE_MALLOC_TUNING": False}))
    assert libc.mallopt_calls == []


def test_calls_mallopt_with_glibc_parameter_numbers(libc: FakeLibc) -> None:
    MallocTuning.from_crawler(crawler_with(NEWSARCHIVE_MALLOC_ARENA_MAX=2,
                                           NEWSARCHIVE_MALLOC_MMAP_THRESHOLD=131072,
                                           NEWSARCHIVE_MALLOC_TRIM_THRESHOLD=262144))
    # <malloc.h>: M_ARENA_MAX -8, M_MMAP_THRESHOLD -3, M_TRIM_THRESHOLD -1.
    assert libc.mallopt_calls == [(-8, 2), (-3, 131072), (-1, 262144)]


def test_switched_off_is_not_configured_and_calls_nothing(libc: FakeLibc) -> None:
    with pytest.raises(NotConfigured):
        MallocTuning.from_crawler(crawler_with(NEWSARCHIVE_MALLOC_TUNING=False,
                                               NEWSARCHIVE_MALLOC_ARENA_MAX=2))
    assert libc.mallopt_calls == []


def test_nothing_to_set_is_not_configured(libc: FakeLibc) -> None:
    with pytest.raises(NotConfigured):
        MallocTuning.from_crawler(crawler_with(NEWSARCHIVE_MALLOC_ARENA_MAX=0,
                                               NEWSARCHIVE_MALLOC_MMAP_THRESHOLD=0))
    assert libc.mallopt_calls == []


def test_not_glibc_is_not_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator, "load_glibc", lambda: None)
    with pytest.raises(NotConfigured):
        MallocTuning.from_crawler(crawler_with(NEWSARCHIVE_MALLOC_ARENA_MAX=2))


def test_load_glibc_is_none_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.load_glibc() is None


def test_failed_mallopt_is_logged(monkeypatch: pytest.MonkeyPatch,
                                  caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeLibc(result=0)
    monkeypatch.setattr(allocator, "load_glibc", lambda: fake)
    MallocTuning.from_crawler(crawler_with(NEWSARCHIVE_MALLOC_ARENA_MAX=2))
    assert "mallopt(-8, 2) failed" in caplog.text


def test_real_glibc_is_found_on_glibc_linux() -> None:
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not a glibc system")
    libc = allocator.load_glibc()
    assert libc is not None
    # Reading, not changing, the test process's allocator.
    libc.gnu_get_libc_version.restype = ctypes.c_char_p
    assert libc.gnu_get_libc_version().decode().startswith("2.")


@pytest.mark.parametrize(("name", "value"), [
    ("NEWSARCHIVE_MALLOC_MMAP_THRESHOLD", "128k"),
    ("NEWSARCHIVE_MALLOC_ARENA_MAX", "2.5"),
    ("NEWSARCHIVE_MALLOC_TRIM_THRESHOLD", "-1"),
])
def test_a_bad_value_names_the_setting(libc: FakeLibc, name: str, value: str) -> None:
    # Scrapy's getint would say only "invalid literal for int()".
    with pytest.raises(ValueError, match=f"setting {name}: "):
        MallocTuning.from_crawler(crawler_with(**{name: value}))
    assert libc.mallopt_calls == []


def test_a_bad_value_is_ignored_when_tuning_is_off(libc: FakeLibc) -> None:
    with pytest.raises(NotConfigured):
        MallocTuning.from_crawler(crawler_with(NEWSARCHIVE_MALLOC_TUNING=False,
                                               NEWSARCHIVE_MALLOC_MMAP_THRESHOLD="128k"))


def test_malloc_params_are_what_the_workers_apply() -> None:
    from scrapy.settings import Settings

    settings = Settings({"NEWSARCHIVE_MALLOC_MMAP_THRESHOLD": "131072", "NEWSARCHIVE_MALLOC_ARENA_MAX": 2})
    assert allocator.malloc_params(settings) == [(-8, 2), (-3, 131072)]
    assert allocator.malloc_params(Settings({"NEWSARCHIVE_MALLOC_TUNING": False,
                                             "NEWSARCHIVE_MALLOC_ARENA_MAX": 2})) == []
