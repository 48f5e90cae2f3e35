"""The store pipeline's writer: group commits, in a thread or in a process of its own.

``GroupWriter`` takes prepared batches from a queue and writes them, the
batches that queued meanwhile in one transaction (a group commit; see
``StorePipeline``). The pipeline runs it either in a thread of the crawl's
process (the default) or in a writer process (``WriterProcess``,
``NEWSARCHIVE_STORE_WRITER=process``):

- In a thread, the writer's SQL shares the GIL with the crawl's thread and
  the two compression threads. SQLite runs without the GIL, but every
  statement takes it back when it returns, and the writer then waits for
  whichever thread holds it: the writer (the thread that limits bulk storing)
  ran at well under a core while the second core idled.
- In a process of its own, the writer never waits for the crawl's GIL. The
  crawl's process keeps preparing articles and compressing pages and hands
  each batch over a pipe, pages already compressed (about a fifth of the
  fetched bytes). The hand-over costs CPU: pickling, the pipe and
  unpickling, about 0.1-0.15 ms per article with raw pages (1.2 -> 1.35 ms
  over all threads, benchmarks/storage_bench.py on a loaded machine). So
  the process wins when a core is free for it, and loses a little on a
  machine that has none; it also costs a second Python process's memory
  (about 35 MB), which is why the thread is the default.

Kill semantics of the writer process (see ``writer_main``): it stops when
the crawl's process ends, however it ends. A crawl killed with SIGKILL
closes the pipe; the writer then finishes the transaction it is in (a whole
group of whole batches: committing it is as safe as rolling it back, and
loses less), writes nothing more and exits. What it had received and not
begun is dropped, as the batches still in the crawl's process are: all of
it is at most ``max_uncommitted`` batches plus the pending one, fetched
again by the next incremental crawl. Killing the writer itself rolls its
transaction back (SQLite's journal), so the archive is whole either way.
"""
from __future__ import annotations

import logging
import os
import queue
import subprocess
import signal
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("newsarchive.pipelines.storage")


# The crawl's ends of the writers' pipes. A process forked from the crawl
# (the extraction workers fork) closes its copies at once: a copy of the
# batches' pipe kept open there would hide the crawl's death from the writer.
_crawl_ends: weakref.WeakSet[WriterProcess] = weakref.WeakSet()


def _close_crawl_ends_in_child() -> None:
    for writer in list(_crawl_ends):
        writer.forget_in_forked_child()


os.register_at_fork(after_in_child=_close_crawl_ends_in_child)

# What a writer loop takes from its queue to stop.
STOP = None


