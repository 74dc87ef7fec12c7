"""What the certificate forms accept, and the messages of their own refusals (images, hours)."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel

from tracker.certificates.images import MAX_BYTES, MAX_SIDE
from tracker.i18n import N_, gettext_for, translate
from tracker.validation import Bilingual, Id, error, line, message, optional_line, text

# Refusals the shared vocabulary (tracker.validation.MESSAGES) does not have.
MESSAGES = {
    "image_missing": N_("Choose a PNG or JPEG image."),
    "image_type": N_("Upload a PNG or JPEG image, told by its content: other files, SVG included, are refused."),
    "image_too_large": N_("The image is larger than {max_mb} MB. Save it smaller and upload it again."),
    "image_dimensions": N_("The image is too large: at most {max_side} pixels on each side."),
    "image_unreadable": N_("This image could not be read. Save it again as PNG or JPEG and upload it again."),
    "hours": N_("Enter the hours as a number greater than 0 with at most one decimal, such as 24 or 7.5."),
}
CONTEXT = {"max_mb": MAX_BYTES // (1024 * 1024), "max_side": MAX_SIDE}


def field_messages(errors: dict[str, tuple[str, dict]], language: str) -> dict[str, str]:
    """field -> the translated message of each refusal, ours or the shared ones."""
    shown = {}
    for name, (kind, context) in errors.items():
        if kind in MESSAGES:
            shown[name] = translate(MESSAGES[kind], CONTEXT | context, language)
        else:
            shown[name] = message(kind, context, gettext_for(language))
    return shown


def _written(value: str) -> str:
    if not value:
        raise error("blank")
    return value


class SignatoryIn(Bilingual):
    """A signatory: name, title (one language is enough) and organization; the signature image apart."""

    required_in_a_language = ("title",)

    name: line(120)
    title_en: optional_line(200) = None
    title_es: optional_line(200) = None
    organization_id: Id


class LogoIn(BaseModel):
    """A logo's text alternative (the image apart)."""

    alt_text: line(200)


class RevokeIn(BaseModel):
    """Why a certificate is revoked: kept for the record, never shown on the verification page."""

    reason: Annotated[text(1000), AfterValidator(_written)]
