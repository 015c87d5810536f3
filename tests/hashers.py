"""Password hashers of the tests: production's algorithms at their lowest cost.

Production hashes with Argon2 at 100 MiB and 8 lanes, a third of a second of
both cores here; nearly every test creates members, so those hashes were most
of the suite's time. These subclasses keep each algorithm's name, encoding and
verification (a stored hash still starts with "argon2" and checks like one) and
only lower its cost. `tests/conftest.py` swaps them in place of production's,
in production's order, so the tests still see which algorithm comes first.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB, Argon2's minimum for one lane
    parallelism = 1


class CheapPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1


CHEAP_INSTEAD_OF = {
    "django.contrib.auth.hashers.Argon2PasswordHasher": (
        "tests.hashers.CheapArgon2PasswordHasher"
    ),
    "django.contrib.auth.hashers.PBKDF2PasswordHasher": (
        "tests.hashers.CheapPBKDF2PasswordHasher"
    ),
}


def cheap_hashers(hashers: list[str]) -> list[str]:
    """`hashers` (a PASSWORD_HASHERS list) with every known one made cheap."""
    return [CHEAP_INSTEAD_OF.get(path, path) for path in hashers]
