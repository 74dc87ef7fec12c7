"""Sending right after commit: what a transaction queued leaves at once, in a worker thread of the
process that committed it, so an invitation arrives in seconds rather than at the next sweep. The
outbox's lease keeps it sent once even if a sweep reaches it at the same moment; a message the courier
could not send (the server down) is retried by the sweep like any other."""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.config import Settings
from tracker.mail.outbox import QUEUED, send_due
from tracker.models import utcnow

logger = logging.getLogger("tracker.mail")
COURIER = "mail_courier"  # session.info: the courier of the app whose request this session serves


class Courier:
    """A single mail thread per process: messages leave one after another, never blocking a request."""

    def __init__(self, engine: Engine, settings: Settings):
        self._engine, self._settings = engine, settings
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending: set[Future] = set()

    def send_soon(self, message_ids: list[int]) -> None:
        """Send these queued messages as soon as the mail thread is free (started on first use, and
        again after a shutdown: an app may be started and stopped more than once in one process)."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")
            future = self._executor.submit(self._send, list(message_ids))
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    def _send(self, message_ids: list[int]) -> None:
        try:
            with Session(self._engine, expire_on_commit=False) as session:
                send_due(session, self._settings, now=utcnow(), only=message_ids)
        except Exception:  # noqa: BLE001 - the sweep will send them; a request must never see this
            logger.exception("messages %s were left for the sweep", message_ids)

    def wait(self, timeout: float = 60) -> None:
        """Until everything handed over so far has been tried (tests, and a clean shutdown)."""
        wait(list(self._pending), timeout=timeout)

    def close(self) -> None:
        """Finish what was handed over, then stop the mail thread."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the messages are not visible to anyone until the real commit
    queued, courier = session.info.pop(QUEUED, None), session.info.get(COURIER)
    if queued and courier is not None:
        courier.send_soon(queued)


def _after_rollback(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint rolled back: what was queued before it still stands (a missing one is skipped)
    session.info.pop(QUEUED, None)  # never stored: nothing to send


def install() -> None:
    """Send what each committed transaction queued (idempotent)."""
    for name, hook in (("after_commit", _after_commit), ("after_rollback", _after_rollback)):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
