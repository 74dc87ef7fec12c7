"""The words people read for each stored code (statuses, kinds, formats, languages)."""

from tracker.i18n import N_

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
    # Attendance
    "registered": N_("Registered"),
    "attended": N_("Attended"),
    "absent": N_("Absent"),
    "excused": N_("Excused"),
    # Sex, as sign-in sheets record it
    "female": N_("Female"),
    "male": N_("Male"),
    "another": N_("Another"),
    "not_stated": N_("Not stated"),
    # Progress of an area
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "behind": N_("Behind"),
    # Roles
    "admin": N_("Administrator"),
    "manager": N_("Program manager"),
    "partner": N_("Partner"),
}


# Where a reminder or an outgoing email stands.
DELIVERY = {
    "pending": N_("waiting"),
    "queued": N_("waiting"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "written": N_("written to the outbox folder"),
    "failed": N_("failed"),
    "dropped": N_("dropped"),
    "skipped": N_("not sent (the person wants no reminders)"),
}
# Kinds of email, as the Outbox names them.
MAIL_KINDS = {
    "invitation": N_("Invitation"),
    "password_reset": N_("Password reset"),
    "reminder": N_("Reminder"),
    "digest": N_("Daily digest"),
    "certificate": N_("Certificate"),
    "registration_pending": N_("Registration received"),
    "registration_waitlisted": N_("Registration: waiting list"),
    "registration_confirmed": N_("Registration confirmed"),
    "registration_declined": N_("Registration declined"),
    "registration_cancelled": N_("Registration cancelled"),
    "registration_link": N_("Registration link sent again"),
    "data_request": N_("Data request"),
    "survey_pretest": N_("Questions before an activity"),
    "survey_evaluation": N_("Evaluation of an activity"),
    "survey_followup": N_("Follow-up survey"),
}
# Reminder modes.
MODES = {
    "digest": N_("One digest a day"),
    "each": N_("One email per reminder"),
    "none": N_("No reminders"),
}

# Field names as the audit trail and conflict notices show them.
FIELDS = {
    "kind": N_("Kind"),
    # A person's role in each partnership ("panama-carb: manager").
    "access": N_("Access"),
    "title_en": N_("Title in English"),
    "title_es": N_("Title in Spanish"),
    "summary_en": N_("Summary in English"),
    "summary_es": N_("Summary in Spanish"),
    "starts_at": N_("Starts"),
    "ends_at": N_("Ends"),
    "timezone": N_("Time zone"),
    "format": N_("Format"),
    "venue": N_("Venue"),
    "meeting_url": N_("Meeting link"),
    "languages": N_("Languages of delivery"),
    "status": N_("Status"),
    "objectives": N_("Objectives"),
    "objectives_en": N_("Objectives in English"),
    "objectives_es": N_("Objectives in Spanish"),
    "outcomes": N_("Outcomes"),
    "outcomes_en": N_("Outcomes in English"),
    "outcomes_es": N_("Outcomes in Spanish"),
    "materials": N_("Links to materials"),
    "areas": N_("Cooperation areas"),
    "organizers": N_("Organizing organizations"),
    "responsible": N_("People responsible"),
    "completion_threshold": N_("Completion threshold (percent of days)"),
    "mastery_threshold": N_("Mastery score (post-test)"),
    "area_id": N_("Cooperation area"),
    "activity_id": N_("Related activity"),
    "description": N_("Description"),
    "owner_id": N_("Owner"),
    "organization_id": N_("Organization"),
    "due_on": N_("Due date"),
    "completed_on": N_("Completed on"),
    "evidence_url": N_("Link to evidence"),
    "name": N_("Name"),
    "email": N_("Email"),
    "language": N_("Language"),
    "role": N_("Role"),
    "active": N_("Active"),
    "password_hash": N_("Password"),
    "reminder_mode": N_("Reminders"),
    "partnership_id": N_("Partnership"),
    "published": N_("Published"),
    "number": N_("Number"),
    "slug": N_("Short name in links"),
    "name_en": N_("Name in English"),
    "name_es": N_("Name in Spanish"),
    "description_en": N_("Description in English"),
    "description_es": N_("Description in Spanish"),
    "signed_on": N_("Signed"),
    "signed_on_confirmed": N_("Signing date confirmed"),
    "starts_on": N_("Term starts"),
    "ends_on": N_("Term ends"),
    "text_url_en": N_("Text in English"),
    "text_url_es": N_("Text in Spanish"),
    "parties": N_("Parties"),
    "acronym": N_("Acronym"),
    "country": N_("Country"),
    # Participants and their roster entries
    "given_names": N_("Given names"),
    "surnames": N_("Surnames"),
    "organization": N_("Organization"),
    "position": N_("Position"),
    "sex": N_("Sex"),
    "participant_id": N_("Participant"),
    "days_attended": N_("Days attended"),
    "pre_score": N_("Pre-test"),
    "post_score": N_("Post-test"),
    "satisfaction": N_("Satisfaction"),
    # Certificates
    "enrollment_id": N_("Roster entry"),
    "issued_at": N_("Issued"),
    "issued_by": N_("Issued by"),
    "revoked_at": N_("Revoked"),
    "revoked_by": N_("Revoked by"),
    "revoked_reason": N_("Reason for revoking"),
    "sent_at": N_("Last emailed"),
    "times_sent": N_("Times emailed"),
    # The work plan, its baselines, amendments and the steering-committee report
    "approved_at": N_("Approved"),
    "approved_by": N_("Approved by"),
    "note": N_("Note"),
    "items": N_("Planned items"),
    "previous_ends_on": N_("Term ended before"),
    "text_url": N_("Text"),
    # Documents kept as evidence, and the deliverable revision an acceptance names
    "deliverable_id": N_("Deliverable"),
    "revision": N_("Revision"),
    "title": N_("Title"),
    "filename": N_("File name"),
    "sha256": N_("SHA-256 checksum"),
    "size": N_("Size in bytes"),
    "content_type": N_("File type"),
    "uploaded_by": N_("Uploaded by"),
    "uploaded_at": N_("Uploaded"),
    "review": N_("Review"),
    "reviewed_by": N_("Reviewed by"),
    "reviewed_at": N_("Reviewed"),
    "deleted_at": N_("Deleted"),
    "deleted_by": N_("Deleted by"),
    "accepted_revision": N_("Accepted revision"),
    # Public registration, and the consent people give with it
    "consent_en": N_("Consent text in English"),
    "consent_es": N_("Consent text in Spanish"),
    "registration_form": N_("Public registration"),
    "state": N_("State"),
    "needs": N_("Accessibility or interpretation needs"),
    "consent_text": N_("Consent given"),
    "consented_at": N_("Consented"),
    "token_hash": N_("Personal link"),
    "client_ip": N_("Client address"),
    # Requests people make about their own data
    "person_id": N_("Person"),
    "requested_at": N_("Requested"),
    "done_at": N_("Handled"),
    "done_by": N_("Handled by"),
    "outcome": N_("Outcome"),
}
# Where one kind of record calls a field otherwise.
ENTITY_FIELDS = {
    "deliverable": {"organization_id": N_("Responsible organization")},
    "enrollment": {"status": N_("Attendance"), "activity_id": N_("Activity")},
    "participant": {"language": N_("Language of the certificate"), "name": N_("Full name")},
    "document": {"activity_id": N_("Activity"), "language": N_("Language of the text")},
    "registration": {"activity_id": N_("Activity"), "language": N_("Language of communications")},
}
ENTITIES = {
    "activity": N_("Activity"),
    "deliverable": N_("Deliverable"),
    "person": N_("Person"),
    "partnership": N_("Partnership"),
    "area": N_("Cooperation area"),
    "organization": N_("Organization"),
    "participant": N_("Participant"),
    "enrollment": N_("Roster entry"),
    "certificate": N_("Certificate"),
    "baseline": N_("Baseline"),
    "amendment": N_("Amendment"),
    "period_summary": N_("Executive summary"),
    "document": N_("Document"),
    "registration": N_("Registration"),
    "data_request": N_("Data request"),
}
ACTIONS = {
    "create": N_("created"),
    "update": N_("changed"),
    "status": N_("changed the status"),
    "delete": N_("deleted"),
    "anonymise": N_("anonymised"),
}
# Where a registration stands.
REGISTRATION_STATES = {
    "pending": N_("Pending approval"),
    "waitlisted": N_("Waiting list"),
    "confirmed": N_("Confirmed"),
    "cancelled": N_("Cancelled"),
    "declined": N_("Declined"),
}
# What a data request asks for, and what became of it.
DATA_REQUEST_KINDS = {"deletion": N_("Deletion"), "correction": N_("Correction")}
DATA_REQUEST_OUTCOMES = {"anonymised": N_("Anonymised"), "declined": N_("Declined")}


def field_label(name: str, gettext, entity: str | None = None) -> str:
    """The translated name of a field, as `entity` calls it (the raw name for one without a label)."""
    label = ENTITY_FIELDS.get(entity, {}).get(name) or FIELDS.get(name)
    return gettext(label) if label else name


def status_label(code, gettext) -> str:
    """The translated word for a stored code (falls back to the code itself)."""
    code = str(getattr(code, "value", code))
    return gettext(LABELS[code]) if code in LABELS else code
