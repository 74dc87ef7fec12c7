"""The `tracker` command: serve, migrate, seed."""

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from tracker.config import Settings

app = typer.Typer(help="The MOU tracker.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
mail_app = typer.Typer(help="Outgoing email.", no_args_is_help=True)
app.add_typer(mail_app, name="mail")


def _load(settings: Settings, path: Path, overwrite: bool = False) -> list:
    """Load a seed file; what people changed in the browser is kept unless `overwrite` (said either way)."""
    from tracker.db import install_session_hooks, make_engine
    from tracker.partnerships.seed import load_seed, read_seed

    install_session_hooks()
    seed = read_seed(path)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        edits = load_seed(session, seed, overwrite=overwrite)
        session.commit()
    engine.dispose()
    return edits


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
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace what people changed in the browser with the file's values")
    ] = False,
) -> None:
    """Load (or reload) an MOU from its YAML file; records are updated in place, never deleted.

    A field someone changed in the browser keeps its value (each one is listed) unless --overwrite.
    """
    from tracker.partnerships.seed import SeedError

    settings = Settings()
    try:
        edits = _load(settings, path or settings.seed_file, overwrite)
    except SeedError as exc:
        typer.echo(f"Seed not loaded: {exc}", err=True)
        raise typer.Exit(1) from None
    for edit in edits:
        typer.echo(str(edit))
    typer.echo(f"Loaded {path or settings.seed_file}.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Migrate, load the MOU if the database is empty, and serve.

    With TRACKER_MIGRATE_ON_START=off (a deployment's workers), it neither migrates nor loads, and
    refuses a database that `tracker db upgrade` has not brought to the newest schema.
    """
    import uvicorn

    from tracker.observability.logs import log_config

    settings = Settings()
    settings.check_safe()
    if workers > 1 and settings.scheduler == "on":
        # Every worker would run its own sweep: safe (nothing is sent twice) but wasteful.
        raise typer.BadParameter(
            "with several workers, set TRACKER_SCHEDULER=off and run `tracker scheduler` once beside them",
            param_hint="--workers",
        )
    if settings.migrate_on_start == "on":
        _migrate_and_load(settings)
    else:
        _require_newest_schema(settings)
    uvicorn.run(
        "tracker.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        # Only the proxy's X-Forwarded-For and -Proto are believed: anyone else could name any address.
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # The tracker writes its own access lines (with the request id and the route), in JSON logs.
        access_log=False,
        log_config=log_config(settings.log_format),
    )


def _migrate_and_load(settings: Settings) -> None:
    """One machine: bring the schema up and load the MOU into an empty database."""
    from tracker.db import make_engine
    from tracker.migrate import upgrade
    from tracker.partnerships.seed import is_empty

    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        empty = is_empty(session)
    engine.dispose()
    if empty:
        _load(settings, settings.seed_file)
        typer.echo(f"Loaded {settings.seed_file}.")


def _require_newest_schema(settings: Settings) -> None:
    """Workers that do not migrate refuse to serve an older (or newer) schema than their code's."""
    from tracker.migrate import revisions

    current, heads = revisions(settings.database_url)
    if current != heads:
        found = ", ".join(sorted(current)) or "none (never migrated)"
        typer.echo(
            f"The database schema is at revision {found}, not {', '.join(sorted(heads))} as this tracker needs. "
            "Run `tracker db upgrade` first (TRACKER_MIGRATE_ON_START=off: workers never migrate).",
            err=True,
        )
        raise typer.Exit(1)


def _instant(value: str | None):
    from datetime import datetime

    from tracker.models import utcnow

    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use an ISO-8601 instant, e.g. 2026-03-09T13:00:00Z", param_hint="--now") from None
    if moment.tzinfo is None:
        raise typer.BadParameter("give the instant's offset, e.g. Z or -05:00", param_hint="--now")
    return moment


@app.command()
def remind(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only print what would be sent")] = False,
    now: Annotated[str | None, typer.Option(help="Pretend it is this instant (ISO-8601 with offset)")] = None,
) -> None:
    """Run one reminder sweep now (or show, with --dry-run, what it would send)."""
    from tracker.db import install_session_hooks, make_engine
    from tracker.reminders.sweep import dry_run as preview
    from tracker.reminders.sweep import sweep

    moment = _instant(now)
    settings = Settings()
    install_session_hooks()
    engine = make_engine(settings.database_url)
    try:
        if dry_run:
            rows = preview(engine, settings, now=moment)
            if not rows:
                typer.echo(f"Nothing to send at {moment.isoformat()}.")
            for row in rows:
                typer.echo(
                    f"{row['due_at']}  {row['to']} [{row['language']}, {row['mode']}]  {row['item']} ({row['rule']})"
                )
            return
        report = sweep(engine, settings, now=moment)
        typer.echo(
            f"Planned {report.planned}; queued {report.batched.messages} messages; sent {report.sent.sent}, "
            f"written {report.sent.written}, retrying {report.sent.retrying}, "
            f"failed {report.sent.failed + report.batched.failed}."
        )
    finally:
        engine.dispose()


@app.command()
def scheduler() -> None:
    """Run the reminder sweep as its own process (start web workers with TRACKER_SCHEDULER=off)."""
    from tracker.db import install_session_hooks, make_engine
    from tracker.observability.logs import configure
    from tracker.reminders.scheduler import run_forever

    settings = Settings()
    configure(settings.log_format)
    install_session_hooks()
    run_forever(make_engine(settings.database_url), settings)


@app.command()
def backup(path: Annotated[Path, typer.Argument(help="The archive to write, e.g. tracker-2026-03-10.tar.gz")]) -> None:
    """Back up the database and the stored files into one archive at PATH (safe while the tracker serves).

    PATH appears only once the archive is complete; an existing PATH is replaced then.
    """
    from tracker.backups import BackupError
    from tracker.backups import service as backup_service

    try:
        report = backup_service.backup(Settings(), path)
    except (BackupError, OSError) as exc:
        typer.echo(f"Backup failed: {exc}", err=True)
        raise typer.Exit(1) from None
    for line in report.lines():
        typer.echo(line)


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="An archive written by `tracker backup`")],
    force: Annotated[bool, typer.Option("--force", help="Replace a database that already holds data")] = False,
) -> None:
    """Restore the database and the stored files from a backup. Stop the tracker first.

    Refuses a database that holds data unless --force, and a backup made by a newer tracker.

    A backup of an older schema is restored as it was: run `tracker db upgrade` afterwards.
    """
    from tracker.backups import BackupError
    from tracker.backups import service as backup_service

    settings = Settings()
    try:
        report = backup_service.restore(settings, path, force=force)
    except (BackupError, OSError) as exc:
        typer.echo(f"Restore failed: {exc}", err=True)
        raise typer.Exit(1) from None
    for line in report.lines(path, settings.database_url, settings.files_dir):
        typer.echo(line)


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Sign-in email")],
    role: Annotated[str, typer.Option(help="admin, manager or partner")],
    name: Annotated[str | None, typer.Option(help="Full name (default: from the email)")] = None,
    partnership: Annotated[str | None, typer.Option(help="Partnership slug (partners only)")] = None,
    link: Annotated[bool, typer.Option("--link", help="Print a one-time set-password link instead of asking")] = False,
) -> None:
    """Create (or update) a login. Asks for the password, or prints a single-use link with --link."""
    from tracker.db import install_session_hooks, make_engine
    from tracker.models import Role
    from tracker.validation import normalize_email

    if role not in {r.value for r in Role}:
        raise typer.BadParameter("choose admin, manager or partner", param_hint="--role")
    try:
        email = normalize_email(email)
    except ValueError:
        raise typer.BadParameter("not a valid email address", param_hint="--email") from None
    settings = Settings()
    install_session_hooks()
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            _create_user(session, settings, email=email, role=role, name=name, partnership=partnership, link=link)
    finally:
        engine.dispose()


