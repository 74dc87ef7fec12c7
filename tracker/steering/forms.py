"""What the executive-summary and amendment forms accept, and the messages of their own refusals."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel

from tracker.i18n import N_, gettext_for, translate
from tracker.times import long_date
from tracker.validation import Bilingual, Day, OptionalUrl, error, message, text

# Refusals the shared vocabulary (tracker.validation.MESSAGES) does not have; {dates} written as pages do.
MESSAGES = {
    "amendment_end": N_("The new end must be after the start of the term ({start})."),
    "amendment_signed_early": N_("An amendment cannot be signed before the MOU itself ({signed})."),
    "amendment_signed_future": N_("An amendment is recorded once it is signed: this date is in the future."),
    "amendment_out_of_order": N_(
        "The latest amendment was signed on {signed}: one signed before it cannot be recorded after it."
    ),
    "term_changed": N_(
        "The term was changed while you were filling this in: it now ends on {end}. Check it and save again."
    ),
    "summary_changed": N_(
        "Someone saved this summary while you were editing it: their text is below yours. Save again to keep yours."
    ),
}


def field_messages(errors: dict[str, tuple[str, dict]], language: str) -> dict[str, str]:
    """field -> the translated message of each refusal, ours or the shared ones."""
    shown = {}
    for name, (kind, context) in errors.items():
        if kind in MESSAGES:
            dates = {k: long_date(v, language) if hasattr(v, "isoformat") else v for k, v in context.items()}
            shown[name] = translate(MESSAGES[kind], dates, language)
        else:
            shown[name] = message(kind, context, gettext_for(language))
    return shown


class SummaryIn(Bilingual):
    """A period's executive summary (Markdown): one language is enough."""

    required_in_a_language = ("summary",)

    summary_en: text(8000) = ""
    summary_es: text(8000) = ""


class AmendmentIn(Bilingual):
    """An amendment as an administrator records it: when it was signed, the term's new end, a link to its
    text and what it changes (one language is enough)."""

    required_in_a_language = ("summary",)

    signed_on: Day
    ends_on: Day
    text_url: OptionalUrl = None
    summary_en: text(4000) = ""
    summary_es: text(4000) = ""


def _written(value: str) -> str:
    if not value:
        raise error("blank")
    return value


class RemovalIn(BaseModel):
    """Why the latest amendment is removed: kept with the change in the audit trail."""

    reason: Annotated[text(1000), AfterValidator(_written)]
