"""Every route the app registers, called by every kind of visitor, answers as this table says.

A new route fails this test until someone decides, here, who may use it.
"""

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import select

from tests.conftest import SLUG
from tracker.models import AuditEvent, Enrollment, Participant, Partnership

ROLES = ("anonymous", "partner", "manager", "admin")

# (method, path): statuses for anonymous, partner, manager, admin. Writes are sent with an empty
# body and the caller's CSRF token: 422 (or 409: no version) means "allowed in, refused for the empty
# input". Visitors: pages redirect to sign-in (303), the API answers 401, and posts fail the CSRF
# check (403, visitors hold no token until a form gives them one). The published overview is public.
EXPECTED = {
    # The period report: for signed-in people.
    ("GET", "/partnerships/{slug}/report"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/report.csv"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/report.xlsx"): (303, 200, 200, 200),
    # The steering-committee report: read by signed-in people, its executive summary written by managers.
    ("GET", "/partnerships/{slug}/steering"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/steering.pdf"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/steering.xlsx"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/steering.csv"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/steering/summary"): (303, 403, 200, 200),
    ("POST", "/partnerships/{slug}/steering/summary"): (403, 403, 422, 422),
    # Amendments to the term: administrators (there is none to remove here).
    ("GET", "/admin/partnerships/{slug}/amendments"): (303, 403, 403, 200),
    ("POST", "/admin/partnerships/{slug}/amendments"): (403, 403, 403, 422),
    ("GET", "/admin/partnerships/{slug}/amendments/remove"): (303, 403, 403, 404),
    ("POST", "/admin/partnerships/{slug}/amendments/remove"): (403, 403, 403, 404),
    # The public progress page: behind a secret address (a wrong one is a 404); admins share it.
    ("GET", "/public/{token}"): (404, 404, 404, 404),
    ("POST", "/admin/partnerships/{slug}/public"): (403, 403, 403, 303),
    ("POST", "/admin/partnerships/{slug}/public/revoke"): (403, 403, 403, 303),
    # Calendar: feeds behind a secret address (a wrong one is a 404), the month view, sharing.
    ("GET", "/calendar/{token}.ics"): (404, 404, 404, 404),
    ("GET", "/calendar/{token}/areas/{area_slug}.ics"): (404, 404, 404, 404),
    ("GET", "/partnerships/{slug}/calendar"): (303, 200, 200, 200),
    ("POST", "/admin/partnerships/{slug}/calendar"): (403, 403, 403, 303),
    ("POST", "/admin/partnerships/{slug}/calendar/revoke"): (403, 403, 403, 303),
    # Sign-in sheet imports: managers only.
    ("GET", "/activities/{activity_id}/import"): (303, 403, 200, 200),
    ("POST", "/activities/{activity_id}/import"): (403, 403, 422, 422),
    ("POST", "/imports/{batch_id}/mapping"): (403, 403, 404, 404),
    ("POST", "/imports/{batch_id}/confirm"): (403, 403, 404, 404),
    ("POST", "/imports/{batch_id}/discard"): (403, 403, 404, 404),
    # Indicators: aggregates for signed-in people; targets for admins.
    ("GET", "/partnerships/{slug}/indicators"): (303, 200, 200, 200),
    ("GET", "/api/v1/partnerships/{slug}/indicators"): (401, 200, 200, 200),
    ("GET", "/admin/indicators/{slug}"): (303, 403, 403, 200),
    ("POST", "/admin/indicators/{slug}"): (403, 403, 403, 422),
    ("POST", "/admin/indicators/{slug}/targets/{target_id}/delete"): (403, 403, 403, 404),
    # Certificates: read by signed-in people (a preview until issued: none is, here), issued, sent and
    # revoked by managers; checked by anyone at a secret address; signatories and logos set by admins.
    ("GET", "/activities/{activity_id}/certificates"): (303, 200, 200, 200),
    ("POST", "/activities/{activity_id}/certificates/hours"): (403, 403, 303, 303),
    ("POST", "/activities/{activity_id}/certificates/issue"): (403, 403, 303, 303),
    ("POST", "/activities/{activity_id}/certificates/send"): (403, 403, 303, 303),
    ("GET", "/activities/{activity_id}/certificates.pdf"): (303, 404, 404, 404),
    ("GET", "/activities/{activity_id}/certificates/{participant_id}"): (303, 200, 200, 200),
    ("GET", "/activities/{activity_id}/certificates/{participant_id}.pdf"): (303, 404, 404, 404),
    ("GET", "/activities/{activity_id}/certificates/{participant_id}/revoke"): (303, 403, 404, 404),
    ("POST", "/activities/{activity_id}/certificates/{participant_id}/revoke"): (403, 403, 404, 404),
    ("POST", "/activities/{activity_id}/certificates/{participant_id}/send"): (403, 403, 404, 404),
    ("GET", "/verify/{code}"): (404, 404, 404, 404),
    ("GET", "/admin/partnerships/{slug}/certificates"): (303, 403, 403, 200),
    ("POST", "/admin/partnerships/{slug}/signatories"): (403, 403, 403, 422),
    ("POST", "/admin/partnerships/{slug}/signatories/{signatory_id}/move"): (403, 403, 403, 404),
    ("GET", "/admin/partnerships/{slug}/signatories/{signatory_id}/remove"): (303, 403, 403, 404),
    ("POST", "/admin/partnerships/{slug}/signatories/{signatory_id}/remove"): (403, 403, 403, 404),
    ("POST", "/admin/partnerships/{slug}/logos"): (403, 403, 403, 422),
    ("POST", "/admin/partnerships/{slug}/logos/{logo_id}/move"): (403, 403, 403, 404),
    ("GET", "/admin/partnerships/{slug}/logos/{logo_id}/remove"): (303, 403, 403, 404),
    ("POST", "/admin/partnerships/{slug}/logos/{logo_id}/remove"): (403, 403, 403, 404),
    # Public registration: the form and each person's link behind secret addresses (a wrong one is a 404;
    # a visitor's post without the form's CSRF token, 403); opened, closed and approved by managers (no form
    # is open and registration "{registration_id}" names none: 404; opening without a consent text: 422);
    # the consent text written by managers (sent without a version: 409).
    ("GET", "/register/{token}"): (404, 404, 404, 404),
    ("POST", "/register/{token}"): (403, 404, 404, 404),
    ("GET", "/register/{token}/done"): (404, 404, 404, 404),
    ("GET", "/my-registration/{token}"): (404, 404, 404, 404),
    ("POST", "/my-registration/{token}"): (403, 404, 404, 404),
    ("GET", "/my-registration/{token}/cancel"): (404, 404, 404, 404),
    ("POST", "/my-registration/{token}/cancel"): (403, 404, 404, 404),
    ("GET", "/activities/{activity_id}/registration"): (303, 403, 200, 200),
    ("POST", "/activities/{activity_id}/registration"): (403, 403, 422, 422),
    ("GET", "/activities/{activity_id}/registration/close"): (303, 403, 404, 404),
    ("POST", "/activities/{activity_id}/registration/close"): (403, 403, 404, 404),
    ("POST", "/registrations/{registration_id}/approve"): (403, 403, 404, 404),
    ("GET", "/registrations/{registration_id}/decline"): (303, 403, 404, 404),
    ("POST", "/registrations/{registration_id}/decline"): (403, 403, 404, 404),
    ("GET", "/partnerships/{slug}/consent"): (303, 403, 200, 200),
    ("POST", "/partnerships/{slug}/consent"): (403, 403, 409, 409),
    # Surveys: each participant's link behind a secret address (a wrong one is a 404 for everyone; a visitor's
    # post without the form's CSRF token, 403); an activity's test questions and response rates for managers
    # (an empty question: 422; question "{question_id}" names none: 404).
    ("GET", "/survey/{token}"): (404, 404, 404, 404),
    ("POST", "/survey/{token}"): (403, 404, 404, 404),
    ("GET", "/activities/{activity_id}/surveys"): (303, 403, 200, 200),
    ("POST", "/activities/{activity_id}/surveys/questions"): (403, 403, 422, 422),
    ("GET", "/activities/{activity_id}/surveys/questions/{question_id}"): (303, 403, 404, 404),
    ("POST", "/activities/{activity_id}/surveys/questions/{question_id}"): (403, 403, 404, 404),
    ("POST", "/activities/{activity_id}/surveys/questions/{question_id}/move"): (403, 403, 404, 404),
    ("GET", "/activities/{activity_id}/surveys/questions/{question_id}/delete"): (303, 403, 404, 404),
    ("POST", "/activities/{activity_id}/surveys/questions/{question_id}/delete"): (403, 403, 404, 404),
    # Rosters: names and scores for signed-in people; changes for managers.
    ("GET", "/activities/{activity_id}/roster"): (303, 200, 200, 200),
    ("POST", "/activities/{activity_id}/roster"): (403, 403, 422, 422),
    ("GET", "/activities/{activity_id}/roster.csv"): (303, 200, 200, 200),
    ("GET", "/activities/{activity_id}/roster.xlsx"): (303, 200, 200, 200),
    ("POST", "/enrollments/{enrollment_id}"): (403, 403, 303, 303),
    ("GET", "/enrollments/{enrollment_id}/delete"): (303, 403, 200, 200),
    ("POST", "/enrollments/{enrollment_id}/delete"): (403, 403, 303, 303),
    ("GET", "/enrollments/{enrollment_id}/person"): (303, 403, 200, 200),
    ("POST", "/enrollments/{enrollment_id}/person"): (403, 403, 422, 422),
    ("POST", "/activities/{activity_id}/roster/grid"): (403, 403, 303, 303),
    ("POST", "/activities/{activity_id}/roster/attended"): (403, 403, 303, 303),
    ("GET", "/participants/duplicates"): (303, 403, 200, 200),
    ("GET", "/participants/{participant_id}/merge"): (303, 403, 404, 404),
    ("POST", "/participants/{participant_id}/merge"): (403, 403, 404, 404),
    # Reminders: admin pages, and the preferences page behind a signed link (a forged one is a 404).
    ("GET", "/admin/outbox"): (303, 403, 403, 200),
    # A partnership's Outbox, read-only, and a message's preview: for its managers (message 1 does not exist).
    ("GET", "/partnerships/{slug}/outbox"): (303, 403, 200, 200),
    ("GET", "/outbox/{message_id}"): (303, 403, 404, 404),
    ("GET", "/outbox/{message_id}/body.html"): (303, 403, 404, 404),
    ("POST", "/admin/outbox/{message_id}/retry"): (403, 403, 403, 303),
    ("GET", "/admin/reminders"): (303, 403, 403, 200),
    ("POST", "/admin/reminders/{slug}"): (403, 403, 403, 422),
    ("GET", "/reminders/{token}"): (404, 404, 404, 404),
    ("POST", "/reminders/{token}"): (403, 404, 404, 404),
    # People's own data: behind the signed link of every email (a forged one is a 404 for everyone); the
    # requests to be deleted, for the managers of the partnerships they concern (request 1 does not exist).
    ("GET", "/my-data/{token}"): (404, 404, 404, 404),
    ("POST", "/my-data/{token}"): (403, 404, 404, 404),
    ("GET", "/my-data/{token}/delete"): (404, 404, 404, 404),
    ("POST", "/my-data/{token}/delete"): (403, 404, 404, 404),
    ("GET", "/data-requests"): (303, 403, 200, 200),
    ("GET", "/data-requests/{request_id}/anonymise"): (303, 403, 404, 404),
    ("POST", "/data-requests/{request_id}/anonymise"): (403, 403, 404, 404),
    ("GET", "/data-requests/{request_id}/decline"): (303, 403, 404, 404),
    ("POST", "/data-requests/{request_id}/decline"): (403, 403, 404, 404),
    # The work plan: read by signed-in people; its items added, moved, dropped and imported by managers (no
    # import 1 here); approved by administrators (baselines: "{number}" names none; the API's empty approval,
    # called first, makes baseline 1, so the page's empty one is a second without a note).
    ("GET", "/partnerships/{slug}/plan"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/plan/{area_slug}"): (303, 200, 200, 200),
    ("POST", "/partnerships/{slug}/plan/items"): (403, 403, 422, 422),
    ("POST", "/plan/activities/{activity_id}/move"): (403, 403, 422, 422),
    ("GET", "/plan/activities/{activity_id}/drop"): (303, 403, 200, 200),
    ("POST", "/plan/activities/{activity_id}/drop"): (403, 403, 422, 422),
    ("POST", "/plan/deliverables/{deliverable_id}/move"): (403, 403, 422, 422),
    ("GET", "/plan/deliverables/{deliverable_id}/drop"): (303, 403, 200, 200),
    ("POST", "/plan/deliverables/{deliverable_id}/drop"): (403, 403, 422, 422),
    ("GET", "/partnerships/{slug}/plan/import"): (303, 403, 200, 200),
    ("POST", "/partnerships/{slug}/plan/import"): (403, 403, 422, 422),
    ("GET", "/partnerships/{slug}/plan/imports/{batch_id}"): (303, 403, 404, 404),
    ("POST", "/partnerships/{slug}/plan/imports/{batch_id}/confirm"): (403, 403, 404, 404),
    ("POST", "/partnerships/{slug}/plan/imports/{batch_id}/discard"): (403, 403, 404, 404),
    ("GET", "/partnerships/{slug}/baselines"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/baselines/new"): (303, 403, 403, 200),
    ("POST", "/partnerships/{slug}/baselines"): (403, 403, 403, 422),
    ("GET", "/partnerships/{slug}/baselines/{number}"): (303, 404, 404, 404),
    ("GET", "/api/v1/partnerships/{slug}/plan"): (401, 200, 200, 200),
    ("GET", "/api/v1/partnerships/{slug}/baselines"): (401, 200, 200, 200),
    ("POST", "/api/v1/partnerships/{slug}/baselines"): (401, 403, 403, 201),
    ("GET", "/api/v1/partnerships/{slug}/baselines/{number}"): (401, 404, 404, 404),
    ("GET", "/api/v1/partnerships/{slug}/baselines/{number}/comparison"): (401, 404, 404, 404),
    # The portfolio: every partnership the caller may see (visitors: the published ones).
    ("GET", "/portfolio"): (200, 200, 200, 200),
    # MOU metadata, new partnerships, their areas and the organizations: administrators (the edits are sent
    # without a version: 409; organization "{organization_id}" names none).
    ("GET", "/admin/partnerships"): (303, 403, 403, 200),
    ("GET", "/admin/partnerships/new"): (303, 403, 403, 200),
    ("POST", "/admin/partnerships"): (403, 403, 403, 422),
    ("GET", "/admin/partnerships/{slug}/edit"): (303, 403, 403, 200),
    ("POST", "/admin/partnerships/{slug}/edit"): (403, 403, 403, 409),
    ("GET", "/admin/partnerships/{slug}/areas/new"): (303, 403, 403, 200),
    ("POST", "/admin/partnerships/{slug}/areas"): (403, 403, 403, 422),
    ("GET", "/admin/partnerships/{slug}/areas/{area_id}/edit"): (303, 403, 403, 200),
    ("POST", "/admin/partnerships/{slug}/areas/{area_id}/edit"): (403, 403, 403, 409),
    ("GET", "/admin/organizations"): (303, 403, 403, 200),
    ("GET", "/admin/organizations/new"): (303, 403, 403, 200),
    ("POST", "/admin/organizations"): (403, 403, 403, 422),
    ("GET", "/admin/organizations/{organization_id}/edit"): (303, 403, 403, 404),
    ("POST", "/admin/organizations/{organization_id}/edit"): (403, 403, 403, 404),
    ("GET", "/"): (200, 200, 200, 200),
    ("GET", "/account"): (303, 200, 200, 200),
    ("POST", "/account"): (403, 422, 422, 422),
    ("POST", "/account/password"): (403, 422, 422, 422),
    ("POST", "/account/tokens"): (403, 422, 422, 422),
    ("POST", "/account/tokens/{token_id}/revoke"): (403, 303, 303, 303),
    ("GET", "/activities/{activity_id}"): (303, 200, 200, 200),
    ("GET", "/activities/{activity_id}/cancel"): (303, 403, 200, 200),
    ("POST", "/activities/{activity_id}/cancel"): (403, 403, 422, 422),
    ("POST", "/activities/{activity_id}/confirm"): (403, 403, 303, 303),
    ("GET", "/activities/{activity_id}/delete"): (303, 403, 200, 200),
    ("POST", "/activities/{activity_id}/delete"): (403, 403, 303, 303),
    ("GET", "/activities/{activity_id}/edit"): (303, 403, 200, 200),
    ("POST", "/activities/{activity_id}/edit"): (403, 403, 409, 409),
    ("POST", "/activities/{activity_id}/held"): (403, 403, 422, 422),
    ("POST", "/activities/{activity_id}/postpone"): (403, 403, 422, 422),
    # Reopen and undo "held" (the activity is planned: neither is possible) and undo's confirmation page.
    ("POST", "/activities/{activity_id}/reopen"): (403, 403, 409, 409),
    ("GET", "/activities/{activity_id}/undo-held"): (303, 403, 409, 409),
    ("POST", "/activities/{activity_id}/undo-held"): (403, 403, 409, 409),
    ("GET", "/admin"): (303, 403, 403, 200),
    ("GET", "/admin/audit"): (303, 403, 403, 200),
    ("POST", "/admin/partnerships/{slug}/publication"): (403, 403, 403, 303),
    ("GET", "/admin/users"): (303, 403, 403, 200),
    ("GET", "/admin/users/{person_id}"): (303, 403, 403, 200),
    ("POST", "/admin/users"): (403, 403, 403, 422),
    ("POST", "/admin/users/{person_id}/activate"): (403, 403, 403, 303),
    ("POST", "/admin/users/{person_id}/deactivate"): (403, 403, 403, 303),
    ("POST", "/admin/users/{person_id}/role"): (403, 403, 403, 422),
    ("POST", "/admin/users/{person_id}/invitation"): (403, 403, 403, 200),
    ("GET", "/api/v1/activities"): (401, 200, 200, 200),
    ("DELETE", "/api/v1/activities/{activity_id}"): (401, 403, 204, 204),
    ("GET", "/api/v1/activities/{activity_id}"): (401, 200, 200, 200),
    ("PATCH", "/api/v1/activities/{activity_id}"): (401, 403, 422, 422),
    ("POST", "/api/v1/activities/{activity_id}/cancel"): (401, 403, 422, 422),
    ("POST", "/api/v1/activities/{activity_id}/confirm"): (401, 403, 200, 200),
    ("POST", "/api/v1/activities/{activity_id}/held"): (401, 403, 422, 422),
    ("POST", "/api/v1/activities/{activity_id}/postpone"): (401, 403, 422, 422),
    ("POST", "/api/v1/activities/{activity_id}/reopen"): (401, 403, 409, 409),
    ("POST", "/api/v1/activities/{activity_id}/undo-held"): (401, 403, 409, 409),
    ("GET", "/api/v1/areas"): (401, 200, 200, 200),
    ("POST", "/api/v1/areas"): (401, 403, 403, 422),
    ("GET", "/api/v1/areas/{area_id}"): (401, 200, 200, 200),
    ("PATCH", "/api/v1/areas/{area_id}"): (401, 403, 403, 422),
    ("GET", "/api/v1/deliverables"): (401, 200, 200, 200),
    ("DELETE", "/api/v1/deliverables/{deliverable_id}"): (401, 403, 204, 204),
    ("GET", "/api/v1/deliverables/{deliverable_id}"): (401, 200, 200, 200),
    ("PATCH", "/api/v1/deliverables/{deliverable_id}"): (401, 403, 422, 422),
    ("POST", "/api/v1/deliverables/{deliverable_id}/status"): (401, 403, 422, 422),
    ("GET", "/api/v1/organizations"): (401, 200, 200, 200),
    ("GET", "/api/v1/partnerships"): (401, 200, 200, 200),
    ("POST", "/api/v1/partnerships"): (401, 403, 403, 422),
    ("GET", "/api/v1/partnerships/{slug}"): (401, 200, 200, 200),
    ("PATCH", "/api/v1/partnerships/{slug}"): (401, 403, 403, 422),
    ("POST", "/api/v1/partnerships/{slug}/activities"): (401, 403, 422, 422),
    ("POST", "/api/v1/partnerships/{slug}/deliverables"): (401, 403, 422, 422),
    ("GET", "/api/v1/people"): (401, 200, 200, 200),
    ("POST", "/api/v1/people"): (401, 403, 422, 422),
    ("GET", "/api/v1/people/{person_id}"): (401, 200, 200, 200),
    ("PATCH", "/api/v1/people/{person_id}"): (401, 403, 422, 422),
    ("GET", "/deliverables/{deliverable_id}"): (303, 200, 200, 200),
    ("GET", "/deliverables/{deliverable_id}/delete"): (303, 403, 200, 200),
    ("POST", "/deliverables/{deliverable_id}/delete"): (403, 403, 303, 303),
    ("GET", "/deliverables/{deliverable_id}/edit"): (303, 403, 200, 200),
    ("POST", "/deliverables/{deliverable_id}/edit"): (403, 403, 409, 409),
    ("POST", "/deliverables/{deliverable_id}/status"): (403, 403, 422, 422),
    ("GET", "/healthz"): (200, 200, 200, 200),
    ("GET", "/api/docs"): (200, 200, 200, 200),
    # Not by role: this machine, or the metrics token (tests/observability).
    ("GET", "/metrics"): (403, 403, 403, 403),
    ("GET", "/openapi.json"): (200, 200, 200, 200),
    ("GET", "/partnerships/{slug}"): (200, 200, 200, 200),
    ("GET", "/partnerships/{slug}/activities"): (303, 200, 200, 200),
    ("POST", "/partnerships/{slug}/activities"): (403, 403, 422, 422),
    ("GET", "/partnerships/{slug}/activities/new"): (303, 403, 200, 200),
    ("GET", "/partnerships/{slug}/areas/{area_slug}"): (303, 200, 200, 200),
    ("GET", "/partnerships/{slug}/deliverables"): (303, 200, 200, 200),
    ("POST", "/partnerships/{slug}/deliverables"): (403, 403, 422, 422),
    ("GET", "/partnerships/{slug}/deliverables/new"): (303, 403, 200, 200),
    ("GET", "/password/forgot"): (200, 200, 200, 200),
    ("POST", "/password/forgot"): (403, 200, 200, 200),
    ("GET", "/password/set/{token}"): (410, 410, 410, 410),
    ("POST", "/password/set/{token}"): (403, 410, 410, 410),
    ("GET", "/preferences"): (200, 200, 200, 200),
    ("POST", "/preferences"): (403, 422, 422, 422),
    ("GET", "/sign-in"): (200, 303, 303, 303),
    ("POST", "/sign-in"): (403, 401, 401, 401),
    ("POST", "/sign-out"): (403, 303, 303, 303),
    # Documents: read by signed-in people of their partnership, uploaded (an empty form: 422), deleted and
    # reviewed by its managers; document "{document_id}" names none, so every address of one is a 404.
    ("GET", "/partnerships/{slug}/documents"): (303, 200, 200, 200),
    ("POST", "/partnerships/{slug}/documents"): (403, 403, 422, 422),
    ("POST", "/activities/{activity_id}/documents"): (403, 403, 422, 422),
    ("POST", "/deliverables/{deliverable_id}/documents"): (403, 403, 422, 422),
    ("GET", "/documents/{document_id}"): (303, 404, 404, 404),
    ("GET", "/documents/{document_id}/download"): (303, 404, 404, 404),
    ("GET", "/documents/{document_id}/delete"): (303, 404, 404, 404),
    ("POST", "/documents/{document_id}/delete"): (403, 404, 404, 404),
    ("POST", "/documents/{document_id}/submit"): (403, 404, 404, 404),
    ("POST", "/documents/{document_id}/accept"): (403, 404, 404, 404),
    ("GET", "/documents/{document_id}/send-back"): (303, 404, 404, 404),
    ("POST", "/documents/{document_id}/send-back"): (403, 404, 404, 404),
    ("GET", "/api/v1/activities/{activity_id}/documents"): (401, 200, 200, 200),
    ("POST", "/api/v1/activities/{activity_id}/documents"): (401, 403, 422, 422),
    ("GET", "/api/v1/deliverables/{deliverable_id}/documents"): (401, 200, 200, 200),
    ("POST", "/api/v1/deliverables/{deliverable_id}/documents"): (401, 403, 422, 422),
    ("GET", "/api/v1/partnerships/{slug}/documents"): (401, 200, 200, 200),
    ("POST", "/api/v1/partnerships/{slug}/documents"): (401, 403, 422, 422),
    ("GET", "/api/v1/documents/{document_id}"): (401, 404, 404, 404),
}


def registered_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route, including those of included routers."""
    found = set()

    def walk(routes):
        for route in routes:
            contexts = getattr(route, "effective_route_contexts", None)
            if contexts is not None:
                for context in contexts():
                    original = context.original_route
                    for method in getattr(original, "methods", None) or ():
                        if method != "HEAD":
                            found.add((method, context.path or original.path))
            elif isinstance(route, APIRoute) or hasattr(route, "methods"):
                for method in route.methods or ():
                    if method != "HEAD":
                        found.add((method, route.path))

    walk(app.routes)
    return found


def test_every_route_is_in_the_table(app):
    missing = sorted(registered_routes(app) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - registered_routes(app))
    assert missing == [] and stale == []


@pytest.fixture
def callers(app, login, make_user, anon):
    users = {role: make_user(role) for role in ("partner", "manager", "admin")}
    clients = {"anonymous": anon} | {role: login(person) for role, person in users.items()}
    return clients, users


def url_of(path: str, records: dict) -> str:
    """A route's path with its parameters filled from `records` (ids, slugs)."""
    for key, value in records.items():
        path = path.replace("{" + key + "}", str(value))
    return path


def records_of(*, slug, area_slug, activity, deliverable, person, participant, enrollment) -> dict:
    """What fills a route's parameters, for one partnership's records."""
    return {
        "slug": slug,
        "area_slug": area_slug,
        "activity_id": activity.id,
        "deliverable_id": deliverable.id,
        "person_id": person.id,
        "area_id": activity.areas[0].id,
        "token_id": 1,
        "message_id": 1,
        "enrollment_id": enrollment.id,
        "participant_id": participant.id,
        "token": "not-a-real-link",
        "batch_id": 1,
        "target_id": 1,
        "code": "not-a-real-code",
        "signatory_id": 1,
        "logo_id": 1,
        "document_id": 1,
        "request_id": 1,
        "question_id": 1,
        "registration_id": 1,
        "organization_id": 2_147_483_647,
    }


def records_with_roster(session, *, activity, deliverable, person, name: str = "Ana", key: str = "ana|") -> dict:
    """What fills a route's parameters: these records of the MOU, and a participant on the activity's roster."""
    participant = Participant(name=name, match_key=key)
    session.add(participant)
    session.flush()
    enrollment = Enrollment(activity_id=activity.id, participant_id=participant.id, status="attended")
    session.add(enrollment)
    session.commit()
    return records_of(
        slug=SLUG,
        area_slug="mrv",
        activity=activity,
        deliverable=deliverable,
        person=person,
        participant=participant,
        enrollment=enrollment,
    )


def observe(session, clients, make_activity, make_deliverable, make_user, routes) -> dict:
    """Call each route as each role, each call on records of its own (a cancel or a delete must
    not change what the next caller finds)."""
    observed = {}
    for method, path in routes:
        statuses = []
        for role in ROLES:
            session.expunge_all()  # the app may have deleted what this session last saw
            session.exec(update(Partnership).values(published=True))  # an earlier call may have unpublished it
            records = records_with_roster(
                session,
                activity=make_activity(),
                deliverable=make_deliverable(),
                person=make_user("partner", email=f"bystander-{len(observed)}-{role}@example.org"),
                key=f"ana|{len(observed)}-{role}",
            )
            client: TestClient = clients[role]
            statuses.append(client.request(method, url_of(path, records), follow_redirects=False).status_code)
        observed[(method, path)] = tuple(statuses)
    return observed


def test_each_role_gets_the_expected_answer_from_each_route(
    session, callers, make_activity, make_deliverable, make_user
):
    clients, _ = callers
    # Signing out ends the callers' sessions: it goes last, so every route after it is called signed in.
    routes = sorted(EXPECTED, key=lambda route: (route == ("POST", "/sign-out"), route))
    observed = observe(session, clients, make_activity, make_deliverable, make_user, routes)
    wrong = [
        (route, EXPECTED[route], observed[route]) for route in sorted(EXPECTED) if observed[route] != EXPECTED[route]
    ]
    assert wrong == []


# A second partnership ------------------------------------------------------------------------

# Lists that name no partnership: they answer, and must leave the other partnership out.
UNSCOPED_LISTS = {path for method, path in EXPECTED if method == "GET" and "{" not in path}
# Asked for by name, the other partnership's records are not there at all.
ASKED_BY_NAME = [
    "/api/v1/activities?partnership={slug}",
    "/api/v1/deliverables?partnership={slug}",
    "/api/v1/areas?partnership={slug}",
    "/api/v1/people?q=Sonora",
    "/api/v1/activities?area={area_id}",
    "/api/v1/deliverables?area={area_id}",
    "/api/v1/deliverables?owner={person_id}",
]


def _other(sonora) -> dict:
    return records_of(
        slug=sonora["partnership"].slug,
        area_slug=sonora["area"].slug,
        activity=sonora["activity"],
        deliverable=sonora["deliverable"],
        person=sonora["owner"],
        participant=sonora["participant"],
        enrollment=sonora["enrollment"],
    )


def test_a_partner_gets_404_for_every_record_of_another_partnership(session, sonora, login, make_user, mou):
    partner = login(make_user("partner"))
    other = _other(sonora)
    shown = {}
    for method, path in sorted(EXPECTED):
        if "{" not in path or path.startswith(("/calendar/", "/public/", "/reminders/", "/password/", "/account/")):
            continue  # no record named, a secret address (the address is the permission), or one's own token
        status = partner.request(method, url_of(path, other), follow_redirects=False).status_code
        if status not in (403, 404):  # 403: the role may not do this at all, whatever the record
            shown[(method, path)] = status
    assert shown == {}
    for path in ASKED_BY_NAME:
        response = partner.get(url_of(path, other))
        assert response.status_code == 404 or "sonora" not in response.text.lower(), path
    # Nothing of the other partnership changed.
    session.expire_all()
    assert session.get(type(sonora["activity"]), sonora["activity"].id).version == sonora["activity"].version
    assert session.get(type(sonora["deliverable"]), sonora["deliverable"].id) is not None


def test_no_page_or_answer_shows_a_partner_anything_of_another_partnership(
    session, sonora, login, make_user, make_activity, make_deliverable, make_person, mou
):
    partner_user = make_user("partner")
    partner = login(partner_user)
    owner = make_person(name="Ana Pérez", email="ana@miambiente.gob.pa")
    own = records_with_roster(
        session,
        activity=make_activity(responsible_ids=[owner.id]),
        deliverable=make_deliverable(owner_id=owner.id),
        person=owner,
        name="Luis Gómez",
        key="luis gomez|miambiente",
    )
    leaks = {}
    for method, path in sorted(EXPECTED):
        if method != "GET":
            continue
        response = partner.get(url_of(path, own), follow_redirects=False)
        if "sonora" in response.text.lower():
            leaks[path] = response.status_code
    assert leaks == {}
    # The partner's own partnership is there: the lists are narrowed, not emptied.
    assert partner.get(f"/api/v1/people/{owner.id}").status_code == 200
    assert partner.get(f"/api/v1/people/{partner_user.id}").status_code == 200
    people = partner.get("/api/v1/people").json()
    assert {p["email"] for p in people["items"]} == {"ana@miambiente.gob.pa", partner_user.email}
    acronyms = {o["acronym"] for o in partner.get("/api/v1/organizations").json()}
    assert acronyms == {"CARB", "MiAMBIENTE"}


def test_admins_and_managers_of_both_partnerships_see_both(sonora, login, make_user):
    for role in ("manager", "admin"):
        client = login(make_user(role, partnership=None))  # a manager of every partnership, or an admin
        assert client.get(f"/api/v1/people/{sonora['owner'].id}").status_code == 200
        assert "CEDES" in {o["acronym"] for o in client.get("/api/v1/organizations").json()}


def test_a_manager_of_one_partnership_can_change_nothing_of_another(
    session, sonora, login, make_user, make_activity, make_deliverable, mou
):
    """Roles are per partnership: managing Sonora gives no hand in Panama's records, through any route,
    even to someone who reads Panama's as its partner."""
    from tracker.accounts import memberships
    from tracker.models import Role

    manager = make_user("manager", email="manager@sonora.gob.mx", partnership=sonora["partnership"])
    reader = make_user("manager", email="both@sonora.gob.mx", partnership=sonora["partnership"])
    memberships.set_roles(
        session, person=reader, admin=False, roles={sonora["partnership"].id: Role.manager, mou.id: Role.partner}
    )
    session.commit()
    clients = {"manager of Sonora": login(manager), "manager of Sonora, partner of Panama": login(reader)}
    changed = {}
    for method, path in sorted(EXPECTED):
        if method == "GET" or path.startswith(("/calendar/", "/public/", "/reminders/", "/password/", "/account/")):
            continue
        if "{" not in path and not path.startswith("/api/"):
            continue  # no record named (sign-out, display settings): nothing of either partnership
        for who, client in clients.items():
            session.expunge_all()
            panama = records_with_roster(
                session, activity=make_activity(), deliverable=make_deliverable(),
                person=make_user("partner", email=f"p-{len(changed)}-{hash(path) % 10**6}-{len(who)}@example.org"),
                key=f"ana|{path}|{who}",
            )  # fmt: skip
            status = client.request(method, url_of(path, panama), follow_redirects=False).status_code
            # 422: the API refused the empty body before looking anything up (below: a valid one).
            if "{" in path and status not in (403, 404, 422):
                changed[(method, path, who)] = status
    assert changed == {}
    # Nothing was changed in anyone's name, and a valid change through the API is refused too.
    assert session.exec(select(AuditEvent).where(AuditEvent.actor_id.in_([manager.id, reader.id]))).first() is None
    activity = make_activity()
    patch = {"version": activity.version, "title_en": "Changed from Sonora"}
    assert clients["manager of Sonora"].patch(f"/api/v1/activities/{activity.id}", json=patch).status_code == 404
    both = clients["manager of Sonora, partner of Panama"]
    assert both.patch(f"/api/v1/activities/{activity.id}", json=patch).status_code == 403
    # Their own partnership they do change, and the partner of both still reads Panama.
    own = _other(sonora)
    assert clients["manager of Sonora"].get(url_of("/activities/{activity_id}/edit", own)).status_code == 200
    reading = clients["manager of Sonora, partner of Panama"]
    assert reading.get(f"/partnerships/{SLUG}/activities").status_code == 200
    assert clients["manager of Sonora"].get(f"/partnerships/{SLUG}/activities").status_code == 404
