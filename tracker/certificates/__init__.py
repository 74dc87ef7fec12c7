"""Certificates for those who completed an activity: issued with a number and a verification address
(service, rules), printed from one template as a page and a PDF (document), emailed through the outbox
(emails), checked by anyone at /verify/{code} (verify); signatories and logos set by administrators
(admin, branding), their images checked (images) and kept by content (tracker.storage)."""
