"""A page that says what an action will do before it is done: the way destructive actions ask without JavaScript.

With htmx, a page's own button asks with `hx-confirm` and posts at once. Without JavaScript, the same
button is a GET to the action's address, whose page (this one) lists the consequences, asks for a reason
where the action needs one, and posts the action's form (with its CSRF token) once confirmed. The POST
route renders this page again, with the field's message (422), when it refuses the input.
"""

from collections.abc import Mapping, Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from tracker.templating import render


def confirm_page(
    request: Request,
    *,
    title: str,
    consequences: Sequence[str],
    action: str,
    back: str,
    submit: str | None = None,
    reason: bool = False,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    hidden: Mapping[str, str] | None = None,
    partnership=None,
) -> HTMLResponse:
    """The confirmation page of an action (422 when `errors`).

    - `title`: the question, translated ("Cancel this activity?"), also the page's heading;
    - `consequences`: translated sentences, one per thing that will happen, shown as a list;
    - `action`: where the confirming form posts; `back`: where "Go back" leads (nothing is done);
    - `submit`: the button's words (default "Confirm");
    - `reason`: ask for a reason, a required text field named `reason` (its label and hint are the page's);
    - `values`, `errors`: what was typed (`{"reason": …}`, e.g. from the query string the page's own
      form sent) and each field's translated message when the POST refused it;
    - `hidden`: more fields the form posts as they are (name -> value), such as a record's version;
    - `partnership`: the partnership whose navigation the page shows.
    """
    context = {
        "title": title,
        "consequences": list(consequences),
        "action": action,
        "back": back,
        "submit": submit,
        "ask_reason": reason,
        "values": dict(values or {}),
        "errors": dict(errors or {}),
        "hidden": dict(hidden or {}),
        "partnership": partnership,
    }
    return render(request, "confirm.html", context, 422 if errors else 200)
