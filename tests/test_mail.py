from email import message_from_bytes, policy

from tracker.mail import compose


def test_user_text_cannot_inject_a_header(settings):
    message = compose(
        settings,
        to="Ana <ana@example.org>\r\nBcc: spy@evil.example",
        subject="Workshop\r\nBcc: spy@evil.example\nX-Evil: 1",
        text="Hello",
    )
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert "\n" not in parsed["Subject"] and parsed["Subject"].startswith("Workshop")