class GroupWriter:
    """Writes queued ``(PreparedBatch, run_id)`` jobs, grouping those that queued meanwhile.

    ``stats`` takes ``inc_value(key, count)`` (a crawler's stats, or a
    collector in the writer process); ``done(n)`` is called after every group
    of ``n`` batches, written or failed.
    """

    def __init__(self, archive: Any, *, group_batches: int, batch_bytes: int, stats: Any,
                 done: Callable[[int], None]):
        self.archive = archive
        self.group_batches = group_batches
        self.batch_bytes = batch_bytes
        self.stats = stats
        self.done = done

    def run(self, inbox: queue.Queue[Any], stop_now: Callable[[], bool] = lambda: False) -> None:
        # What was taken from the queue but did not fit the last group: a
        # batch, or STOP.
        carried: list[Any] = []
        while not stop_now():
            job = carried.pop() if carried else inbox.get()
            if job is STOP:
                inbox.task_done()
                return
            # Group commit: batches that queued while the last one was being
            # written go into one transaction, up to NEWSARCHIVE_STORE_BATCH_BYTES.
            # Each commit has a fixed cost (a dozen statements, an FTS5
            # segment, the WAL frames of the touched index pages) that
            # dominated batches of 10; when the writer keeps up, every batch
            # still commits on its own. What a kill can lose is what is out
            # uncommitted, at most ``max_uncommitted`` batches either way.
            jobs = [job]
            weight = _weight(job[0])
            while len(jobs) < self.group_batches:
                try:
                    more = inbox.get_nowait()
                except queue.Empty:
                    break
                if more is STOP or weight + _weight(more[0]) > self.batch_bytes:
                    carried.append(more)
                    break
                jobs.append(more)
                weight += _weight(more[0])
            try:
                self.store_group(jobs)
            finally:
                for _ in jobs:
                    inbox.task_done()
                self.done(len(jobs))

    def store_group(self, jobs: list[tuple[Any, int | None]]) -> None:
        """Write queued batches, those of one run in one transaction."""
        from newsarchive.database.archive import PreparedBatch

        groups: list[tuple[list[Any], int | None]] = []
        for prepared, run_id in jobs:
            if groups and groups[-1][1] == run_id:
                groups[-1][0].append(prepared)
            else:
                groups.append(([prepared], run_id))
        for batches, run_id in groups:
            if len(batches) > 1 and self.store(PreparedBatch.join(batches), run_id, len(batches),
                                               quiet=True):
                continue
            # One batch, or a group that failed: each batch on its own, so one
            # bad article costs its batch only, as without grouping.
            for prepared in batches:
                prepared.renumber()
                self.store(prepared, run_id, 1)

    def store(self, prepared: Any, run_id: int | None, batches: int, *,
              quiet: bool = False) -> bool:
        try:
            outcomes = self.archive.store_prepared(prepared, run_id=run_id)
        except Exception:
            # Nothing of the batch was committed, so the next incremental
            # crawl fetches these pages again.
            if quiet:
                logger.debug("a group of %d batches failed; writing them one by one", batches,
                             exc_info=True)
                return False
            logger.exception("could not store a batch of %d articles%s", len(prepared),
                             f" and {len(prepared.gone)} takedowns" if prepared.gone else "")
            self.stats.inc_value("newsarchive/stored/errors", len(prepared))
            if prepared.gone:
                # Not retried: the skip memory keeps the URL from being asked
                # again for days, so the run's stats must say it was lost.
                self.stats.inc_value("newsarchive/archive/gone_errors", len(prepared.gone))
            if prepared.moved:
                # Learnt again when the old address is next asked.
                self.stats.inc_value("newsarchive/archive/move_errors", len(prepared.moved))
            return False
        self.stats.inc_value("newsarchive/stored/batches", batches)
        self.stats.inc_value("newsarchive/stored/commits")
        for outcome in outcomes:
            self.stats.inc_value(f"newsarchive/stored/{outcome}")
        # Archived articles the batch's takedowns marked gone, articles taken
        # down before that it stored again, and archived articles it found at
        # a new address (``StoreResult``).
        for name in ("gone", "restored", "moved"):
            if getattr(outcomes, name, 0):
                self.stats.inc_value(f"newsarchive/archive/{name}", getattr(outcomes, name))
        return True


def _weight(batch: Any) -> int:
    """What a prepared batch counts against NEWSARCHIVE_STORE_BATCH_BYTES in a group.

    Pages count compressed once they are: a group is one transaction, and
    what it writes and holds is the compressed page, not the HTML (which a
    batch counts, as it may still be waiting for the pool). Counted as
    fetched, two batches of ten typical 175 KB pages already filled the
    project's 4 MB, so batches of 10 were never grouped by more than two.
    """
    return sum(item.stored_size() for item in batch.items)


# --- the writer process -------------------------------------------------------------


class _CollectedStats:
    """Stats increments made in the writer process, sent to the crawl with each ack."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def take(self) -> dict[str, int]:
        values, self.values = self.values, {}
        return values


class _CollectedLog(logging.Handler):
    """Log records of the writer process, sent to the crawl (which logs them) with each ack."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []
        self._lock_records = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        with self._lock_records:
            self.records.append((record.name, record.levelno, text))

    def take(self) -> list[tuple[str, int, str]]:
        with self._lock_records:
            records, self.records = self.records, []
        return records


