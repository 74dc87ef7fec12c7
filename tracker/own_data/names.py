"""The markers an anonymised record carries instead of a name, and how readers see them.

What is stored is language-neutral (a code, like the stored codes of statuses); each reader sees it in
their language: "Anonymised participant", "Participante anonimizado". The same for the actor of a change
someone made through their own-data link ("María Rodríguez (own data)")."""

from tracker.i18n import N_

ANONYMISED_PARTICIPANT = "[anonymised participant]"
ANONYMISED_PERSON = "[anonymised person]"
MARKERS = {
    ANONYMISED_PARTICIPANT: N_("Anonymised participant"),
    ANONYMISED_PERSON: N_("Anonymised person"),
}
# Appended to the actor's name of a change made through the own-data link (stored, then read in words).
OWN_DATA_SUFFIX = " (own data)"
ACTOR_LENGTH = 120


def is_anonymised(name: str | None) -> bool:
    """True for a record whose name is an anonymisation marker."""
    return name in MARKERS


def shown_name(name, gettext) -> str:
    """A participant's or person's name as a reader sees it: a marker in the reader's words."""
    text = "" if name is None else str(name)
    return gettext(MARKERS[text]) if text in MARKERS else text


def own_data_actor(name: str) -> str:
    """The actor's name an audit event of a change made through the own-data link stores."""
    return name[: ACTOR_LENGTH - len(OWN_DATA_SUFFIX)] + OWN_DATA_SUFFIX


def actor_words(actor_name: str, gettext) -> str:
    """An audit event's stored actor as a reader reads it."""
    if actor_name.endswith(OWN_DATA_SUFFIX):
        name = actor_name[: -len(OWN_DATA_SUFFIX)]
        return gettext("%(name)s (own data)") % {"name": shown_name(name, gettext)}
    return shown_name(actor_name, gettext)
