app_name = "inspection"
urlpatterns: list = []
