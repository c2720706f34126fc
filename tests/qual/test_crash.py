"""An import killed with SIGKILL half-way leaves the store intact with earlier commits kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from leftbehind.qual import query as q
from leftbehind.qual import services as sv
from leftbehind.qual.store import init_store, open_store
from leftbehind.qual.transcripts import import_manifest

CHILD = textwrap.dedent("""
    import pathlib, sys, time
    from leftbehind.qual import services as sv
    from leftbehind.qual.store import open_store
    from leftbehind.qual.transcripts import import_manifest

    target, manifest, marker = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    original, done = sv.add_document, []

    def add_document_then_stall(*args, **kwargs):
        result = original(*args, **kwargs)
        done.append(result)
        if len(done) == 5:  # half-way through the manifest: tell the test, then wait to be killed
            marker.write_text("5 documents written, not committed")
            time.sleep(120)
        return result

    sv.add_document = add_document_then_stall
    import_manifest(open_store(target), manifest)
""")


def _manifest(folder, prefix, n):
    rows = ["file,interview,participant,role,family"]
    for i in range(n):
        (folder / f"{prefix}{i}.txt").write_text(f"Interviewer: q{i}\r\nLan: 第{i}个回答 😢\r\n", encoding="utf-8")
        rows.append(f"{prefix}{i}.txt,{prefix}-I{i},Lan,child,F01")
    (folder / f"{prefix}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder / f"{prefix}.csv"


@pytest.mark.slow
def test_sigkill_mid_import_keeps_the_store_intact(store_target, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    with init_store(store_target) as store:
        sv.add_family(store, "F01")
        import_manifest(store, _manifest(files, "early", 3))
    big = _manifest(files, "late", 10)
    marker = tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store_target), str(big), str(marker)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, child.communicate()[1].decode()
        assert time.monotonic() < deadline, "the child never reached the middle of the import"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)  # reaps the child and closes its pipes
    assert child.returncode == -signal.SIGKILL

    with open_store(store_target) as store:
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert q.documents_frame(store)["document"].tolist() == [f"early{i}.txt" for i in range(3)]
        assert not any(name.startswith("late") for name in q.interviews_frame(store)["interview"])
        result = import_manifest(store, big)  # nothing half-done blocks a clean re-run
        assert len(result.documents) == 10
        assert len(q.documents_frame(store)) == 13
