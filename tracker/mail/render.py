"""The one email renderer: `templates/emails/<kind>.subject.txt`, `<kind>.txt` and `<kind>.html`, in the
recipient's language, composed into a message. Nothing of the web app is imported here: the reminder
sweep renders without it."""

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from tracker.config import Settings
from tracker.mail.headers import compose, mailbox
from tracker.models import Participant, Person, utcnow
from tracker.own_data.links import own_data_url
from tracker.rendering import rendering_in, shared_environment


@dataclass(frozen=True)
class Rendered:
    """One email's subject and bodies, as the recipient will read them."""

    subject: str
    text: str
    html: str


def render(kind: str, context: dict, language: str) -> Rendered:
    """An email of one kind in one language (the subject on one line)."""
    env = shared_environment()
    with rendering_in(language):
        subject = env.get_template(f"emails/{kind}.subject.txt").render(context)
        text = env.get_template(f"emails/{kind}.txt").render(context)
        html = env.get_template(f"emails/{kind}.html").render(context)
    return Rendered(" ".join(subject.split()), text.strip() + "\n", html)


def build(
    settings: Settings,
    *,
    kind: str,
    person: Person | Participant,
    context: dict,
    message_id: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """The email of one kind for one person, in their language; raises InvalidAddress for an unusable address."""
    language = str(person.language)
    to = mailbox(person.name, person.email)  # first: a person no header can carry fails before any rendering
    shared = {"recipient": person, "lang": language, "base_url": settings.base_url}
    if person.id is not None:  # every email says where its recipient sees what the tracker holds about them
        holder = "participant" if isinstance(person, Participant) else "person"
        now = date or utcnow()
        shared["own_data_url"] = own_data_url(settings.base_url, settings.secret_key, holder, person.id, now=now)
    rendered = render(kind, shared | context, language)
    return compose(
        settings,
        to=to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=message_id,
        date=date,
        language=language,
    )
