"""Pages of no partnership keep the main navigation; refusals come back to the page; error pages say what happened."""

from tests.conftest import SLUG


def test_administration_and_account_pages_keep_the_main_navigation(login, make_user, mou):
    admin = login(make_user("admin"))
    for path in ("/admin", "/admin/users", "/account", "/admin/audit"):
        page = admin.get(path)
        assert page.status_code == 200, path
        assert f'href="/partnerships/{SLUG}/activities"' in page.text, path
        assert f'href="/partnerships/{SLUG}/deliverables"' in page.text, path
    partner = login(make_user("partner"))
    assert f'href="/partnerships/{SLUG}/plan"' in partner.get("/account").text


def test_a_form_the_role_may_not_send_comes_back_to_its_page_with_the_message(login, make_user, make_activity, mou):
    partner = login(make_user("partner"))
    activity = make_activity()
    page = f"http://testserver/activities/{activity.id}"
    answer = partner.post(f"/activities/{activity.id}/confirm", headers={"Referer": page}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/activities/{activity.id}?refused=role"
    shown = partner.get(answer.headers["location"])
    assert shown.status_code == 200 and "Your role does not allow this" in shown.text
    # From another site, or with no page to go back to: the error page, titled for what it is.
    elsewhere = partner.post(f"/activities/{activity.id}/confirm", headers={"Referer": "https://evil.example/x"})
    assert elsewhere.status_code == 403 and "<h1>Not allowed</h1>" in elsewhere.text


def test_error_pages_carry_a_title_that_fits_in_the_readers_language(login, make_user, mou, anon):
    partner = login(make_user("partner"))
    forbidden = partner.get(
        f"/partnerships/{SLUG}/deliverables/new", headers={"Referer": f"http://testserver/partnerships/{SLUG}"}
    )
    assert forbidden.status_code == 403
    assert "<title>Not allowed" in forbidden.text and "Something went wrong" not in forbidden.text
    assert f'href="/partnerships/{SLUG}">Back to the page you were on' in forbidden.text
    assert f'href="/partnerships/{SLUG}/activities"' in forbidden.text  # the navigation is there
    spanish = partner.get(f"/partnerships/{SLUG}/deliverables/new?lang=es")
    assert "<h1>No permitido</h1>" in spanish.text
    missing = anon.get("/partnerships/no-such-partnership/activities", follow_redirects=False)
    assert missing.status_code in (303, 404)
    assert "<h1>Not found</h1>" in partner.get("/partnerships/no-such-partnership?lang=en").text
