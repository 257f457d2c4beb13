"""What a command starts must not outlive it, even after kill -9; what a killed run left, the next one clears.

- Prefect's temporary server is a subprocess of the command that does not die with it. `guard()`
  starts a tiny watchdog (a child of this process) that keeps noting this process's children and
  ends them as soon as this process is gone: when we die the watchdog is re-parented, sees its
  parent id change and ends the server (and anything else we started).
  The worker forkserver ends on its own when its pipe from us closes, and every document process
  gets SIGKILL when the forkserver dies (`worker._die_with_parent`).
- Temporary folders (multiprocessing's `pymp-*`, Great Expectations' docs sites) go into one
  folder per command, `<TMPDIR>/nianbao-tmp-<pid>-*`, set as TMPDIR for this process and its
  children and removed at exit; `private_tmp` first deletes those of commands no longer alive.

Light imports only: the CLI calls this before it knows whether there is any work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from multiprocessing.util import Finalize
from pathlib import Path

PREFIX = "nianbao-tmp-"
_MAX_DIR = 64  # multiprocessing puts its socket 30-odd characters below: AF_UNIX paths stop at 107

_WATCHDOG = r"""
import os, signal, sys, time
parent, me = int(sys.argv[1]), os.getpid()

def started(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None

def children():
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != me:
            try:
                with open(f"/proc/{name}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == parent:
                found[int(name)] = fields[19]
    return found

known = {}
while os.getppid() == parent:
    known.update(children())
    known = {pid: t for pid, t in known.items() if started(pid) == t}
    time.sleep(0.3)
for sig in (signal.SIGTERM, signal.SIGKILL):
    alive = [pid for pid, t in known.items() if started(pid) == t]
    for pid in alive:
        try:
            os.kill(pid, sig)
        except OSError:
            pass
    if not alive:
        break
    time.sleep(2)
"""
_MARK = "NIANBAO_WATCHDOG"


def guard() -> None:
    """From now on, the children of this process (Prefect's server, whatever it starts) are ended
    (SIGTERM, then SIGKILL) once this process has died, however it died. Once per process; Linux /proc."""
    if os.environ.get(_MARK) == str(os.getpid()) or not Path("/proc/self/stat").exists():
        return
    os.environ[_MARK] = str(os.getpid())
    subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    )


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def sweep_tmp(base: str | Path) -> list[str]:
    """Delete `nianbao-tmp-<pid>-*` folders under base whose command is no longer running."""
    removed: list[str] = []
    for entry in Path(base).glob(f"{PREFIX}*"):
        pid = entry.name[len(PREFIX) :].split("-", 1)[0]
        if entry.is_dir() and not entry.is_symlink() and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def private_tmp() -> Path:
    """This command's temporary folder (made once per process), TMPDIR for it and its children."""
    current = Path(tempfile.gettempdir())
    if current.name.startswith(f"{PREFIX}{os.getpid()}-"):
        return current
    sweep_tmp(current)
    if len(str(current)) + len(PREFIX) + 20 > _MAX_DIR:
        return current  # too deep for the forkserver's socket: keep the temporary folder as it is
    mine = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=current))
    os.environ["TMPDIR"] = str(mine)
    tempfile.tempdir = str(mine)
    # after multiprocessing removes its own pymp-* folder in there (its finalizer has priority -100)
    Finalize(None, shutil.rmtree, args=(mine, True), exitpriority=-200)
    return mine
