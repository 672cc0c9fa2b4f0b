"""A smaller ICU data library for the bundle: Qt's ``libicudata.so.NN`` without the data the
app never asks ICU for (32 MB -> ~12 MB).

    python packaging/linux/trim_icu.py LIBICUDATA OUT_DIR   # prints the trimmed library's path

Used by packaging/rejection-journal.spec on Linux. Qt asks ICU for collation (``QCollator``),
locale-aware case mapping and legacy text codecs; its own CLDR tables give dates, numbers and
locale names, and its own code breaks text into lines and words (QtCore imports only ICU's
``ucol_``, ``ucnv_``, ``ucal_`` and case-mapping functions: ``nm -D --undefined-only``, no
``ubrk_``). So the ICU items kept are the collation data of every locale (``coll/``), normalisation, the
per-locale root bundles, time zones and the small single-byte converters; the ones dropped are
the display names of units, currencies, time zones, languages and regions, transliteration,
spell-out rules, break iteration rules and dictionaries (``brkitr/``, 3.4 MB), character names
and the large CJK converters.

The tools are ICU's own (``icupkg``, ``genccode``; apt: icu-devtools) and a C compiler: the
data is taken out of the library (its one exported symbol, ``icudtNN_dat``), the items
removed with ``icupkg``, and the rest assembled into a library with the same soname and
symbol. Without those tools the library is left as it is (and a warning says so).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

#: the items dropped (names inside the package, e.g. ``unit/de.res``): display names of
#: units, currencies, zones, languages, regions; transliteration; spell-out rules (rbnf);
#: break iteration (Qt breaks text itself); character names; converters of 20 KB and more (CJK
#: multi-byte tables)
DROPPED = re.compile(r"^(unit|curr|zone|lang|region|translit|rbnf|brkitr)/|^unames\.icu$")
LARGE_CONVERTER = 20 * 1024
TOOLS = ("icupkg", "genccode", "cc")


def _symbol(library: Path) -> tuple[str, int, int]:
    """The data symbol's name, file offset and size (``nm`` gives address and size; the
    section table maps the address to the file)."""
    nm = subprocess.run(["nm", "-D", "-S", "--defined-only", str(library)], check=True,
                        capture_output=True, text=True).stdout
    match = re.search(r"^([0-9a-f]+) ([0-9a-f]+) R (icudt\d+_dat)$", nm, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{library}: no icudtNN_dat symbol")
    address, size, name = int(match[1], 16), int(match[2], 16), match[3]
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], check=True,
                              capture_output=True, text=True).stdout
    for line in sections.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 5 and parts[1] == ".rodata":
            start, offset = int(parts[3], 16), int(parts[4], 16)
            return name, offset + address - start, size
    raise RuntimeError(f"{library}: no .rodata section")


def trim(library: Path, out_dir: Path) -> Path:
    """Write the trimmed copy of ``library`` into ``out_dir`` and return its path (or
    ``library`` itself when ICU's tools are missing)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        print(f"warning: {', '.join(missing)} not found (apt: icu-devtools, gcc): "
              f"{library.name} is bundled untrimmed", file=sys.stderr)
        return library
    name, offset, size = _symbol(library)
    package = name.removesuffix("_dat") + "l"  # icudt73_dat -> icudt73l (little-endian)
    work = out_dir / "icu"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / f"{package}.dat"
    with library.open("rb") as source:
        source.seek(offset)
        data.write_bytes(source.read(size))
    listing = subprocess.run(["icupkg", "-l", str(data)], check=True, capture_output=True,
                             text=True).stdout.split()
    extracted = work / "items"
    extracted.mkdir()
    subprocess.run(["icupkg", "-x", "*", "-d", str(extracted), str(data)], check=True,
                   capture_output=True)
    dropped = [item for item in listing if DROPPED.search(item) or (
        item.endswith(".cnv") and (extracted / item).stat().st_size >= LARGE_CONVERTER)]
    whole = data.read_bytes()
    for _attempt in range(5):
        # a small converter may extend a dropped large one: icupkg names it; drop it too
        (work / "dropped.txt").write_text("\n".join(dropped) + "\n", encoding="utf-8")
        data.write_bytes(whole)
        removed = subprocess.run(["icupkg", "-r", str(work / "dropped.txt"), str(data)],
                                 capture_output=True, text=True, cwd=work)
        dependents = re.findall(r"^Item (\S+) depends on missing item", removed.stderr
                                + removed.stdout, re.MULTILINE)
        if removed.returncode == 0 and not dependents:
            break
        if not dependents:
            raise RuntimeError(f"icupkg -r failed: {removed.stderr}")
        dropped += dependents
    else:
        raise RuntimeError("icupkg -r: the converters' dependencies did not settle")
    subprocess.run(["genccode", "-a", "gcc", "-e", name.removesuffix("_dat"), "-d", str(work),
                    str(data)], check=True, capture_output=True)
    assembly = work / f"{package}_dat.S"
    target = out_dir / library.name
    subprocess.run(["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}",
                    "-Wl,-z,noexecstack", "-o", str(target), str(assembly)], check=True)
    if _symbol(target)[0] != name:
        raise RuntimeError(f"{target}: the data symbol {name} went missing")
    return target


if __name__ == "__main__":
    print(trim(Path(sys.argv[1]), Path(sys.argv[2])))
