"""The account emails (invitation, password reset), in the recipient's language."""

from tracker.config import Settings
from tracker.i18n import gettext_for
from tracker.mail import compose, mailbox, send
from tracker.models import Person
from tracker.validation import N_

SUBJECTS = {
    "invitation": N_("You are invited to the MOU tracker"),
    "reset": N_("Reset your MOU tracker password"),
}
BODIES = {
    "invitation": N_(
        "Hello {name},\n\nYou have been given access to the MOU tracker as {role}.\n"
        "Choose your password here (the link works once, for 7 days):\n\n{link}\n"
    ),
    "reset": N_(
        "Hello {name},\n\nSomeone asked to reset your MOU tracker password. If it was you, choose a new one here "
        "(the link works once, for one hour):\n\n{link}\n\nIf it was not you, ignore this message: nothing changes.\n"
    ),
}


def send_link(settings: Settings, *, person: Person, purpose: str, token: str, role_label: str = "") -> None:
    """Email a single-use set-password link."""
    _ = gettext_for(str(person.language))
    link = f"{settings.base_url}/password/set/{token}"
    body = _(BODIES[purpose]).format(name=person.name, role=role_label, link=link)
    send(settings, compose(settings, to=mailbox(person.name, person.email), subject=_(SUBJECTS[purpose]), text=body))
