"""People's own data: what the tracker holds about someone, shown to them behind the link every email
carries; their corrections; their requests to be deleted, which a manager carries out by anonymising them."""
