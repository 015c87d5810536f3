"""Settings of the Daphne process that the browser tests drive.

The production settings, with two changes: e-mails are written to files in
`$VAR_DIR/mail/`, where the tests read the confirmation links (Django's
`mail.outbox` lives in the server process, out of the tests' reach), and the
password hashers are production's at their lowest cost (tests/hashers.py), like
in the tests' own process: every sign-up and log-in hashed for a third of a
second of both cores.
"""

from tests.hashers import cheap_hashers
from zukunftsraum.settings import *  # noqa: F403
from zukunftsraum.settings import PASSWORD_HASHERS, VAR_DIR

PASSWORD_HASHERS = cheap_hashers(PASSWORD_HASHERS)

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
