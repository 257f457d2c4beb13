"""GX Data Docs for one document's run, as files for the emit stage to write under data_docs/.

The ephemeral context keeps validation results in memory, and `ValidationDefinition.run` stores
each one there. The stage empties the store before a document's suites run (under the runtime's
lock), so the site built here from the store shows that document's run only, even in a batch.
It is built into a temporary folder, read back as bytes and the folder deleted: emit writes
output atomically and wants file contents, not a folder. The large animated how-to images GX
ships (3.3 MB per report, shown only by how-to buttons, which are turned off) are left out.

Only emit reads the pages, two stages later, so `DocsInChild` builds them in a process forked once
GX has run the suites (it holds the run's results store as this process has it) while this one
collects the results and goes on with the summary, the review and the first files of emit: the
70-page report's warm ingest waited ~0.25 s less (the stage forks only for reports that large,
`stage.DOCS_CHILD_MIN_ROWS`). The child only renders from the in-memory context into files and ends with
`os._exit`: it touches no Prefect state, thread or lock another thread may hold. Its pages come
back as a pickle in a file; a child that failed or died leaves none, and the pages are then built
here, so an error is the one the build raises in process.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import shutil
import signal
import sys
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..offline_docs import DATA_DOCS_DIR, offline_data_docs
from .suites import GxRuntime, quiet_row_conditions

_SITE = "nianbao_site"
TIMEOUT = 300.0  # seconds a docs child may take before it is taken for stuck (the report's took 0.3 s)
_SKIP = frozenset({"glossary_scroller.gif", "validation_failed_unexpected_values.gif", "iterative-dev-loop.png"})


def build_data_docs(rt: GxRuntime, folder: Path) -> None:
    """Build the site (suite pages and the stored run's validation pages) into folder."""
    ctx = rt.context
    with rt.lock, quiet_row_conditions():
        sites = dict(ctx.variables.data_docs_sites or {})
        sites[_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        ctx.variables.data_docs_sites = sites
        with _templates_compiled_once(rt.jinja_code):
            ctx.build_data_docs(site_names=[_SITE])


@contextmanager
def _templates_compiled_once(code: dict[tuple[str, str], Any]) -> Iterator[None]:
    """Within the block GX's page views share their compiled Jinja templates, kept in `code` (the
    runtime's: a runtime warmed once, as the warm worker's is, compiles none again).

    GX makes a Jinja environment for each page view it renders (9 for a site), and each compiled
    the templates it renders anew: 50 compilations of 23 templates, ~0.08 s of a 0.2 s build. Given
    one bytecode cache, each template is compiled once; the code is the code the environment
    compiled, keyed by the template's name and its source's checksum (the views' environments are
    made alike: same loaders and options, the filters looked up when a template renders), so the
    pages are the same.
    """
    import jinja2
    from great_expectations.render.view.view import DefaultJinjaView

    class SharedCode(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            bucket.code = code.get((bucket.key, bucket.checksum))

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            code[(bucket.key, bucket.checksum)] = bucket.code

    shared = SharedCode()
    original = DefaultJinjaView.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.env.bytecode_cache = shared

    setattr(DefaultJinjaView, "__init__", __init__)  # noqa: B010  (a method mypy will not see replaced)
    try:
        yield
    finally:
        setattr(DefaultJinjaView, "__init__", original)  # noqa: B010


def data_docs_files(rt: GxRuntime) -> dict[str, bytes]:
    """The site for the results now in the store, as {data_docs/<relative path>: bytes}, readable offline."""
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-docs-"))
    try:
        return _files_in(rt, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _files_in(rt: GxRuntime, tmp: Path) -> dict[str, bytes]:
    build_data_docs(rt, tmp)
    return offline_data_docs(
        {
            f"{DATA_DOCS_DIR}/{p.relative_to(tmp).as_posix()}": p.read_bytes()
            for p in sorted(tmp.rglob("*"))
            if p.is_file() and p.name not in _SKIP
        }
    )


def forking_allowed() -> bool:
    """A child may be forked here: POSIX, and not switched off (NIANBAO_DOCS_IN_PROCESS=1)."""
    return hasattr(os, "fork") and sys.platform != "win32" and os.environ.get("NIANBAO_DOCS_IN_PROCESS") != "1"


class DocsInChild(Mapping[str, bytes]):
    """The Data Docs files of `rt`'s stored results, built by a forked child; reading them waits for it.

    The runtime must be this run's own (no other document's run may use it before the pages are
    read): a child that fails leaves the build to this process, from the same store.
    """

    def __init__(self, rt: GxRuntime) -> None:
        self._rt = rt
        self._files: dict[str, bytes] | None = None
        folder = self._folder = tempfile.mkdtemp(prefix="nianbao-docs-")  # here: the child takes no lock tempfile holds
        self._out = os.path.join(folder, "docs.pickle")
        self._build = tempfile.mkdtemp(prefix="build-", dir=folder)
        sys.stdout.flush()
        sys.stderr.flush()
        self._ended, alive = os.pipe()  # the child holds `alive` open until it ends: EOF here tells so
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's lines run in another process
            os.close(self._ended)
            _child(rt, self._build, self._out)
        os.close(alive)
        self._pid = pid
        self._finalizer = weakref.finalize(self, _abandon, pid, folder, self._ended)

    def _result(self) -> dict[str, bytes]:
        if self._files is None:
            self._files = self._wait()
        return self._files

    def _wait(self) -> dict[str, bytes]:
        attached = self._finalizer.detach() is not None  # from here the child is waited for here
        try:
            if attached:
                self._end_child()
            try:
                with open(self._out, "rb") as f:
                    files: dict[str, bytes] = pickle.load(f)
            except FileNotFoundError:  # failed or died: build here (a GX error is raised as it always was)
                files = data_docs_files(self._rt)
        finally:
            if attached:
                shutil.rmtree(self._folder, ignore_errors=True)
        return files

    def _end_child(self) -> None:
        """Wait for the child to end (killed after `TIMEOUT` s: a child stuck on a lock is then built here)."""
        pid, ended = self._pid, False
        try:
            ended = bool(select.select([self._ended], [], [], TIMEOUT)[0])
        finally:
            if not ended:  # stuck, or this wait was interrupted (a deadline): the child goes first
                os.kill(pid, signal.SIGKILL)
            os.close(self._ended)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # reaped by someone else: the file tells how it ended
                pass

    def __getitem__(self, key: str) -> bytes:
        return self._result()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._result())

    def __len__(self) -> int:
        return len(self._result())

    def __reduce__(self) -> tuple[type[dict[str, bytes]], tuple[dict[str, bytes]]]:
        return (dict, (self._result(),))  # another process gets the files


def _child(rt: GxRuntime, build: str, out: str) -> None:  # pragma: no cover - runs in the forked child
    """Build, write the pickle (renamed into place whole), end without any exit handler of the parent's."""
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)  # the caller's terminal or pipe is not held open by this process
        logging.disable(logging.CRITICAL)  # no handler of the parent's (Prefect's) runs here
        files = _files_in(rt, Path(build))
        with open(out + ".part", "wb") as f:
            pickle.dump(files, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.rename(out + ".part", out)
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)


def _abandon(pid: int, folder: str, ended: int) -> None:
    """A child whose pages were never read (the run failed before emit): end it, reap it, drop its folder."""
    try:
        os.kill(pid, signal.SIGKILL)  # not reaped yet: the pid is still the child's
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    os.close(ended)
    shutil.rmtree(folder, ignore_errors=True)
