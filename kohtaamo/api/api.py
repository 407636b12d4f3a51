from ninja import NinjaAPI

api = NinjaAPI(title="Kohtaamo API", version="1", urls_namespace="api")
