app_name = "plaid"

urlpatterns: list = []
