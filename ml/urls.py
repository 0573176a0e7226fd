app_name = "ml"

urlpatterns: list = []
