"""Failures a service can report, each mapped once to an HTTP status by the app."""

from tracker.validation import N_


class NotFound(Exception):
    """The record asked for does not exist (404)."""

    def __init__(self, what: str = N_("This page does not exist.")):
        super().__init__(what)
        self.what = what


class Conflict(Exception):
    """The request clashes with the record's current state (409); `reason` is a message id."""

    def __init__(self, reason: str, **context):
        super().__init__(reason)
        self.reason = reason
        self.context = context


def transition_refused(current: str) -> Conflict:
    """A status change the current status does not allow."""
    return Conflict(N_("This change is not possible while the status is “{status}”."), status=current)


class StaleEdit(Exception):
    """An update based on an older version than the one stored (409): someone saved first."""

    def __init__(self, entity: str, entity_id: int, version: int | None, current_version: int):
        super().__init__(f"{entity} {entity_id}: edited from version {version}, now {current_version}")
        self.entity = entity
        self.entity_id = entity_id
        self.version = version
        self.current_version = current_version


def check_version(entity: str, record, version: int | None) -> None:
    """Refuse an update made from any version but the stored one."""
    if version != record.version:
        raise StaleEdit(entity, record.id, version, record.version)
