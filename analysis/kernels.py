"""Executing notebooks with papermill on the project's Jupyter kernel, several at once.

:class:`KernelPool` is the engine of the report runner (:mod:`analysis.runner`): a few
worker threads, each with one kernel, take the notebooks (largest first) and the caller hears
of each executed notebook as it finishes. The kernels start before the notebooks are known,
so they boot while the caller checks its inputs.

By default a worker keeps its kernel (and the kernel's connected client) for its next
notebook and resets it first, as IPython's ``%reset`` does with a new session: the
namespace, the In/Out history and the execution count start afresh, and the working folder
is the project root again. Only what Python keeps between imports carries over (loaded
modules, their caches, process-wide settings such as warning filters), which spares every
notebook after a worker's first the start of Python and the import of pandas and
matplotlib: about a second of CPU each, the largest cost of a report on a small corpus. A
notebook meant to run in a fresh kernel sets what it relies on itself (the project's
notebooks do so in :func:`analysis.report.prepare_kernel`), and ``make test`` checks each one
in a kernel of its own (nbval). ``fresh=True`` gives every notebook a new kernel instead,
as plain papermill does.

Example::

    from analysis.kernels import KernelPool
    with KernelPool(2, cwd=Path.cwd()) as pool:   # the kernels start booting here
        pool.run([(Path("a.ipynb"), Path("out/a.ipynb"))], {"n": 3},
                 done=lambda k, nb, seconds: print(k, seconds))
"""

from __future__ import annotations

import os
import queue
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from queue import Empty
from typing import Any

#: The project's Jupyter kernel (``python -m analysis setup`` installs it in the venv).
KERNEL_NAME = "discourse-analysis"
#: Thread-pool sizes of the numeric libraries, set for the kernels unless already set.
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: Seconds to wait for a kept kernel to answer the reset between two notebooks.
RESET_TIMEOUT = 60


class NotebookFailed(RuntimeError):
    """A notebook raised while it ran; names the executed notebook and the cell."""

    def __init__(self, notebook: Path, cell_index: int | None, ename: str, evalue: str,
                 source: str = ""):
        self.notebook, self.cell_index = notebook, cell_index
        self.ename, self.evalue, self.source = ename, evalue, source
        where = f"cell {cell_index}" if cell_index is not None else "a cell"
        lines = [f"notebook failed: {notebook}", f"  in {where}: {ename}: {evalue}"]
        if source:
            lines += ["  cell source:"] + [f"    | {ln}" for ln in source.splitlines()[:12]]
        super().__init__("\n".join(lines))


def import_papermill() -> Any:
    """Import papermill without the one import that makes it slow; return the module.

    papermill imports nbformat, which imports jsonschema, whose format checkers import
    ``rfc3987_syntax`` when installed: that module compiles an Earley grammar at import
    (over a second, more than starting a kernel). Notebook schemas check no IRI formats, so
    the import is skipped (jsonschema treats it as absent) when jsonschema is not loaded yet;
    the module stays importable afterwards for anyone who asks for it by name.
    """
    if "papermill" in sys.modules or "jsonschema" in sys.modules:
        import papermill

        return papermill
    blocked = "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment] # import -> ImportError
    try:
        import papermill
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return papermill


#: The papermill engine (papermill's extension point for how a notebook is executed) that
#: runs a notebook through a kernel client already connected to a kernel kept by this module.
ENGINE = "discourse-analysis-kept-kernel"


