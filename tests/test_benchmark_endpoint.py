"""The bare endpoint the benchmarks compare pages with exists only when asked for."""

from contextlib import closing

from fastapi.testclient import TestClient

from tracker.app import create_app


def test_the_bare_endpoint_answers_the_bytes_asked_for_only_when_switched_on(settings, anon):
    assert anon.get("/_bare/100").status_code == 404
    app = create_app(settings.model_copy(update={"benchmark_endpoints": True}))
    with closing(TestClient(app)) as client:
        answer = client.get("/_bare/17807")
        assert answer.status_code == 200 and len(answer.content) == 17807
        assert answer.headers["content-security-policy"]  # the same middleware as every page
    app.state.engine.dispose()
