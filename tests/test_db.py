from sqlalchemy import text

from tracker.db import make_engine, normalize_url


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_a_plain_postgresql_url_gets_the_psycopg_driver():
    assert normalize_url("postgresql://postgres@127.0.0.1:5432/test").startswith("postgresql+psycopg://")
    assert normalize_url("sqlite:///data/tracker.db") == "sqlite:///data/tracker.db"
