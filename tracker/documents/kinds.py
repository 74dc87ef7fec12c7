"""What a document can be, by what it is attached to, and the words people read for each kind and review."""

from tracker.i18n import N_

# What a document may be attached to, and the kinds each offers (in the order forms list them).
ACTIVITY_KINDS = ("agenda", "presentation", "sign_in_sheet", "photo", "minutes", "other")
# A deliverable's documents are the deliverable itself, in numbered revisions.
REVISION = "deliverable"
PARTNERSHIP_KINDS = ("signed_text", "work_plan", "other")
KINDS_OF = {"activity": ACTIVITY_KINDS, "deliverable": (REVISION,), "partnership": PARTNERSHIP_KINDS}
# Kinds whose text is in one language, which the upload must name (a signed text exists in each).
NEEDS_LANGUAGE = frozenset({"signed_text"})

KIND_LABELS = {
    "agenda": N_("Agenda"),
    "presentation": N_("Presentation"),
    "sign_in_sheet": N_("Sign-in sheet (scan)"),
    "photo": N_("Photo"),
    "minutes": N_("Minutes"),
    "other": N_("Other"),
    REVISION: N_("Deliverable"),
    "signed_text": N_("Signed MOU text"),
    "work_plan": N_("Work plan"),
}

# Where a deliverable's revision stands: not submitted (None), then one of these.
SUBMITTED, SENT_BACK, ACCEPTED = "submitted", "sent_back", "accepted"
REVIEW_LABELS = {
    SUBMITTED: N_("Submitted for review"),
    SENT_BACK: N_("Sent back"),
    ACCEPTED: N_("Accepted"),
}

OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."
# Each type in people's words, for messages and the history ("Refused: … “HTML page” (text/html)").
TYPE_NAMES = {
    "application/pdf": N_("PDF"),
    "image/png": N_("PNG"),
    "image/jpeg": N_("JPEG"),
    "image/gif": N_("GIF"),
    "image/webp": N_("WebP"),
    OOXML + "wordprocessingml.document": N_("Word (.docx)"),
    OOXML + "spreadsheetml.sheet": N_("Excel (.xlsx)"),
    OOXML + "presentationml.presentation": N_("PowerPoint (.pptx)"),
    ODF + "text": N_("OpenDocument text (.odt)"),
    ODF + "spreadsheet": N_("OpenDocument spreadsheet (.ods)"),
    ODF + "presentation": N_("OpenDocument presentation (.odp)"),
    "text/csv": N_("CSV"),
    "text/plain": N_("plain text"),
    "text/html": N_("HTML page"),
    "image/svg+xml": N_("SVG image"),
    "text/xml": N_("XML file"),
    "application/xml": N_("XML file"),
    "application/json": N_("JSON file"),
    "application/zip": N_("ZIP archive"),
    "application/x-dosexec": N_("Windows program"),
    "application/x-executable": N_("program"),
    "application/x-pie-executable": N_("program"),
    "application/x-sharedlib": N_("program"),
    "application/x-mach-binary": N_("program"),
    "text/x-shellscript": N_("shell script"),
    "text/javascript": N_("JavaScript program"),
    "application/javascript": N_("JavaScript program"),
    "application/msword": N_("old Word document (.doc)"),
    "application/vnd.ms-excel": N_("old Excel workbook (.xls)"),
    "application/vnd.ms-powerpoint": N_("old PowerPoint presentation (.ppt)"),
    "application/octet-stream": N_("unrecognized data"),
}
