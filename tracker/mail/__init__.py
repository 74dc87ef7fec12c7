"""Email, one pipeline for every kind: rendered from templates in the recipient's language (render),
composed with headers nobody can forge (headers), queued in the transaction that causes it and sent
right after it commits, or by the sweep, each message once (outbox, courier), over SMTP (smtp)."""
