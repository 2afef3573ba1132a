from ninja import NinjaAPI

api = NinjaAPI(title="SIBARU API", version="1", urls_namespace="api")
