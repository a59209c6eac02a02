"""Ensembles of paired runs, stepped in background worker processes so the page stays fluid.

Every scenario runs on the same seeds (paired): for each seed one model is built and warmed up
without levers, then copied once per scenario and given that scenario's levers at year 0
(``abm.core.levers``), so all scenarios are identical at year 0. The seeds are spread over worker
processes (``workers=0`` runs them in this process: same numbers, for tests); each worker keeps its
models between requests. A shared ``WorkerPool`` serves every browser session of the server.

Only the model's public API is used, except the network view's frame (``network_view.capture``).
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import pickle
import threading
from dataclasses import dataclass

import pandas as pd

from abm.app.network_view import Frame, capture, street_layout
from abm.config import Config
from abm.core.levers import apply_levers
from abm.core.model import MunicipalityModel


@dataclass
class Member:
    model: MunicipalityModel
    sent: int = -1  # last step whose row was sent


class Worker:
    """The models of some seeds for all scenarios of every session; ``handle`` answers one request."""

    CACHE = 48  # warmed-up models kept (pickled) so that a reset or a return to a district is quick

    def __init__(self):
        self.sessions: dict[int, dict] = {}
        self.warm: dict[tuple[str, int], bytes] = {}

    def handle(self, request: tuple):
        op, sid, arg = request
        if op == "drop":
            self.sessions.pop(sid, None)
            return None
        if op == "build":
            return self._build(sid, **arg)
        state = self.sessions[sid]
        if op == "advance":
            return self._advance(state, arg)
        if op == "levers":
            k, config = arg
            for (kk, _), member in state["members"].items():
                if kk == k:
                    apply_levers(member.model, config)
            return None
        if op == "display":
            state["display"], state["frame"] = arg, None
            return self._frame(state)
        raise ValueError(f"unknown request {op!r}")

    def _build(self, sid: int, base: Config, levers: list[Config], seeds: list[tuple[int, int]],
               display: tuple[int, int], district: str) -> dict:
        members = {}
        for i, seed in seeds:
            blob = self._warmed_up(base, seed)
            for k, config in enumerate(levers):
                copy = pickle.loads(blob)
                apply_levers(copy, config)  # levers act from year 0
                members[(k, i)] = Member(copy)
        self.sessions[sid] = {"members": members, "display": display, "frame": None, "layout": None,
                              "district": district}
        return self._collect(self.sessions[sid])

    def _warmed_up(self, base: Config, seed: int) -> bytes:
        """The model of ``seed`` after the common warm-up (without levers), pickled."""
        key = (base.model_dump_json(), seed)
        if key not in self.warm:
            model = MunicipalityModel(base, seed=seed)
            for _ in range(base.warmup_steps):
                model.step()
            if len(self.warm) >= self.CACHE:
                self.warm.pop(next(iter(self.warm)))
            self.warm[key] = pickle.dumps(model)
        return self.warm[key]

    def _advance(self, state: dict, weeks: int) -> dict:
        for member in state["members"].values():
            model = member.model
            for _ in range(weeks):
                if model.steps >= model.total_steps:
                    break
                model.step()
        return self._collect(state)

    def _collect(self, state: dict) -> dict:
        rows = {}
        for key, member in state["members"].items():
            df = member.model.results()
            df = df[(df["district"] == state["district"]) & (df["step"] > member.sent)]
            if len(df):
                member.sent = int(df["step"].iloc[-1])
            rows[key] = df.reset_index(drop=True)
        return {"rows": rows, "frame": self._frame(state)}

    def _frame(self, state: dict) -> Frame | None:
        member = state["members"].get(state["display"])
        if member is None:
            return None
        if state["layout"] is None:
            state["layout"] = street_layout(member.model)
        state["frame"] = capture(member.model, state["layout"], state["district"], previous=state["frame"])
        return state["frame"]


def _serve(conn) -> None:  # pragma: no cover - runs in the worker process
    worker = Worker()
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        try:
            conn.send(("ok", worker.handle(request)))
        except Exception as exc:  # the page shows it; the worker stays up
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class WorkerPool:
    """Worker processes (or one in-process worker when ``n == 0``); thread-safe."""

    def __init__(self, n: int | None = None):
        self.n = (os.cpu_count() or 1) if n is None else n
        self.local = Worker() if self.n == 0 else None
        self.conns, self.procs = [], []
        self.locks = [threading.Lock() for _ in range(max(1, self.n))]
        ctx = mp.get_context("spawn")  # a fresh interpreter: safe next to the web server's threads
        for _ in range(self.n):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child,), daemon=True)
            proc.start()
            self.conns.append(parent)
            self.procs.append(proc)
        self._ids = itertools.count(1)

    @property
    def size(self) -> int:
        return max(1, self.n)

    def new_id(self) -> int:
        return next(self._ids)

    def send(self, targets: dict[int, tuple]) -> dict[int, tuple]:
        """Send one request per worker index; the workers hold until ``receive``. Returns the ticket."""
        order = sorted(targets)
        for w in order:
            self.locks[w].acquire()
        try:
            if self.local is None:
                for w in order:
                    self.conns[w].send(targets[w])
        except BaseException:
            for w in order:
                self.locks[w].release()
            raise
        return targets

    def receive(self, ticket: dict[int, tuple]) -> dict[int, object]:
        """The answers to a ``send`` (computed in parallel by the workers)."""
        order = sorted(ticket)
        out, failure = {}, None
        try:
            for w in order:
                if self.local is not None:
                    out[w] = self.local.handle(ticket[w])
                    continue
                status, value = self.conns[w].recv()
                if status == "error":
                    failure = value
                out[w] = value
        finally:
            for w in order:
                self.locks[w].release()
        if failure is not None:
            raise RuntimeError(failure)
        return out

    def request(self, targets: dict[int, tuple]) -> dict[int, object]:
        return self.receive(self.send(targets))

    def close(self) -> None:
        for conn in self.conns:
            try:
                conn.send(None)
            except OSError:
                pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()


class Ensemble:
    """One session's runs: ``rows[(scenario, run)]`` is that run's district table from year 0 on."""

    def __init__(self, pool: WorkerPool, base: Config, levers: list[Config], seeds: list[int], district: str,
                 display: int = 1):
        self.pool, self.id, self.district = pool, pool.new_id(), district
        self.n_scenarios, self.n_runs = len(levers), len(seeds)
        self.lock = threading.RLock()
        self.rows: dict[tuple[int, int], pd.DataFrame] = {}
        self.frame: Frame | None = None
        self.display = (min(display, self.n_scenarios - 1), 0)
        self.owner = {i: i % pool.size for i in range(len(seeds))}  # seed i runs on worker owner[i]
        requests = {}
        for w in range(pool.size):
            mine = [(i, s) for i, s in enumerate(seeds) if self.owner[i] == w]
            if mine:
                requests[w] = ("build", self.id, dict(base=base, levers=levers, seeds=mine, display=self.display,
                                                     district=district))
        self._store(pool.request(requests))

    def _workers(self) -> list[int]:
        return sorted(set(self.owner.values()))

    def _store(self, answers: dict) -> None:
        with self.lock:
            for answer in answers.values():
                if answer is None:
                    continue
                for key, df in answer["rows"].items():
                    if key not in self.rows:
                        self.rows[key] = df
                    elif len(df):
                        self.rows[key] = pd.concat([self.rows[key], df], ignore_index=True)
                if answer["frame"] is not None:
                    self.frame = answer["frame"]

    def advance(self, weeks: int) -> None:
        self.finish(self.start(weeks))

    def start(self, weeks: int) -> dict:
        """Let the workers advance every run ``weeks`` (returns at once; ``finish`` collects)."""
        return self.pool.send({w: ("advance", self.id, int(weeks)) for w in self._workers()})

    def finish(self, ticket: dict) -> None:
        self._store(self.pool.receive(ticket))

    def set_levers(self, k: int, config: Config) -> None:
        self.pool.request({w: ("levers", self.id, (k, config)) for w in self._workers()})

    def show(self, k: int) -> None:
        """Show scenario ``k``'s first run in the network view."""
        self.display = (k, 0)
        w = self.owner[0]
        frame = self.pool.request({w: ("display", self.id, self.display)})[w]
        with self.lock:
            self.frame = frame

    def tables(self, k: int) -> list[pd.DataFrame]:
        """Scenario ``k``'s runs: each run's district rows from year 0 on."""
        with self.lock:
            return [self.rows[(k, i)] for i in range(self.n_runs)]

    def close(self) -> None:
        try:
            self.pool.request({w: ("drop", self.id, None) for w in self._workers()})
        except (OSError, RuntimeError, EOFError):
            pass
