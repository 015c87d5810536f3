"""Settings of the Daphne process that the browser tests drive.

The production settings, with one change: e-mails are written to files in
`$VAR_DIR/mail/`, where the tests read the confirmation links (Django's
`mail.outbox` lives in the server process, out of the tests' reach).
"""

from zukunftsraum.settings import *  # noqa: F403
from zukunftsraum.settings import VAR_DIR

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