def writer_main(inbox_fd: int, outbox_fd: int) -> None:
    """The writer process: receive batches, write them in groups, acknowledge each group.

    Messages in: the settings (a dict) first, then ``("batch", PreparedBatch,
    run_id)`` and ``("stop",)``.
    Messages out: ``("ready", cpu)``, ``("done", n, stats, log records)``
    after each group of ``n`` batches, ``("failed", text)`` if the archive
    cannot be opened, and ``("stopped", cpu, stats, log records)`` last
    (``cpu``: the process's CPU seconds, all threads, so far).
    """
    # Ctrl-C reaches the whole process group, and a service manager's SIGTERM
    # the whole group too: the crawl shuts down gracefully and tells the
    # writer when to stop; the writer must not die first. It ends with the
    # crawl however the crawl ends (EOF on the pipe), and SIGKILL still works.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    from multiprocessing.connection import Connection

    inbox_conn = Connection(inbox_fd, writable=False)
    outbox_conn = Connection(outbox_fd, readable=False)
    try:
        config = inbox_conn.recv()
    except EOFError:
        return
    log = _CollectedLog()
    root = logging.getLogger()
    root.handlers[:] = [log]
    root.setLevel(config["log_level"])
    from newsarchive.database import Archive

    try:
        archive = Archive(config["url"], keep_raw=config["keep_raw"], upgrade=False,
                          background_checkpoints=True)
    except Exception:
        outbox_conn.send(("failed", traceback.format_exc()))
        return
    stats = _CollectedStats()
    inbox: queue.Queue[Any] = queue.Queue()
    parent_gone = threading.Event()

    def receive() -> None:
        # A thread of its own, so the crawl's sends never wait for a write
        # to finish (a batch is larger than the pipe's buffer).
        while True:
            try:
                message = inbox_conn.recv()
            except (EOFError, OSError):
                # The crawl's process ended without saying stop (killed):
                # finish the transaction in progress, write nothing more.
                parent_gone.set()
                inbox.put(STOP)
                return
            if message[0] == "stop":
                inbox.put(STOP)
                return
            inbox.put((message[1], message[2]))

    def done(n: int) -> None:
        if parent_gone.is_set():
            return
        try:
            outbox_conn.send(("done", n, stats.take(), log.take()))
        except OSError:
            parent_gone.set()

    outbox_conn.send(("ready", time.process_time()))
    threading.Thread(target=receive, name="newsarchive-store-receive", daemon=True).start()
    writer = GroupWriter(archive, group_batches=config["group_batches"],
                         batch_bytes=config["batch_bytes"],
                         stats=stats, done=done)
    try:
        writer.run(inbox, stop_now=parent_gone.is_set)
    finally:
        archive.close()
        if not parent_gone.is_set():
            outbox_conn.send(("stopped", time.process_time(), stats.take(), log.take()))


