"""The words people read for each stored code (statuses, kinds, formats, languages)."""

from tracker.validation import N_

LABELS = {
    # Activity kinds
    "workshop": N_("Workshop"),
    "technical_training": N_("Technical training"),
    "webinar": N_("Webinar"),
    "study_visit": N_("Study visit"),
    "expert_meeting": N_("Expert meeting"),
    # Formats
    "in_person": N_("In person"),
    "virtual": N_("Virtual"),
    "hybrid": N_("Hybrid"),
    # Activity statuses
    "planned": N_("Planned"),
    "confirmed": N_("Confirmed"),
    "held": N_("Held"),
    "postponed": N_("Postponed"),
    "cancelled": N_("Cancelled"),
    # Deliverable statuses
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "submitted": N_("Submitted"),
    "accepted": N_("Accepted"),
    # Languages
    "en": N_("English"),
    "es": N_("Spanish"),
}


def status_label(code, gettext) -> str:
    """The translated word for a stored code (falls back to the code itself)."""
    code = str(getattr(code, "value", code))
    return gettext(LABELS[code]) if code in LABELS else code
