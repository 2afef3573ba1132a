"""The real region file, loaded once for this package's database tests and rolled back after them.

Loading 91,599 regions takes seconds, so it happens once: inside a transaction that stays open while the
package's database tests run (each test is a savepoint within it, as in a Django TestCase) and is rolled
back after them, so tests elsewhere never see these rows. A module asks for it with
``pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_regions")]``; being wider in scope,
it is set up before the test's own transaction.
"""

import pytest
from django.db import transaction

from sibaru.regions.services import regions_load


@pytest.fixture(scope="package")
def loaded_regions(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            summary = regions_load()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
