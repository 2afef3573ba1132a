"""The API's assembly: one NinjaAPI at /api/v1/ with its error shape, authentication and routers.

Each service's endpoints live in its own app's api.py; they are mounted here.
"""

from ninja import NinjaAPI

from sibaru.api import errors
from sibaru.api.auth import BearerAuth

api = NinjaAPI(
    title="SIBARU API",
    version="1",
    description="Layanan publik perumahan: usulan bantuan, pengaduan, informasi publik. See docs/api.md.",
    urls_namespace="api",
    auth=BearerAuth(),
)
errors.install(api)


def _mount() -> None:
    from sibaru.api.views import router as core_router
    from sibaru.regions.api import router as regions_router

    api.add_router("", core_router)
    api.add_router("/regions", regions_router)
    api.add_router("/auth", "sibaru.accounts.api.router")
    api.add_router("/programmes", "sibaru.assistance.api_catalogue.router")
    api.add_router("/proposals", "sibaru.assistance.api.router")
    api.add_router("/proposals", "sibaru.assistance.api_checkpoints.router")
    api.add_router("/proposals", "sibaru.assistance.api_implementation.router")
    api.add_router("/proposals", "sibaru.assistance.api_beneficiaries.router")
    api.add_router("/complaints", "sibaru.complaints.api.router")
    api.add_router("/information-requests", "sibaru.information.api.router")
    api.add_router("/information-catalogue", "sibaru.information.api.catalogue_router")


_mount()
