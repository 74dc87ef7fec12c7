"""What an upload's form fields (and the API's) accept besides the file, and what the API returns."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from tracker.validation import optional_line, text


class DocumentIn(BaseModel):
    """A document's description: its kind (checked against what it is attached to), a title (the file's
    name when blank), the language of its text, and a note."""

    model_config = ConfigDict(extra="ignore")

    kind: optional_line(24) = None
    title: optional_line(200) = None
    language: optional_line(8) = None
    note: text(2000) = ""


class DocumentOut(BaseModel):
    """A document as the API returns it; `url` shows it (or downloads it), `download_url` always downloads."""

    id: int
    partnership: str
    activity_id: int | None
    deliverable_id: int | None
    kind: str
    language: str | None
    revision: int | None
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    note: str
    uploaded_by: int | None
    uploaded_at: datetime
    review: str | None = Field(description="A deliverable revision's review: null, submitted, sent_back or accepted")
    reviewed_by: int | None
    reviewed_at: datetime | None
    url: str
    download_url: str