def _register_engine(papermill: Any) -> None:
    """Register :data:`ENGINE` with papermill (once): papermill's own nbclient engine, except
    that the notebook client is handed the kept kernel's connected client (``kc=``), which
    spares nbclient connecting a new one (and waiting 0.2 s for its IOPub channel)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.exceptions import PapermillException
    from papermill.utils import merge_kwargs, remove_args

    try:
        papermill_engines.get_engine(ENGINE)
        return  # registered already
    except PapermillException:
        pass

    class KeptKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str,  # type: ignore[override]
                                     log_output: bool = False, start_timeout: int = 60,
                                     execution_timeout: int | None = None,
                                     **kwargs: Any) -> Any:
            kc = kwargs.pop("kc")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=papermill.log.logger, log_output=log_output))
            client.kc = kc
            return client.execute()

    papermill_engines.register(ENGINE, KeptKernelEngine)


def kernel_env(workers: int, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment added to the kernels of a run with ``workers`` at once.

    Each kernel gets its share of the cores for the numeric libraries' thread pools (unless
    the variables are set already): OpenBLAS otherwise starts one spinning thread per core in
    every kernel, and with several kernels at once that cost about a fifth of the report's
    CPU time for nothing (the notebooks' arrays are small). Results do not change.
    """
    share = str(max(1, (os.cpu_count() or 1) // max(1, workers)))
    return {v: share for v in THREAD_VARS if v not in os.environ} | dict(extra or {})


class Kernel:
    """One project kernel, started in ``cwd`` with ``env`` added to its environment, with one
    connected client kept for every notebook it runs.

    It talks over local IPC sockets in a private temporary folder (not TCP ports), and is
    started here rather than by papermill (whose ``cwd`` would change the folder of the whole
    process), so several kernels can run at once from threads. ``preload``, if given, is code
    the kernel runs silently as soon as it is up (say, imports its notebooks will need: they
    then happen while the caller still prepares); it binds no names if written with
    ``__import__``. Use a kernel from the thread that started it.
    """

    def __init__(self, cwd: Path, env: Mapping[str, str] | None = None, *,
                 preload: str | None = None) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.cwd = cwd
        self._sockets = tempfile.TemporaryDirectory(prefix="kernel-")
        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc",
                                     ip=os.path.join(self._sockets.name, "k"))
        self.kc: Any = None
        try:
            run_sync(self._start)(env, preload)
        except BaseException:
            self.stop(now=True)
            raise

    async def _start(self, env: Mapping[str, str] | None, preload: str | None) -> None:
        await self.km.start_kernel(cwd=str(self.cwd), env=os.environ | dict(env or {}))
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=60)  # IOPub connected: no output can be lost
        self.kc.allow_stdin = False  # as nbclient sets its own clients
        if preload:
            self.kc.execute(preload, silent=True, store_history=False)  # reply not awaited

    def execute(self, src: Path, dest: Path, parameters: Mapping[str, Any]) -> Any:
        """Run notebook ``src`` with papermill into ``dest`` with ``parameters``; return the
        executed notebook. A failing cell raises :class:`NotebookFailed` naming ``dest``."""
        papermill = import_papermill()
        from papermill.exceptions import PapermillExecutionError

        _register_engine(papermill)
        try:
            return papermill.execute_notebook(
                str(src), str(dest), parameters=dict(parameters), kernel_name=KERNEL_NAME,
                engine_name=ENGINE, progress_bar=False, log_output=False, km=self.km,
                kc=self.kc)
        except PapermillExecutionError as e:
            raise NotebookFailed(dest, e.cell_index, e.ename, e.evalue, e.source) from None

    def reset(self) -> None:
        """Start a new session in the kernel: empty namespace and history, execution count 1,
        working folder ``cwd`` (see the module's docstring)."""
        from jupyter_core.utils import run_sync

        run_sync(self._reset)()

    async def _reset(self) -> None:
        code = (f"__import__('os').chdir({str(self.cwd)!r})\n"
                "get_ipython().reset(new_session=True)\n")
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + RESET_TIMEOUT
        while True:  # the shell reply (other replies still queued are skipped)
            try:
                reply = await self.kc.get_shell_msg(
                    timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                raise RuntimeError(f"the kernel did not answer the reset for the next "
                                   f"notebook within {RESET_TIMEOUT} s") from None
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"the kernel could not be reset for the next notebook: "
                               f"{content.get('ename')}: {content.get('evalue')}")

    def stop(self, *, now: bool = False) -> None:
        """Shut the kernel down and remove its socket folder: politely (the kernel finishes
        its own clean-up), or at once with ``now`` (a kernel whose work is done or lost)."""
        from jupyter_core.utils import run_sync

        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=now)
        finally:
            self._sockets.cleanup()


