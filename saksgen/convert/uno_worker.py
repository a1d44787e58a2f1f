"""A kept LibreOffice, driven through UNO: run by the system Python (``/usr/bin/python3``, which has
``python3-uno``), never imported by saksgen itself (the venv has no ``uno``).

Usage: ``python3 uno_worker.py SOFFICE PROFILE_DIR PIPE_NAME``. Starts ``soffice --accept`` on a
named pipe with the given profile, connects, prints ``{"ready": true}`` and then reads one JSON
request per line on stdin: ``{"in": DOCX, "out": PDF, "filter": EXPORT_FILTER}``. Each document is
loaded and exported the way ``soffice --convert-to`` does it (desktop/source/app/dispatchwatcher.cxx
in LibreOffice 7.4: ReadOnly, OpenNewView, Hidden, Silent, the forced import filter; the export
filter's JSON options as FilterData), so the PDF bytes are those of a batch conversion. The answer
is ``{"ok": true}`` or ``{"ok": false, "error": ...}``. End of input: LibreOffice is terminated.

The caller runs this in its own process group with LibreOffice inside it, so a hang is ended by
one ``killpg``; it also watches the time each request takes (the per-document limit).
"""

import json
import os
import pathlib
import select
import signal
import subprocess
import sys
import time
from typing import Any

NO_UNO = 3  # exit code: this Python has no uno module (warm.NO_UNO)
uno: Any = None  # imported in main(), after LibreOffice has been started
PropertyValue: Any = None

IMPORT_FILTER = "MS Word 2007 XML"
CONNECT_POLL = 0.05
IDLE_CHECK = 0.5  # how often an idle worker looks whether its LibreOffice still lives


def _props(**values):  # type: ignore[no-untyped-def]
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def _filter_data(options):  # type: ignore[no-untyped-def]
    """LibreOffice's JSON filter-option syntax ({"Name": {"type": t, "value": v}}) as FilterData."""
    data = []
    for name, spec in json.loads(options).items():
        kind, raw = spec["type"], spec["value"]
        if kind == "boolean":
            value = raw == "true"
        elif kind == "long":
            value = int(raw)
        else:
            value = raw
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        data.append(prop)
    return uno.Any("[]com.sun.star.beans.PropertyValue", tuple(data))


def _reply(**fields):  # type: ignore[no-untyped-def]
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def _connect(pipe, office):  # type: ignore[no-untyped-def]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if office.poll() is not None:
                raise RuntimeError(
                    f"LibreOffice avsluttet under oppstart (kode {office.returncode})"
                ) from None
            time.sleep(CONNECT_POLL)


def _convert(desktop, request):  # type: ignore[no-untyped-def]
    # "pdf:writer_pdf_Export:{json}", as given to --convert-to
    _, filter_name, options = ([*request["filter"].split(":", 2), "", ""])[:3]
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(request["in"]),
        "_blank",
        0,
        _props(ReadOnly=True, OpenNewView=True, Hidden=True, Silent=True, FilterName=IMPORT_FILTER),
    )
    if doc is None:
        raise RuntimeError("LibreOffice kunne ikke åpne dokumentet")
    try:
        store = {"FilterName": filter_name, "Overwrite": True}
        if options:
            store["FilterData"] = _filter_data(options)
        doc.storeToURL(uno.systemPathToFileUrl(request["out"]), _props(**store))
    finally:
        doc.close(True)


def _alive(desktop):  # type: ignore[no-untyped-def]
    try:
        desktop.getFrames()
        return True
    except Exception:
        return False


def _import_uno():  # type: ignore[no-untyped-def]
    global uno, PropertyValue
    import uno  # type: ignore[import-not-found]
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def main() -> None:
    soffice, profile, pipe = sys.argv[1:4]
    # LibreOffice first: its start-up (~1 s) is the long one, and importing uno (~0.1 s) can
    # happen meanwhile.
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={pathlib.Path(profile).absolute().as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    try:
        try:
            _import_uno()
        except ImportError:
            _reply(ready=False, no_uno=True)
            office.kill()
            office.wait()
            sys.exit(NO_UNO)
        try:
            desktop = _connect(pipe, office)
        except Exception as exc:
            _reply(ready=False, error=str(exc))
            return
        _reply(ready=True, pid=office.pid)
        while True:
            # Waiting for work, and noticing meanwhile when LibreOffice dies (killed, crashed):
            # the worker then exits, and the caller sees that before it sends the next document.
            if office.poll() is not None:
                return
            if not select.select([sys.stdin], [], [], IDLE_CHECK)[0]:
                continue
            line = sys.stdin.readline()
            if not line:
                break
            try:
                _convert(desktop, json.loads(line))
            except Exception as exc:
                alive = _alive(desktop)
                _reply(ok=False, dead=not alive, error=f"{type(exc).__name__}: {exc}")
                if not alive:
                    return  # the caller starts a new worker
                continue
            _reply(ok=True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        if office.poll() is None:
            try:
                office.wait(timeout=3)
            except subprocess.TimeoutExpired:
                os.kill(office.pid, signal.SIGKILL)
                office.wait()


if __name__ == "__main__":
    main()
