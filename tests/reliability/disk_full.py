"""Run one step on a really full disk: a small tmpfs in a private mount namespace.

    unshare -m python disk_full.py SPEC_JSON

SPEC: ``mount`` (an empty folder), ``size_kb`` (the tmpfs size), ``template`` (a data folder
copied onto the tmpfs as ``journal``), ``leave_kb`` (free space left by a filler file before
``command`` runs; omit to let the command fill the disk itself), ``command`` (argv; the
string ``{data}`` is replaced by the data folder on the tmpfs) and ``after`` (a folder the
data folder is copied back to, so the test can read it once the namespace is gone).
Prints one JSON line: the command's exit code, stdout and stderr.

The mount lives only in this process's namespace: nothing outside it sees the tmpfs, and it
disappears with the process.  Used by test_disk_full.py; nothing here is mocked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def fill(folder: Path, leave: int) -> None:
    """Take all but ``leave`` bytes of the filesystem of ``folder`` with a filler file."""
    info = os.statvfs(folder)
    free = info.f_bavail * info.f_frsize
    size = max(0, free - leave)
    with open(folder / "filler", "wb") as handle:
        chunk = b"\0" * (1 << 20)
        while size > 0:
            size -= handle.write(chunk[: min(len(chunk), size)])


def main() -> None:
    spec = json.loads(sys.argv[1])
    mount = Path(spec["mount"])
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={spec['size_kb']}k,mode=0700",
                    "tmpfs", str(mount)], check=True)
    data = mount / "journal"
    shutil.copytree(spec["template"], data)
    if "leave_kb" in spec:
        fill(mount, spec["leave_kb"] * 1024)
    command = [part.replace("{data}", str(data)) for part in spec["command"]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    (mount / "filler").unlink(missing_ok=True)  # room to copy the journal out
    shutil.copytree(data, spec["after"])
    print(json.dumps({"returncode": result.returncode, "stdout": result.stdout,
                      "stderr": result.stderr}))


if __name__ == "__main__":
    main()