def _create_user(session, settings, *, email, role, name, partnership, link) -> None:
    """The body of `tracker user create`, inside one database session."""
    from tracker.accounts import service as account_service
    from tracker.accounts.passwords import password_problem
    from tracker.errors import NotFound
    from tracker.models import Role, utcnow
    from tracker.partnerships.service import get_partnership_or_404
    from tracker.validation import MESSAGES

    partnership_id = None
    if role == Role.partner:
        if not partnership:
            raise typer.BadParameter("a partner needs --partnership SLUG", param_hint="--partnership")
        try:
            partnership_id = get_partnership_or_404(session, partnership).id
        except NotFound:
            raise typer.BadParameter(f"no partnership {partnership!r}", param_hint="--partnership") from None
    person = account_service.grant_login(
        session, email=email, name=name, role=role, partnership_id=partnership_id, timezone=settings.default_timezone
    )
    if link:
        token = account_service.issue_link(session, person=person, purpose="invitation", now=utcnow())
        session.commit()
        typer.echo(f"{role} {email} created. Set the password within 7 days at:")
        typer.echo(f"{settings.base_url}/password/set/{token}")
        return
    while True:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, user_inputs=[email, name or ""])
        if problem is None:
            break
        typer.echo(MESSAGES[problem], err=True)
    account_service.set_password(session, person=person, password=password)
    session.commit()
    typer.echo(f"{role} {email} can now sign in at {settings.base_url}/sign-in")


# sysexits' EX_TEMPFAIL: the message may go through later, as mail programs say it.
TEMPORARY_FAILURE = 75


@mail_app.command("test")
def mail_test(to: Annotated[str, typer.Option("--to", help="The address to send the test message to")]) -> None:
    """Send a test message through the SMTP settings and print the server's answer.

    Exit 0 when the server accepted it, 1 when nothing was sent (no SMTP host, or refused for good,
    5xx) and 75 for a temporary failure (no connection, a timeout, 4xx).
    """
    from tracker.mail.check import NotConfigured, relay, send_test
    from tracker.mail.headers import InvalidAddress
    from tracker.mail.smtp import PermanentFailure, TemporaryFailure
    from tracker.validation import normalize_email

    try:
        to = normalize_email(to)
    except ValueError:
        raise typer.BadParameter("not a valid email address", param_hint="--to") from None
    settings = Settings()
    try:
        answer = send_test(settings, to)
    except NotConfigured as exc:
        typer.echo(f"Nothing sent: {exc}; emails are written to {settings.mail_outbox} instead.", err=True)
        raise typer.Exit(1) from None
    except InvalidAddress as exc:
        typer.echo(f"Nothing sent: {exc}.", err=True)
        raise typer.Exit(1) from None
    except PermanentFailure as exc:
        typer.echo(f"Refused by {relay(settings)}: {exc}", err=True)
        raise typer.Exit(1) from None
    except TemporaryFailure as exc:
        typer.echo(f"Temporary failure at {relay(settings)}, try again later: {exc}", err=True)
        raise typer.Exit(TEMPORARY_FAILURE) from None
    typer.echo(f"Sent to {to} through {relay(settings)}. The server answered: {answer}")


if __name__ == "__main__":
    app()
