"""Opening, creating and migrating the qualitative store (layer L2).

A study keeps its interview data in ``study.db`` (SQLite in WAL mode, foreign keys on) inside
the study folder; a server deployment passes a PostgreSQL URL instead. The schema is made and
upgraded by the Alembic migrations shipped in ``leftbehind/qual/migrations`` (no alembic.ini
needed); before an existing SQLite file is upgraded it is copied to
``study.db.bak-<old revision>-<UTC time>``.

Examples
--------
>>> import tempfile
>>> store = init_store(tempfile.mkdtemp())
>>> store.revision() == head_revision()
True
>>> store.close()
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leftbehind.errors import StoreError

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

DB_NAME = "study.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def _is_url(target: str | os.PathLike) -> bool:
    return isinstance(target, str) and "://" in target


@dataclass(eq=False)
class Store:
    """An open store: an engine plus the transaction in progress (if any).

    Create it with :func:`open_store` or :func:`init_store`; write through
    :mod:`leftbehind.qual.services`, read through :mod:`leftbehind.qual.query`.
    A ``Store`` is for one thread at a time (it tracks the transaction in progress); open one
    per thread or process. SQLite serialises writers (``BEGIN IMMEDIATE``, 10 s busy timeout).
    """

    engine: Engine
    location: str
    path: Path | None = None
    _session: Session | None = field(default=None, repr=False)

    @contextlib.contextmanager
    def transaction(self, *, actor: str | None = None) -> Iterator[Session]:
        """Run the block in one transaction; nested calls join the outer transaction.

        Everything written inside the outermost block is committed together at its end, or
        nothing is (an exception rolls it all back).
        """
        from sqlalchemy.orm import Session

        if self._session is not None:
            yield self._session
            return
        session = Session(self.engine, expire_on_commit=False, autoflush=True)
        session.info["actor"] = actor or default_actor()
        self._session = session
        try:
            with session.begin():
                yield session
        finally:
            self._session = None
            session.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads: the open transaction if there is one, else a fresh one."""
        from sqlalchemy.orm import Session

        if self._session is not None:
            yield self._session
            return
        with Session(self.engine.execution_options(leftbehind_read=True)) as session:
            yield session

    def revision(self) -> str | None:
        """The Alembic revision the store is at (``None`` for an empty database)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def default_actor() -> str:
    """The user name recorded in the event log when no actor is given."""
    import getpass

    env = os.environ.get("LEFTBEHIND_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or password database
        return "unknown"


def _make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    if url.startswith("postgres"):
        from leftbehind._optional import optional_import

        optional_import("psycopg", package="psycopg[binary]", purpose="a PostgreSQL store")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below take over
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover - trivial
            # writers take the write lock at once (no deadlock on upgrade); readers do not block
            read_only = conn.get_execution_options().get("leftbehind_read", False)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
    return engine


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy understands: show the scheme only
        return url.split("://", 1)[0] + "://..."


def _locate(target: str | os.PathLike) -> tuple[str, Path | None]:
    if _is_url(target):
        return str(target), None
    path = Path(target)
    if path.suffix == ".db" or path.is_file():
        db = path
    else:
        db = path / DB_NAME
    return f"sqlite:///{db}", db


def _alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version of leftbehind."""
    from alembic.script import ScriptDirectory

    from sqlalchemy import create_engine

    return ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://"))).get_current_head()


def _backup_sqlite(db: Path, revision: str) -> Path:
    import sqlite3

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = db.with_name(f"{db.name}.bak-{revision}-{stamp}")
    src = sqlite3.connect(db)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target


def upgrade(store: Store) -> Path | None:
    """Bring the store to the newest schema; return the backup file made first (SQLite only).

    Examples
    --------
    >>> import tempfile
    >>> s = init_store(tempfile.mkdtemp())
    >>> upgrade(s) is None   # already at head: no backup, nothing to do
    True
    """
    from alembic import command

    current = store.revision()
    head = head_revision()
    if current == head:
        return None
    backup = None
    if store.path is not None and current is not None:
        backup = _backup_sqlite(store.path, current)
    command.upgrade(_alembic_config(store.engine), "head")
    return backup


@contextlib.contextmanager
def _connecting(where: str) -> Iterator[None]:
    """Turn a failure to reach or read the database into a :class:`StoreError`."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise StoreError(f"cannot use the database ({reason})", file=where,
                         hint="check the path or URL, that the server runs, and the credentials"
                         ) from None


def init_store(study_dir_or_url: str | os.PathLike) -> Store:
    """Create (or upgrade) the store of a study folder or database URL and open it.

    Parameters
    ----------
    study_dir_or_url
        A study folder (``study.db`` is made inside it; the folder is created if needed), a
        path ending in ``.db``, or a SQLAlchemy URL such as ``postgresql://user@host/db``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "my-study"
    >>> with init_store(d) as store:
    ...     (d / "study.db").exists()
    True
    """
    url, db = _locate(study_dir_or_url)
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
    store = Store(engine=_make_engine(url), location=str(db) if db else _shown(url), path=db)
    try:
        with _connecting(store.location):
            upgrade(store)
    except BaseException:
        store.close()
        raise
    return store


def open_store(study_dir_or_url: str | os.PathLike, *, migrate: bool = True) -> Store:
    """Open the store of an existing study; older schemas are backed up and upgraded.

    Raises :class:`~leftbehind.errors.StoreError` when the folder has no ``study.db`` (use
    :func:`init_store`) or when the database was written by a newer leftbehind.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> init_store(d).close()
    >>> with open_store(d) as store:
    ...     store.path.name
    'study.db'
    """
    url, db = _locate(study_dir_or_url)
    if db is not None and not db.exists():
        raise StoreError("no qualitative store here", file=str(db),
                         hint=f"create it with `leftbehind qual init {study_dir_or_url}`")
    store = Store(engine=_make_engine(url), location=str(db) if db else _shown(url), path=db)
    try:
        with _connecting(store.location):
            current = store.revision()
        if current is None:
            raise StoreError("the database holds no leftbehind store", file=store.location,
                             hint="create it with `leftbehind qual init`")
        from alembic.script import ScriptDirectory

        known = ScriptDirectory.from_config(_alembic_config(store.engine))
        if current not in {s.revision for s in known.walk_revisions()}:
            raise StoreError(f"the store is at schema revision {current}, unknown to this version",
                             file=store.location, hint="upgrade leftbehind")
        if migrate:
            with _connecting(store.location):
                upgrade(store)
    except BaseException:
        store.close()
        raise
    return store