class WriterProcess:
    """The crawl's side of a writer process: start it, send batches, apply its acks.

    ``done(n)`` is called (from a thread of this class) for every ``n``
    batches the writer has finished with, written or failed, and for the
    batches still out if the writer process ends before it was told to stop
    (their articles are counted in ``newsarchive/stored/errors``).
    """

    # How long to wait for the writer process to open the archive.
    START_TIMEOUT_S = 60.0

    def __init__(self, *, url: str, keep_raw: bool, group_batches: int, batch_bytes: int,
                 stats: Any, done: Callable[[int], None]):
        import json
        import sys
        from multiprocessing.connection import Connection

        self.stats = stats
        self.done = done
        # A fresh interpreter (about 0.6 s to start, once per crawl) rather
        # than multiprocessing: its fork would copy the crawl's threads and
        # locks, and its spawn and forkserver run the crawl's main script
        # again in the writer. Two pipes, of which the writer gets one end
        # each: when the crawl's process ends, the writer reads EOF.
        inbox_read, inbox_write = os.pipe()
        outbox_read, outbox_write = os.pipe()
        code = ("import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
                "from newsarchive.pipelines.store_writer import writer_main; "
                "writer_main(int(sys.argv[2]), int(sys.argv[3]))")
        # The package the crawl runs (another copy may be first on the path elsewhere).
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, json.dumps([package_root, *sys.path]),
                 str(inbox_read), str(outbox_write)],
                pass_fds=(inbox_read, outbox_write), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL)
        finally:
            os.close(inbox_read)
            os.close(outbox_write)
        self._inbox = Connection(inbox_write, readable=False)
        self._outbox = Connection(outbox_read, writable=False)
        _crawl_ends.add(self)
        # The URL goes over the pipe, not the command line, where ``ps`` shows passwords.
        self._inbox.send({"url": url, "keep_raw": keep_raw, "group_batches": group_batches,
                          "batch_bytes": batch_bytes,
                          "log_level": logging.getLogger().getEffectiveLevel()})
        # Items per batch sent and not yet acknowledged, in order.
        self._sizes: list[int] = []
        self._sizes_lock = threading.Lock()
        self.cpu_at_ready = 0.0
        # CPU seconds the writer process used between ready and its end (all threads).
        self.cpu_seconds: float | None = None
        self._outgoing: queue.Queue[Any] = queue.Queue()
        self._sender = threading.Thread(target=self._send_loop, name="newsarchive-store-send",
                                        daemon=True)
        self._receiver = threading.Thread(target=self._receive_loop,
                                          name="newsarchive-store-acks", daemon=True)
        # The writer starts while the crawl goes on (its first fetches take
        # longer); the first batch waits for it if need be.
        self.started = False
        self.alive = False

    def wait_ready(self) -> None:
        """Wait until the writer has opened the archive; RuntimeError if it cannot."""
        if self.started:
            return
        self.started = True
        self.cpu_at_ready = self._wait_ready()
        self.alive = True
        self._sender.start()
        self._receiver.start()

    def _wait_ready(self) -> float:
        if not self._outbox.poll(self.START_TIMEOUT_S):
            self.process.kill()
            self.process.wait()
            raise RuntimeError("the store writer process did not start")
        try:
            message = self._outbox.recv()
        except EOFError:
            self.process.wait()
            raise RuntimeError("the store writer process ended as it started") from None
        if message[0] != "ready":
            self.process.wait()
            raise RuntimeError(f"the store writer process could not open the archive:\n{message[1]}")
        return float(message[1])

    def send(self, batch: Any, run_id: int | None) -> bool:
        """Hand a batch over (its pages' compressions may still be running);
        False if the writer process has ended. RuntimeError if it never started."""
        self.wait_ready()
        with self._sizes_lock:
            if not self.alive:
                return False
            self._sizes.append(len(batch))
        self._outgoing.put((batch, run_id))
        return True

    def _send_loop(self) -> None:
        from concurrent.futures import Future

        while True:
            job = self._outgoing.get()
            if job is STOP:
                try:
                    self._inbox.send(("stop",))
                except OSError:
                    pass
                return
            batch, run_id = job
            try:
                # The writer gets the compressed pages, not the HTML; waiting
                # here keeps the crawl's thread going meanwhile.
                for item in batch.items:
                    if isinstance(item.raw, Future):
                        item.raw = item.raw.result()
            except Exception:
                logger.exception("could not compress the raw pages of a batch of %d articles",
                                 len(batch))
                self.stats.inc_value("newsarchive/stored/errors", len(batch))
                self._acknowledged(1)
                continue
            try:
                self._inbox.send(("batch", batch, run_id))
            except OSError:
                # The writer is gone; the receive loop counts what was out.
                return

    def _acknowledged(self, n: int) -> None:
        with self._sizes_lock:
            del self._sizes[:n]
        self.done(n)

    def _receive_loop(self) -> None:
        while True:
            try:
                message = self._outbox.recv()
            except (EOFError, OSError):
                break
            kind = message[0]
            if kind in ("done", "stopped"):
                stats, records = message[2], message[3]
                for key, value in stats.items():
                    self.stats.inc_value(key, value)
                for name, level, text in records:
                    logging.getLogger(name).log(level, "%s", text)
                if kind == "done":
                    self._acknowledged(message[1])
                else:
                    self.cpu_seconds = float(message[1]) - self.cpu_at_ready
                    break
        with self._sizes_lock:
            self.alive = False
            lost, self._sizes = self._sizes, []
        if lost:
            # The writer died (killed, out of memory) with batches out: none
            # of them is known to be committed.
            logger.error("the store writer process ended (exit code %s) with %d batches "
                         "(%d articles) not written", self.process.poll(), len(lost), sum(lost))
            self.stats.inc_value("newsarchive/stored/errors", sum(lost))
            self.done(len(lost))

    def forget_in_forked_child(self) -> None:
        """In a process forked from the crawl: close the copies of the pipes."""
        for conn in (self._inbox, self._outbox):
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        """Stop after every batch sent is written; wait for the process to end."""
        if not self.started:  # nothing was sent: the writer need not be ready
            self.started = True
            try:
                self._inbox.send(("stop",))
            except OSError:
                pass
        if self._sender.is_alive():
            self._outgoing.put(STOP)
            self._sender.join()
        if self._receiver.is_alive():
            self._receiver.join()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:  # pragma: no cover - a writer stuck in SQLite
            self.process.kill()
            self.process.wait()
        self._inbox.close()
        self._outbox.close()
