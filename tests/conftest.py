"""Settings shared by the whole test suite."""

import os

from hypothesis import settings

# No per-example deadline (CI machines are slower than laptops); in CI the examples are derived
# from the test itself, so a run is repeatable and a failure can be reproduced.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
