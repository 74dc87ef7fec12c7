"""Headers of every email are built from parts: no title or name can add, forge or break one."""

from email import message_from_bytes, policy

import pytest

from tracker.mail.headers import InvalidAddress, compose, header_text, mailbox, sender

# Each: what someone typed, and what a mail reader must show for it.
HOSTILE_TITLES = [
    ("=?utf-8?q?x=0D=0ABcc:_evil@evil.example?=", "=?utf-8?q?x=0D=0ABcc:_evil@evil.example?="),
    ("=?utf-8?q?x=0D=0AReply-To:_evil@evil.example?=", "=?utf-8?q?x=0D=0AReply-To:_evil@evil.example?="),
    ("=?utf-8?b?eA0KQ29udGVudC1UeXBlOiB0ZXh0L2h0bWw=?=", "=?utf-8?b?eA0KQ29udGVudC1UeXBlOiB0ZXh0L2h0bWw=?="),
    ("Taller\r\nBcc: evil@evil.example", "Taller Bcc: evil@evil.example"),
    ("Taller\u2028Bcc: evil@evil.example", "Taller Bcc: evil@evil.example"),
    ("Taller\u2029Bcc: evil@evil.example", "Taller Bcc: evil@evil.example"),
    ("Taller\x85Bcc: evil@evil.example", "Taller Bcc: evil@evil.example"),
    ("Taller\x0bBcc:\x0cevil@evil.example", "Taller Bcc: evil@evil.example"),
    ("Informe \u202egnp.exe", "Informe gnp.exe"),
    ('Hoja de ruta "MRV", fase <2>; costos: 5%', 'Hoja de ruta "MRV", fase <2>; costos: 5%'),
    ("Medición, notificación y verificación — año 2026 " * 10, None),  # long: kept up to the limit
]
HOSTILE_NAMES = [
    ("Zoë <evil@evil.example>", "Zoë <evil@evil.example>"),
    ("=?utf-8?q?Mallory=0D=0A?=", "=?utf-8?q?Mallory=0D=0A?="),
    ("=?utf-8?q?Mallory=0D=0ABcc:_evil@evil.example?=", "=?utf-8?q?Mallory=0D=0ABcc:_evil@evil.example?="),
    ("Zoë\u2028Bcc: evil@evil.example", "Zoë Bcc: evil@evil.example"),
    ("Zoë\u2029Bcc: evil@evil.example", "Zoë Bcc: evil@evil.example"),
    ("Zoë\x85Bcc: evil@evil.example", "Zoë Bcc: evil@evil.example"),
    ('Pérez, "Ana" <ana@evil.example>, evil@evil.example', 'Pérez, "Ana" <ana@evil.example>, evil@evil.example'),
    ("O'Brien; Núñez (CARB)", "O'Brien; Núñez (CARB)"),
    ("x" * 1000, "x" * 120),
    ("Ñandú " * 40, ("Ñandú " * 40)[:120].strip()),
    ("😀" * 300, "😀" * 120),
    ("", ""),
]


def _sent(message) -> object:
    """The message as a mail reader parses it from the wire."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def _headers(parsed) -> list[str]:
    return sorted(parsed.keys())


@pytest.mark.parametrize("typed, shown", HOSTILE_TITLES)
def test_a_subject_reads_exactly_as_typed_and_adds_no_header(settings, typed, shown):
    parsed = _sent(compose(settings, to=mailbox("Ana", "ana@example.org"), subject=typed, text="Hola"))
    expected = shown if shown is not None else header_text(typed, 250)
    assert parsed["Subject"] == expected
    assert _headers(parsed) == ["Content-Transfer-Encoding", "Content-Type", "Date", "From", "MIME-Version",
                                "Message-ID", "Subject", "To"]  # fmt: skip
    assert parsed.get_content_type() == "text/plain"


@pytest.mark.parametrize("typed, shown", HOSTILE_NAMES)
def test_a_display_name_never_becomes_another_recipient(settings, typed, shown):
    parsed = _sent(compose(settings, to=mailbox(typed, "zoe@example.org"), subject="Recordatorio", text="Hola"))
    (address,) = parsed["To"].addresses
    assert (address.display_name, address.addr_spec) == (shown, "zoe@example.org")
    assert parsed["Bcc"] is None and parsed["Cc"] is None and parsed["Reply-To"] is None
    (sent_from,) = parsed["From"].addresses
    assert sent_from.addr_spec == sender(settings).addr_spec


def test_every_line_of_the_wire_format_stays_within_the_smtp_limit(settings):
    message = compose(settings, to=mailbox("ñ" * 1000, "zoe@example.org"), subject="á" * 1000, text="Hola")
    assert max(len(line) for line in message.as_bytes().split(b"\r\n")) <= 998


@pytest.mark.parametrize("address", ["josé@example.org", "a b@example.org", "@example.org", "ana@", "ana", "a@@b.org"])
def test_an_address_no_header_can_carry_is_refused_with_a_reason(address):
    with pytest.raises(InvalidAddress) as refused:
        mailbox("Ana", address)
    assert address in str(refused.value)


def test_an_international_domain_is_written_as_the_dns_knows_it():
    assert mailbox("Ana", "ana@educación.pa").addr_spec == "ana@xn--educacin-13a.pa"
