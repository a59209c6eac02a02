"""Where sweep runs execute: local worker processes that die with their parent, or a Dask cluster.

Both engines take tasks (argument tuples for a function that never raises) and yield its results
in completion order. Local workers ask the kernel to kill them when the sweep process dies (Linux
``PR_SET_PDEATHSIG``) and elsewhere watch their parent; an interrupted sweep terminates them before
it exits. On a shared Dask cluster every task key carries the spec hash and a token of this sweep,
so two sweeps never share (or receive each other's) results.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from multiprocessing import get_all_start_methods, get_context

Task = tuple[str, str, str]
PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_S = 1.0  # how often a worker without PR_SET_PDEATHSIG checks that its parent lives
CONNECT_TIMEOUT_S = 5.0  # for the first contact with a scheduler; Dask's own handshake gets 30 s


class EngineError(RuntimeError):
    """An engine that cannot start or lost its workers (the message says why)."""


# ---------------------------------------------------------------- local processes


def _die_with(parent: int) -> None:
    """Worker initializer: exit when process ``parent`` exits; leave Ctrl+C and SIGTERM to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal sends Ctrl+C to the whole group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's handler
    watched = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            watched = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            watched = False
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
    if not watched:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(PARENT_POLL_S)
            os._exit(1)

        threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _stop(workers: set) -> None:
    """Terminate ``workers`` (multiprocessing children) now, not after their current run."""
    for child in workers:
        child.terminate()
    for child in workers:
        child.join(timeout=5)


def local(function: Callable[..., dict], tasks: list[Task], workers: int) -> Iterator[dict]:
    """Results of ``function(*task)`` in worker processes (in this process if ``workers`` is 1)."""
    if workers <= 1:
        for task in tasks:
            yield function(*task)
        return
    # fork (where the platform has it) hands workers the already imported model: no start-up cost
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    others = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method), initializer=_die_with,
                               initargs=(os.getpid(),))
    try:
        pending = set()
        queue = iter(tasks)
        for task in islice(queue, workers * 2):
            pending.add(pool.submit(function, *task))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(pool.submit(function, *nxt))
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        raise EngineError("a worker process died (killed, or out of memory)") from None
    except BaseException:  # an interrupt, or the consumer stopped early: do not wait for running runs
        pool.shutdown(wait=False, cancel_futures=True)
        _stop(set(multiprocessing.active_children()) - others)
        # join the pool's manager thread (quick: its workers are gone); left running, it can close its wake-up pipe
        # while the interpreter's exit hook writes to it, which prints an 'Exception ignored' traceback
        pool.shutdown(wait=True)
        raise
    pool.shutdown(wait=True)


# ---------------------------------------------------------------- Dask


def _check_reachable(address: str) -> None:
    """Fail fast (seconds, not Dask's retries) when nothing listens at a tcp/tls scheduler address."""
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp", "tls"):
        return
    host, sep, port = rest.rpartition(":")
    if not sep or not port.isdigit():
        raise EngineError(f"--scheduler {address!r}: expected an address like tcp://host:8786")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise EngineError(f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}") from None


@contextmanager
def dask_client(address: str):
    """A connected Dask client, or EngineError saying why there is none."""
    from distributed import Client

    _check_reachable(address)
    try:
        client = Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise EngineError(f"cannot connect to the Dask scheduler at {address}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def task_key(sweep_hash: str, token: str, run_id: str) -> str:
    """The scheduler key of one run: unique to this sweep (spec hash) and this invocation (token)."""
    return f"buurtkracht-{sweep_hash}-{token}-{run_id}"


def on_dask(client, function: Callable[..., dict], tasks: list[Task], sweep_hash: str,
            run_id: Callable[[Task], str]) -> Iterator[dict]:
    """Results of ``function(*task)`` on the cluster behind ``client``, keyed per sweep."""
    from distributed import as_completed

    token = secrets.token_hex(4)
    futures = [client.submit(function, *task, pure=False, key=task_key(sweep_hash, token, run_id(task)))
               for task in tasks]
    try:
        for fut in as_completed(futures, loop=client.loop):  # this client's loop: others may share the process
            yield fut.result()
    finally:
        client.cancel(futures)
