from django.urls import path

from tidtam.narratives import views

app_name = "narratives"
urlpatterns = [
    path("<int:pk>/", views.block, name="block"),
]