class KernelPool:
    """``workers`` project kernels that execute notebooks, each kernel in a thread of its own.

    The kernels start as soon as the pool is made (so they boot, and run ``preload``, while
    the caller checks its inputs); :meth:`run` then hands them the notebooks, the largest
    notebook files first (a notebook with more outputs, figures and tables, takes longer:
    starting those first keeps the kernels evenly busy). Each worker keeps its kernel from
    one notebook to its next, reset in between (see the module's docstring); ``fresh=True``
    starts a new kernel for every notebook. Kernels start in ``cwd`` with ``env`` added to
    their environment (see :func:`kernel_env`). Use the pool as a context manager: leaving
    it shuts every kernel down.
    """

    def __init__(self, workers: int, *, cwd: Path, env: Mapping[str, str] | None = None,
                 fresh: bool = False, preload: str | None = None) -> None:
        self.workers = max(1, workers)
        self._cwd, self._env, self._fresh = cwd, dict(env or {}), fresh
        self._preload = preload
        self._lock = threading.Lock()
        self._go, self._stop = threading.Event(), threading.Event()
        self._jobs: list[tuple[Path, Path]] = []
        self._order: list[int] = []
        self._parameters: Mapping[str, Any] = {}
        self._finished: queue.SimpleQueue = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, name=f"notebook-{i}", daemon=True)
                         for i in range(self.workers)]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Start no more notebooks, wait for the running ones, shut every kernel down."""
        self._stop.set()
        self._go.set()
        for thread in self._threads:
            thread.join()

    def run(self, jobs: Sequence[tuple[Path, Path]], parameters: Mapping[str, Any], *,
            done: Callable[[int, Any, float], None],
            say: Callable[[str], None] = lambda msg: None,
            meanwhile: Callable[[], None] | None = None) -> None:
        """Execute each ``(source, destination)`` of ``jobs`` with ``parameters``.

        Once the kernels have the notebooks, ``meanwhile()`` is called (in this thread).
        Then, as each notebook finishes, ``done(k, executed notebook, seconds)`` is called
        (``k`` its place in ``jobs``) and a progress line is said. The first notebook to fail
        raises :class:`NotebookFailed` (or what stopped it) once the notebooks already
        running have finished; notebooks not started by then are not started. A pool runs
        once; the kernels are shut down before this returns, each as soon as no notebook is
        left for it.
        """
        if self._go.is_set():
            raise RuntimeError("a KernelPool runs its notebooks once")
        self._jobs, self._parameters = list(jobs), dict(parameters)
        self._order = sorted(range(len(self._jobs)),
                             key=lambda k: (-_size(self._jobs[k][0]), k))
        self._go.set()
        try:
            if meanwhile is not None:
                meanwhile()
            n = len(self._jobs)
            for count in range(1, n + 1):
                k, outcome, seconds = self._finished.get()
                name = self._jobs[k][0].stem
                if isinstance(outcome, BaseException):
                    say(f"[{count}/{n}] {name} ... FAILED\n")
                    raise outcome
                done(k, outcome, seconds)
                say(f"[{count}/{n}] {name} ... ok ({seconds:.1f} s)\n")
        finally:
            self.close()

    def _take(self) -> int | None:
        with self._lock:
            if self._stop.is_set() or not self._order:
                return None
            return self._order.pop(0)

    def _work(self) -> None:
        kernel: Kernel | None = None
        error: BaseException | None = None
        try:
            kernel = Kernel(self._cwd, self._env, preload=self._preload)
        except Exception as e:  # noqa: BLE001 - reported with the first notebook it was for
            error = e
        self._go.wait()
        used = False  # whether the kernel has run a notebook (then reset it before the next)
        try:
            while (k := self._take()) is not None:
                t0 = time.perf_counter()
                try:
                    if error is not None:
                        raise error
                    if kernel is None:
                        kernel = Kernel(self._cwd, self._env, preload=self._preload)
                        used = False
                    elif used:
                        kernel.reset()
                    used = True
                    nb = kernel.execute(*self._jobs[k], self._parameters)
                except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
                    self._stop.set()  # start nothing more; the caller raises it
                    self._finished.put((k, e, time.perf_counter() - t0))
                    error = None
                    if kernel is not None:  # in an unknown state: not kept
                        kernel, failed = None, kernel
                        failed.stop(now=True)
                    continue
                self._finished.put((k, nb, time.perf_counter() - t0))
                if self._fresh:
                    kernel, finished = None, kernel
                    finished.stop()
        finally:
            if kernel is not None:
                kernel.stop(now=True)  # no notebook left for it: nothing to wait for


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
