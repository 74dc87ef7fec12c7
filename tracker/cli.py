"""The `tracker` command: serve, migrate, seed."""

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from tracker.config import Settings

app = typer.Typer(help="The MOU tracker.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _load(settings: Settings, path: Path) -> None:
    from tracker.db import make_engine
    from tracker.partnerships.seed import load_seed, read_seed

    seed = read_seed(path)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        load_seed(session, seed)
        session.commit()
    engine.dispose()


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    from tracker.migrate import upgrade

    upgrade(Settings().database_url, revision)
    typer.echo("Database is up to date.")


@app.command()
def seed(
    path: Annotated[
        Path | None, typer.Argument(help="YAML file describing the MOU", exists=True, dir_okay=False)
    ] = None,
) -> None:
    """Load (or reload) an MOU from its YAML file; records are updated in place, never deleted."""
    from tracker.partnerships.seed import SeedError

    settings = Settings()
    try:
        _load(settings, path or settings.seed_file)
    except SeedError as exc:
        typer.echo(f"Seed not loaded: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Loaded {path or settings.seed_file}.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Migrate, load the MOU if the database is empty, and serve."""
    import uvicorn
    from sqlmodel import Session

    from tracker.db import make_engine
    from tracker.migrate import upgrade
    from tracker.partnerships.seed import is_empty

    settings = Settings()
    settings.check_safe()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        empty = is_empty(session)
    engine.dispose()
    if empty:
        _load(settings, settings.seed_file)
        typer.echo(f"Loaded {settings.seed_file}.")
    uvicorn.run(
        "tracker.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        access_log=False,
    )


if __name__ == "__main__":
    app()
