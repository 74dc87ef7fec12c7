"""A certificate as its reader sees it: each one a sheet in its own language, rendered by one template
for the printable page and for the PDF (WeasyPrint), with its verification address as text and QR code."""

import base64
from dataclasses import dataclass
from datetime import datetime

import segno
from jinja2 import Environment
from markupsafe import Markup
from sqlmodel import Session

from tracker.certificates import branding
from tracker.certificates import service as certificate_service
from tracker.certificates.rules import activity_dates, date_span, hours_text
from tracker.config import ROOT
from tracker.i18n import N_, in_language
from tracker.models import Activity, Certificate, Participant, Partnership
from tracker.pdf import write_pdf
from tracker.rendering import render_template
from tracker.storage import FileStore
from tracker.times import in_zone

STYLESHEET = ROOT / "static" / "css" / "certificate.css"
FILE_SCHEME = "tracker-file:"
# What the participant did, one sentence per kind of activity (the article differs in Spanish).
KIND_LINES = {
    "workshop": N_("has completed the workshop"),
    "technical_training": N_("has completed the technical training"),
    "webinar": N_("has completed the webinar"),
    "study_visit": N_("has completed the study visit"),
    "expert_meeting": N_("has taken part in the expert meeting"),
}


@dataclass(frozen=True)
class Signature:
    """One signatory as a sheet shows them; texts with the language they are written in."""

    name: str
    title: tuple[str, str]
    organization: tuple[str, str]
    image: str | None


@dataclass(frozen=True)
class Logo:
    sha256: str
    alt: str


@dataclass(frozen=True)
class Parts:
    """What every certificate of one activity shares, looked up once for all of them."""

    activity: Activity
    partnership: Partnership
    hours: float | None
    signatures: list
    logos: list[Logo]
    content_types: dict[str, str]
    base_url: str


@dataclass(frozen=True)
class Sheet:
    """One certificate in one language, every text ready to print."""

    language: str
    name: str
    kind_line: str
    title: tuple[str, str]
    partnership: tuple[str, str]
    dates: str
    one_day: bool
    hours: str
    areas: list[tuple[str, str]]
    logos: list[Logo]
    signatures: list[Signature]
    number: str | None = None
    issued_on: str | None = None
    verify_url: str | None = None
    qr: str | None = None
    revoked_on: str | None = None
    state: str = "draft"

    @property
    def dense(self) -> bool:
        """Whether the sheet needs smaller type to hold all it says on one page."""
        long_texts = len(self.name) > 38 or len(self.title[0]) > 80
        return long_texts or len(self.areas) > 2 or len(self.signatures) > 3 or len(self.logos) > 3


def parts_of(session: Session, *, activity: Activity, base_url: str) -> Parts:
    """What an activity's certificates share: its partnership, hours, signatories and logos."""
    signatories = branding.signatories(session, partnership_id=activity.partnership_id)
    logos = [
        Logo(logo.sha256, logo.alt_text) for logo in branding.logos(session, partnership_id=activity.partnership_id)
    ]
    images = [s.signature_sha256 for s, _ in signatories] + [logo.sha256 for logo in logos]
    return Parts(
        activity=activity,
        partnership=session.get(Partnership, activity.partnership_id),
        hours=certificate_service.hours_of(session, activity=activity),
        signatures=signatories,
        logos=logos,
        content_types=branding.content_types(session, images),
        base_url=base_url,
    )


def verify_url(base_url: str, certificate: Certificate) -> str:
    """Where anyone can check a certificate."""
    return f"{base_url}/verify/{certificate.verify_token}"


def qr_code(url: str) -> str:
    """A QR code of an address, as an SVG data URI (printed crisp at any size)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#1b2733")


def _day_on_clock(moment: datetime, zone: str, language: str) -> str:
    day = in_zone(moment, zone).date()
    return date_span(day, day, language)


def sheet(parts: Parts, *, participant: Participant, certificate: Certificate | None, language: str) -> Sheet:
    """One certificate in one language (a preview without number while it is not issued)."""
    activity = parts.activity
    first, last = activity_dates(activity.starts_at, activity.ends_at, activity.timezone)
    signatures = [
        Signature(
            name=signatory.name,
            title=in_language(signatory, "title", language),
            organization=in_language(organization, "name", language),
            image=signatory.signature_sha256,
        )
        for signatory, organization in parts.signatures
    ]
    issued = {}
    if certificate is not None:
        url = verify_url(parts.base_url, certificate)
        revoked = certificate.revoked_at is not None
        issued = {
            "number": certificate.number,
            "issued_on": _day_on_clock(certificate.issued_at, activity.timezone, language),
            "verify_url": url,
            "qr": qr_code(url),
            "revoked_on": _day_on_clock(certificate.revoked_at, activity.timezone, language) if revoked else None,
            "state": "revoked" if revoked else "issued",
        }
    return Sheet(
        language=language,
        name=participant.name,
        kind_line=KIND_LINES.get(str(activity.kind), KIND_LINES["workshop"]),
        title=in_language(activity, "title", language),
        partnership=in_language(parts.partnership, "title", language),
        dates=date_span(first, last, language),
        one_day=first == last,
        hours=hours_text(parts.hours, language),
        areas=[in_language(area, "name", language) for area in activity.areas],
        logos=parts.logos,
        signatures=signatures,
        **issued,
    )


class Images:
    """Where a sheet's images come from: data URIs on the page, the file store itself in a PDF."""

    def __init__(self, store: FileStore, content_types: dict[str, str], inline: bool):
        self.store, self.content_types, self.inline = store, content_types, inline

    def src(self, sha256: str) -> str:
        if not self.inline:
            return FILE_SCHEME + sha256
        try:
            data = self.store.read(sha256)
        except (FileNotFoundError, ValueError):
            return ""  # a file lost from the store: the sheet still shows, without that image
        kind = self.content_types.get(sha256, "image/png")
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render_sheets(sheets: list[Sheet], images: Images, env: Environment | None = None) -> list[Markup]:
    """Each sheet's markup, each rendered in its own language."""
    return [
        Markup(render_template("certificates/_sheet.html", {"sheet": s, "image_src": images.src}, s.language, env))
        for s in sheets
    ]


def pdf(sheets: list[Sheet], store: FileStore, content_types: dict[str, str], title: str, language: str) -> bytes:
    """The sheets as one PDF, a landscape A4 page each."""
    markup = render_sheets(sheets, Images(store, content_types, inline=False))
    html = render_template(
        "certificates/document.html", {"sheets": markup, "title": title, "lang": language, "screen": False}, language
    )

    def stored(url: str) -> tuple[bytes, str]:
        sha256 = url.removeprefix(FILE_SCHEME)
        return store.read(sha256), content_types.get(sha256, "image/png")

    # The file store (signatures, logos) and data URIs (the QR code): no network, no file of this machine.
    return write_pdf(html, STYLESHEET, sources=[(FILE_SCHEME.rstrip(":"), stored)])
